"""Reads of tasks, datasets, methods and claimed results (issue 14): their lists and pages, and a
leaderboard: every claimed result of one task on one dataset, one row per model of a paper and one
column per metric, best first by the chosen metric.

Each function issues a fixed number of queries whatever the number of rows (a leaderboard: one for
its results; a task page: one for its leaderboards' summary, one for their datasets), so the pages'
query budgets hold at any size. Ranking follows community.metrics (which way a metric is better),
overridden by a moderator's Result.higher_is_better; a value that is no number is shown as written and
left out of the ranking.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Max, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Substr
from django.urls import reverse

from community.leaderboard_filters import DatasetFilter, MethodFilter, TaskFilter
from community.metrics import higher_is_better as metric_direction
from community.models import Dataset, Method, ModerationStatus, Paper, PaperCode, Provenance, Result, Task
from community.search import text_search

from ._common import RELATED_LIMIT

PUBLISHED = ModerationStatus.PUBLISHED
# Paper fields a leaderboard row needs (its link and title): the abstract stays in the database.
_PAPER_FIELDS = ("paper__slug", "paper__title", "paper__status", "paper__year")


# --- lists and pages -------------------------------------------------------------------------------


def task_list() -> QuerySet[Task]:
    """Published tasks by name, with their parent."""
    return Task.objects.published().select_related("parent").order_by("name", "pk")


def task_detail() -> QuerySet[Task]:
    """Published tasks with their parent and their published subtasks, by name."""
    return (
        Task.objects.published()
        .select_related("parent")
        .prefetch_related(Prefetch("subtasks", queryset=Task.objects.published().order_by("name", "pk")))
    )


def dataset_list() -> QuerySet[Dataset]:
    return Dataset.objects.published().select_related("variant_of").order_by("name", "pk")


def dataset_detail() -> QuerySet[Dataset]:
    """Published datasets with the dataset they are a variant of, their published variants and tasks."""
    return (
        Dataset.objects.published()
        .select_related("variant_of")
        .prefetch_related(
            Prefetch("variants", queryset=Dataset.objects.published().order_by("name", "pk")),
            Prefetch("tasks", queryset=Task.objects.published().order_by("name", "pk")),
        )
    )


def method_list() -> QuerySet[Method]:
    """Published methods by name, with the paper that introduced them (the API's list shows it)."""
    return Method.objects.published().select_related("paper").defer("paper__abstract").order_by("name", "pk")


def method_detail() -> QuerySet[Method]:
    """Published methods with the paper that introduced them (null-checked by the page) and up to
    RELATED_LIMIT of the published papers that use them, newest first (`listed_papers`)."""
    return (
        Method.objects.published()
        .select_related("paper")
        .prefetch_related(
            Prefetch(
                "papers",
                queryset=Paper.objects.published()
                .defer("abstract")
                .order_by("-year", "title", "pk")[:RELATED_LIMIT],
                to_attr="listed_papers",
            )
        )
    )


def result_list() -> QuerySet[Result]:
    """Claimed results of published tasks and datasets, leaderboard order, with task, dataset and paper."""
    return (
        Result.objects.filter(task__status=PUBLISHED, dataset__status=PUBLISHED)
        .select_related("task", "dataset", "paper")
        .defer("paper__abstract")
        .order_by("task__name", "dataset__name", "metric", "pk")
    )


def result_detail() -> QuerySet[Result]:
    return result_list()


def result_siblings(*, result: Result) -> list[Result]:
    """The other metrics of the same leaderboard row (same task, dataset and model of a paper)."""
    return list(
        Result.objects.filter(task_id=result.task_id, dataset_id=result.dataset_id, row_key=result.row_key)
        .exclude(pk=result.pk)
        .order_by("metric", "pk")
    )


def sources_of(items) -> dict[int, list[Provenance]]:
    """The Provenance rows of `items` (all of one model), by item id, in one query."""
    items = list(items)
    if not items:
        return {}
    content_type = ContentType.objects.get_for_model(type(items[0]))
    found: dict[int, list[Provenance]] = {}
    rows = Provenance.objects.filter(content_type=content_type, object_id__in=[i.pk for i in items])
    for row in rows.order_by("source", "file"):
        found.setdefault(row.object_id, []).append(row)
    return found


@dataclass(frozen=True)
class ArchiveHit:
    """A task, dataset or method found by the site search: what its result line needs."""

    kind: str  # task, dataset or method
    slug: str
    name: str
    description: str  # its first SNIPPET characters

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(f"community:{self.kind}-detail", kwargs={"slug": self.slug})


SNIPPET = 300


def archive_search(*, text: str, limit: int) -> list[ArchiveHit]:
    """Published tasks, datasets and methods whose name (or full name) or description contains
    `text`, by name, at most `limit`: one query (a UNION), so the site search stays within budget."""
    parts = []
    for kind, model, filterset in (
        ("task", Task, TaskFilter),
        ("dataset", Dataset, DatasetFilter),
        ("method", Method, MethodFilter),
    ):
        matches = text_search(model.objects.published(), filterset.search_fields, text, by_rank=False)
        parts.append(
            matches.annotate(
                kind=Value(kind, output_field=CharField()), snippet=Substr("description", 1, SNIPPET)
            )
            .values_list("kind", "slug", "name", "snippet")
            .order_by()
        )
    rows = parts[0].union(*parts[1:], all=True).order_by("name", "kind", "slug")[:limit]
    return [ArchiveHit(*row) for row in rows]


# --- a task's leaderboards --------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardSummary:
    """One leaderboard of a task: its dataset, how many models it ranks, its metrics, latest paper date."""

    dataset: Dataset
    entries: int
    metrics: list[str]
    latest: datetime.date | None


def task_leaderboards(*, task: Task) -> list[BoardSummary]:
    """The task's datasets, each with the leaderboard its results make (datasets the task names but
    no result uses have `entries` 0), the largest leaderboards first. Two queries."""
    per_metric = (
        Result.objects.filter(task=task)
        .values("dataset_id", "metric")
        .annotate(rows=Count("id"), latest=Max("paper_date"))
        .order_by()
    )
    boards: dict[int, dict] = {}
    for row in per_metric:
        board = boards.setdefault(row["dataset_id"], {"entries": 0, "metrics": [], "latest": None})
        board["entries"] = max(board["entries"], row["rows"])
        board["metrics"].append(row["metric"])
        if row["latest"] and (board["latest"] is None or row["latest"] > board["latest"]):
            board["latest"] = row["latest"]
    datasets = Dataset.objects.published().filter(Q(pk__in=list(boards)) | Q(tasks=task)).distinct()
    empty = {"entries": 0, "metrics": [], "latest": None}
    summaries = [
        BoardSummary(
            dataset=dataset,
            entries=boards.get(dataset.pk, empty)["entries"],
            metrics=sorted(boards.get(dataset.pk, empty)["metrics"], key=str.lower),
            latest=boards.get(dataset.pk, empty)["latest"],
        )
        for dataset in datasets
    ]
    return sorted(summaries, key=lambda s: (-s.entries, s.dataset.name.lower(), s.dataset.pk))


def dataset_leaderboards(*, dataset: Dataset) -> list[tuple[Task, int]]:
    """The published tasks with results on the dataset, each with its number of results. Two queries."""
    counts = dict(
        Result.objects.filter(dataset=dataset).values_list("task_id").annotate(n=Count("id")).order_by()
    )
    tasks = Task.objects.published().filter(pk__in=list(counts)).order_by("name", "pk")
    return [(task, counts[task.pk]) for task in tasks]


# --- one leaderboard --------------------------------------------------------------------------------


class UnknownMetric(ValueError):
    """`?metric=` names no metric of the leaderboard."""


@dataclass(frozen=True)
class Column:
    """A metric of a leaderboard. `higher_is_better` is what ranks it: a moderator's setting on a
    result of the column, else the metric table's; `assumed` when neither knows (then higher)."""

    metric: str
    higher_is_better: bool
    assumed: bool
    numeric: int  # how many of its values are numbers


@dataclass
class Entry:
    """One row: a model of a paper, with its result per metric (`cells`) and its rank by the chosen
    metric (None when it has no number there)."""

    model_name: str
    paper: Paper | None  # the catalogue's paper, when it is published
    paper_title: str
    paper_url: str
    paper_date: datetime.date | None
    uses_additional_data: bool = False
    code_links: list = field(default_factory=list)
    cells: dict[str, Result] = field(default_factory=dict)
    row: list[Result | None] = field(default_factory=list)  # its cells in column order
    rank: int | None = None

    @property
    def has_code(self) -> bool:
        return bool(self.code_links)


@dataclass
class Leaderboard:
    task: Task
    dataset: Dataset
    columns: list[Column]
    sort: Column | None
    entries: list[Entry]
    sources: set[str]

    @property
    def ranked(self) -> int:
        return sum(1 for entry in self.entries if entry.rank is not None)

    def sort_values(self) -> list[tuple[datetime.date | None, Decimal, str]]:
        """(paper date, value, model) of every numeric result of the sorted column (the SOTA chart's)."""
        if self.sort is None:
            return []
        cells = (entry.cells.get(self.sort.metric) for entry in self.entries)
        return [
            (cell.paper_date, cell.value, cell.model_name)
            for cell in cells
            if cell and cell.value is not None
        ]


def _column(metric: str, results: list[Result]) -> Column:
    chosen = Counter(r.higher_is_better for r in results if r.higher_is_better is not None)
    direction = chosen.most_common(1)[0][0] if chosen else metric_direction(metric)
    numeric = sum(1 for r in results if r.value is not None)
    return Column(metric, direction if direction is not None else True, direction is None, numeric)


def leaderboard(*, task: Task, dataset: Dataset, metric: str = "") -> Leaderboard:
    """The leaderboard of `task` on `dataset`, sorted by `metric` (by default the metric with the
    most numeric values): ranked rows best first, ties broken by the earlier paper date (then the
    model's name), then the rows with no number there, by date. One query.

    Raises UnknownMetric when `metric` is given and the leaderboard has no such column.
    """
    results = list(
        Result.objects.filter(task=task, dataset=dataset)
        .select_related("paper")
        .only(
            *("model_name", "paper_title", "paper_url", "paper_date", "metric", "value", "value_text"),
            *("higher_is_better", "uses_additional_data", "code_links", "source", "row_key", "paper_id"),
            *("task_id", "dataset_id", *_PAPER_FIELDS),
        )
        .order_by("pk")
    )
    by_metric: dict[str, list[Result]] = {}
    entries: dict[str, Entry] = {}
    for result in results:
        by_metric.setdefault(result.metric, []).append(result)
        entry = entries.get(result.row_key)
        if entry is None:
            paper = result.paper if result.paper is not None and result.paper.status == PUBLISHED else None
            entry = entries[result.row_key] = Entry(
                model_name=result.model_name,
                paper=paper,
                paper_title=result.paper_title,
                paper_url=result.paper_url,
                paper_date=result.paper_date,
            )
        entry.cells.setdefault(result.metric, result)
        entry.uses_additional_data |= result.uses_additional_data
        if result.code_links and not entry.code_links:
            entry.code_links = list(result.code_links)
    columns = sorted((_column(m, rs) for m, rs in by_metric.items()), key=lambda c: c.metric.lower())
    if metric and metric not in by_metric:
        raise UnknownMetric(metric)
    sort = next((c for c in columns if c.metric == metric), None) or max(
        columns, key=lambda c: (c.numeric, -columns.index(c)), default=None
    )
    rows = _ranked(list(entries.values()), sort)
    for entry in rows:
        entry.row = [entry.cells.get(column.metric) for column in columns]
    sources = {r.source for r in results if r.source}
    return Leaderboard(task=task, dataset=dataset, columns=columns, sort=sort, entries=rows, sources=sources)


def _ranked(entries: list[Entry], sort: Column | None) -> list[Entry]:
    if sort is None:
        return entries
    sign = 1 if sort.higher_is_better else -1
    latest = datetime.date.max

    def value(entry: Entry) -> Decimal | None:
        cell = entry.cells.get(sort.metric)
        return cell.value if cell is not None else None

    ranked = sorted(
        (e for e in entries if value(e) is not None),
        key=lambda e: (-sign * value(e), e.paper_date or latest, e.model_name.lower()),
    )
    for position, entry in enumerate(ranked, start=1):
        entry.rank = position
    rest = sorted(
        (e for e in entries if value(e) is None), key=lambda e: (e.paper_date or latest, e.model_name.lower())
    )
    return ranked + rest


# --- a paper's claimed results ----------------------------------------------------------------------


def paper_claimed_results(lookup: str = "claimed_results") -> Prefetch:
    """A paper's claimed results on published tasks and datasets, by task, dataset and metric."""
    return Prefetch(
        lookup,
        queryset=Result.objects.filter(task__status=PUBLISHED, dataset__status=PUBLISHED)
        .select_related("task", "dataset")
        .order_by("task__name", "dataset__name", "model_name", "metric", "pk"),
        to_attr="listed_results",
    )


def paper_code(lookup: str = "code") -> Prefetch:
    """A paper's repositories (published projects), official first, then by name."""
    return Prefetch(
        lookup,
        queryset=PaperCode.objects.filter(project__status=PUBLISHED)
        .select_related("project")
        .order_by("-is_official", "project__name", "pk"),
        to_attr="listed_code",
    )
