"""What one Papers with Code import keeps while it runs: the bulk store, the counts, the per-record
report (a CSV file written as it goes), and lookups of the catalogue's tasks, datasets, methods, venues and
papers that the batches share (all but papers are few: loaded once)."""

import csv
import hashlib
from collections.abc import Iterable
from typing import IO

from community.identifiers import normalize_arxiv_id, normalize_title
from community.models import Dataset, Method, Paper, PwcPaper, Task

from .pwc_store import Counts, Item, Store
from .pwc_venues import Venues

REJECTED = "rejected"
KEPT_IN_MEMORY = 5000  # rejected records kept for the summary; the CSV report has them all


class Context:
    def __init__(self, store: Store, report: IO[str] | None = None) -> None:
        self.store = store
        self.counts = Counts()
        self.rejections: list[tuple[str, str, str]] = []  # (kind, ref, reason)
        self.notes = 0
        self._csv = csv.writer(report) if report is not None else None
        self._unwritten: list[list[str]] = []  # the current batch's lines, written once it commits
        if self._csv is not None and _at_start(report):
            self._csv.writerow(["kind", "record", "outcome", "reason", "notes"])
        self._tasks: dict[str, Task] | None = None
        self._datasets: dict[str, Dataset] | None = None
        self._methods: dict[str, Method] | None = None
        self._venues: Venues | None = None
        # Person id by exact name, for every author this import has met (found or created): a name
        # is looked up once per import, not once per batch. A failed batch ends the import.
        self.people: dict[str, int] = {}

    # --- the report -------------------------------------------------------------------------------

    def outcome(self, kind: str, ref: str, outcome: str, *, reason: str = "", notes: Iterable[str] = ()):
        self.counts.add(kind, outcome)
        notes = list(notes)
        self.notes += len(notes)
        if outcome == REJECTED and len(self.rejections) < KEPT_IN_MEMORY:
            self.rejections.append((kind, ref, reason))
        if self._csv is not None and (outcome != "unchanged" or notes):
            self._unwritten.append([kind, ref, outcome, reason, " | ".join(notes)])

    def report_flush(self) -> None:
        """Write the report lines of the batch that has just committed. A batch that rolled back
        writes none: a resumed import reads its records again and reports them then."""
        if self._csv is not None:
            self._csv.writerows(self._unwritten)
        self._unwritten = []

    def reject(self, kind: str, ref: str, reason: str) -> None:
        self.outcome(kind, ref, REJECTED, reason=reason)

    def items(self, kind: str, items: list[Item], notes: dict[str, tuple] | None = None) -> None:
        for item in items:
            self.outcome(kind, item.ref, item.outcome, notes=(notes or {}).get(item.ref, ()))

    # --- tasks, datasets, methods: loaded once, kept up to date by the writers -------------------

    def tasks(self) -> dict[str, Task]:
        if self._tasks is None:
            self._tasks = {task.name.lower(): task for task in Task.objects.all()}
        return self._tasks

    def datasets(self) -> dict[str, Dataset]:
        """By lower-case name and by PwC URL."""
        if self._datasets is None:
            self._datasets = {}
            for dataset in Dataset.objects.order_by("-pk"):  # the oldest wins a shared name
                self._datasets[dataset.name.lower()] = dataset
                if dataset.pwc_url:
                    self._datasets[dataset.pwc_url] = dataset
        return self._datasets

    def methods(self) -> dict[str, Method]:
        if self._methods is None:
            self._methods = {}
            for method in Method.objects.order_by("-pk"):
                self._methods[method.name.lower()] = method
                if method.pwc_url:
                    self._methods[method.pwc_url] = method
        return self._methods

    def venues(self) -> Venues:
        """The catalogue's venues and editions by name, for the papers' proceedings."""
        if self._venues is None:
            self._venues = Venues()
        return self._venues

    def ensure_tasks(self, names: Iterable[str], ref: str) -> dict[str, Task]:
        """The tasks of these names, the missing ones created (with no parent: the evaluation tables
        place them in the tree)."""
        known = self.tasks()
        missing = {name.lower(): name for name in names if name.lower() not in known}
        if missing:
            items = [
                Item(key=key, values={"name": name}, ref=ref, slug_text=name) for key, name in missing.items()
            ]
            for item in self.store.sync(Task, items):
                known[item.key] = item.obj
                self.outcome("task", f"{ref}: {item.obj.name}", item.outcome)
        return {name: known[name.lower()] for name in names}

    # --- papers -----------------------------------------------------------------------------------

    def papers_named(self, *, pwc_urls=(), arxiv_ids=(), titles=()) -> dict[str, int]:
        """Paper ids by PwC URL, by "arxiv:<id>" and by normalised title (a title only when one paper
        has it), in three queries: how a code link or a table row finds its paper."""
        found: dict[str, int] = {}
        pwc_urls, arxiv_ids, titles = set(pwc_urls) - {""}, set(arxiv_ids) - {""}, set(titles) - {""}
        if pwc_urls:
            found.update(PwcPaper.objects.filter(url__in=pwc_urls).values_list("url", "paper_id"))
        if arxiv_ids:
            rows = Paper.objects.filter(arxiv_id__in=arxiv_ids).values_list("arxiv_id", "pk")
            found.update((f"arxiv:{arxiv_id}", pk) for arxiv_id, pk in rows)
        if titles:
            seen: dict[str, set[int]] = {}
            for title, pk in Paper.objects.filter(title__in=titles).values_list("title", "pk"):
                seen.setdefault(normalize_title(title), set()).add(pk)
            found.update((key, next(iter(pks))) for key, pks in seen.items() if len(pks) == 1)
        return found


def _at_start(report: IO[str]) -> bool:
    """Whether nothing is written in `report` yet: a resumed import appends to its report, which
    has its header already."""
    try:
        return report.tell() == 0
    except (OSError, ValueError):  # not seekable (a pipe): nothing was written through it before
        return True


def arxiv_of(url: str) -> str:
    """The arXiv id in an arxiv.org address, '' for any other."""
    if "arxiv.org/" not in url:
        return ""
    try:
        return normalize_arxiv_id(url.replace("http://", "https://"))
    except ValueError:
        return ""


def paper_key(found: dict[str, int], *, pwc_url: str = "", url: str = "", title: str = "") -> int | None:
    """The paper `found` (papers_named) gives for a reference: by PwC URL, arXiv id, then title."""
    for key in (pwc_url, f"arxiv:{arxiv_of(url)}" if arxiv_of(url) else "", normalize_title(title)):
        if key and key in found:
            return found[key]
    return None


def row_key(paper_url: str, paper_title: str, model_name: str) -> str:
    """What tells one leaderboard row from another besides task, dataset and metric."""
    text = f"{paper_url or normalize_title(paper_title)}\x1f{model_name}"
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
