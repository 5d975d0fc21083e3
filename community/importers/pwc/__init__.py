"""Readers of the Papers with Code archive (issue 14): papers with abstracts, links between papers and
code, evaluation tables (sota-extractor), methods and datasets, each as JSON, gzip'd JSON or Parquet.

`ArchiveFile(stream)` recognises the form (reading.Source) and the kind of file by its records'
fields, never by its name, and `rows()` yields plain rows (records.py) or a ParseFailure per record
it refuses, with the reason, as a stream. A file that cannot be read at all (not a list, truncated
gzip, a Parquet file of another schema) raises ImportFileError before anything of it is yielded, or,
for a JSON file broken in the middle, where the break is. Fields nobody reads are counted in
`unused`, never an error. Records that repeat an earlier record of the same file are refused.
"""

from collections import Counter
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext

from community.identifiers import normalize_title
from community.importers import ImportFileError, ParseFailure

from .evaluation import evaluation_rows
from .reading import Source
from .records import DATASETS, EVALUATION, FILE_KINDS, LINKS, METHODS, PAPERS, ResultRow
from .rows import Refused, code_link_row, dataset_row, method_row, paper_row

__all__ = ["ArchiveFile", "FILE_KINDS", "detect_kind"]

_BUILDERS = {PAPERS: paper_row, LINKS: code_link_row, METHODS: method_row, DATASETS: dataset_row}


def detect_kind(fields) -> str:
    """The kind of file whose records have these fields; '' when none fits."""
    names = set(fields)
    if "task" in names and names & {"datasets", "subtasks", "categories"}:
        return EVALUATION
    if "repo_url" in names and names & {"paper_url", "paper_title", "paper_arxiv_id"}:
        return LINKS
    if "title" in names and names & {"paper_url", "arxiv_id"} and names & {"abstract", "authors", "url_abs"}:
        return PAPERS
    if "name" in names and names & {"collections", "introduced_year", "code_snippet_url", "source_url"}:
        return METHODS
    if "name" in names and names & {"modalities", "homepage", "data_loaders", "introduced_date", "variants"}:
        return DATASETS
    return ""


class ArchiveFile:
    def __init__(self, stream: IO[bytes]) -> None:
        self.source = Source(stream)
        self.unused: Counter = Counter()
        self._records = self.source.records()
        self._first = None
        if self.source.form == "parquet":
            columns = self.source.parquet_columns()
            self.kind = detect_kind(columns)
            if not self.kind:
                raise ImportFileError(
                    gettext("the Parquet file's columns (%(columns)s) are none of the archive's kinds.")
                    % {"columns": ", ".join(columns[:12])}
                )
        else:
            self._first = next(self._records, None)
            if self._first is None:
                raise ImportFileError(gettext("the file holds no records."))
            if not isinstance(self._first, dict):
                raise ImportFileError(gettext("the file's records are not objects."))
            self.kind = detect_kind(self._first)
            if not self.kind:
                raise ImportFileError(
                    gettext("the records' fields (%(fields)s) are none of the archive's kinds.")
                    % {"fields": ", ".join(list(self._first)[:12])}
                )

    @property
    def form(self) -> str:
        return self.source.form

    def progress(self) -> tuple[int, int]:
        """(how far, of how much): bytes of a JSON or gzip file, rows of a Parquet file."""
        return self.source.position, self.source.size

    def _raw(self) -> Iterator:
        if self._first is not None:
            first, self._first = self._first, None
            yield first
        yield from self._records

    def rows(self) -> Iterator:
        seen: dict[int, str] = {}
        label = gettext("record %(number)s")
        for number, raw in enumerate(self._raw(), start=1):
            ref = label % {"number": number}
            if not isinstance(raw, dict):
                yield ParseFailure(ref, gettext("the record is not an object"))
                continue
            for row in self._rows_of(raw, ref):
                key = None if isinstance(row, ParseFailure) else _identity(self.kind, row)
                if key is not None:
                    if key in seen:
                        row = ParseFailure(row.ref, _repeat(row) % {"ref": seen[key]})
                    else:
                        seen[key] = row.ref
                yield row

    def _rows_of(self, raw: dict, ref: str) -> Iterator:
        if self.kind == EVALUATION:
            yield from evaluation_rows(raw, ref, self.unused)
            return
        used: set[str] = set()
        try:
            row = _BUILDERS[self.kind](raw, ref, used)
        except Refused as exc:
            yield ParseFailure(ref, str(exc))
            return
        finally:
            self.unused.update(key for key in raw if key not in used)
        yield row


def _repeat(row) -> str:
    if isinstance(row, ResultRow):
        return gettext("the same task, dataset, paper, model and metric as %(ref)s")
    return gettext("a repeat of %(ref)s")


def _identity(kind: str, row) -> int | None:
    """What makes two records of one file the same thing (hashed: the set of keys stays small)."""
    if kind == PAPERS:
        return hash(("p", row.pwc_url or row.arxiv_id or f"{normalize_title(row.title)}|{row.year}"))
    if kind == LINKS:
        return hash(("l", row.paper_pwc_url or row.paper_arxiv_id or row.paper_title, row.repo_url))
    if kind in (METHODS, DATASETS):
        return hash((kind, row.pwc_url or row.name.lower()))
    if isinstance(row, ResultRow):
        paper = row.paper_url or normalize_title(row.paper_title)
        return hash(("r", row.task, row.dataset, row.metric, paper, row.model_name))
    return None
