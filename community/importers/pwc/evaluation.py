"""The evaluation tables (sota-extractor's format): a task with its `subtasks` (tasks again, to any
depth) and `datasets`, each dataset with `subdatasets` (its variants) and a `sota` table of `metrics`
names and `rows` (model name, paper, date, code and model links, a value per metric).

`evaluation_rows(raw, ref, unused)` flattens one top-level task into rows in the order a writer
needs them: a task before its subtasks, a dataset before its variants and their results. A row of a
table that cannot be read is a ParseFailure in its place; its neighbours are read as usual.
"""

from collections import Counter
from collections.abc import Iterator

from django.utils.translation import gettext

from community.importers import ParseFailure

from . import values as v
from .records import DatasetRow, ResultRow, TaskRow
from .rows import DESCRIPTION_MAX, NAME_MAX, TITLE_MAX, _url

TASK_FIELDS = {"task", "description", "categories", "subtasks", "datasets"}
DATASET_FIELDS = {"dataset", "subdataset", "description", "subdatasets", "sota"}
ROW_FIELDS = {"model_name", "paper_title", "paper_url", "paper_date", "code_links", "model_links",
              "metrics", "uses_additional_data"}  # fmt: skip
MAX_DEPTH = 50


def evaluation_rows(raw, ref: str, unused: Counter) -> Iterator:
    yield from _task(raw, ref, "", "", unused, 0)


def _count_unused(raw: dict, used: set[str], prefix: str, unused: Counter) -> None:
    for key in raw:
        if key not in used:
            unused[f"{prefix}.{key}"] += 1


def _task(raw, ref: str, parent: str, area: str, unused: Counter, depth: int) -> Iterator:
    if not isinstance(raw, dict):
        yield ParseFailure(ref, gettext("a task is not an object"))
        return
    name = v.text(raw.get("task"), NAME_MAX)
    if not name:
        yield ParseFailure(ref, gettext("a task has no name"))
        return
    ref = f"{ref} > {name}"
    if depth > MAX_DEPTH:
        yield ParseFailure(ref, gettext("tasks nested more than %(depth)s deep") % {"depth": MAX_DEPTH})
        return
    _count_unused(raw, TASK_FIELDS, "task", unused)
    categories = v.name_list(raw.get("categories"))
    area = categories[0][:100] if categories else area
    description = v.text(raw.get("description"))
    if len(description) > DESCRIPTION_MAX:
        yield ParseFailure(ref, gettext("its description is too long"))
        return
    yield TaskRow(ref=ref, name=name, description=description, parent=parent, area=area)
    for dataset in _list(raw.get("datasets")):
        yield from _dataset(dataset, ref, name, "", unused)
    for subtask in _list(raw.get("subtasks")):
        yield from _task(subtask, ref, name, area, unused, depth + 1)


def _list(raw) -> list:
    return list(raw) if isinstance(raw, list | tuple) else []


def _dataset(raw, ref: str, task: str, parent: str, unused: Counter) -> Iterator:
    if not isinstance(raw, dict):
        yield ParseFailure(ref, gettext("a dataset is not an object"))
        return
    own = v.text(raw.get("subdataset") if parent else raw.get("dataset"), NAME_MAX)
    if not own:
        yield ParseFailure(ref, gettext("a dataset has no name"))
        return
    name = own if not parent or parent.lower() in own.lower() else f"{parent} ({own})"[:NAME_MAX]
    ref = f"{ref} > {name}"
    _count_unused(raw, DATASET_FIELDS, "dataset", unused)
    description = v.text(raw.get("description"))[:DESCRIPTION_MAX]
    yield DatasetRow(ref=ref, name=name, description=description, variant_of=parent, tasks=(task,))
    sota = raw.get("sota") if isinstance(raw.get("sota"), dict) else {}
    for index, row in enumerate(_list(sota.get("rows")), start=1):
        yield from _results(row, f"{ref} > row {index}", task, name, unused)
    for sub in _list(raw.get("subdatasets")):
        yield from _dataset(sub, ref, task, name, unused)


def _results(raw, ref: str, task: str, dataset: str, unused: Counter) -> Iterator:
    if not isinstance(raw, dict):
        yield ParseFailure(ref, gettext("a table row is not an object"))
        return
    _count_unused(raw, ROW_FIELDS, "row", unused)
    model_name = v.text(raw.get("model_name"), NAME_MAX)
    metrics = raw.get("metrics")
    if not model_name:
        yield ParseFailure(ref, gettext("the row has no model_name"))
        return
    if not isinstance(metrics, dict) or not metrics:
        yield ParseFailure(ref, gettext("the row has no metrics"))
        return
    notes: list[str] = []
    paper_url = _url(raw.get("paper_url"), notes, "paper_url")
    common = {
        "task": task,
        "dataset": dataset,
        "model_name": model_name,
        "paper_title": v.text(raw.get("paper_title"), TITLE_MAX),
        "paper_url": paper_url,
        "paper_date": v.parse_date(raw.get("paper_date")),
        "uses_additional_data": v.flag(raw.get("uses_additional_data")),
        "code_links": _links(raw.get("code_links")),
        "model_links": _links(raw.get("model_links")),
        "notes": tuple(notes),
    }
    for metric, raw_value in metrics.items():
        metric = v.text(metric, 200)
        value, text = v.metric_value(raw_value)
        if not metric or not text:
            continue  # an empty cell: the paper reports no value for this metric
        yield ResultRow(ref=f"{ref} > {metric}", metric=metric, value=value, value_text=text, **common)


def _links(raw) -> tuple[dict, ...]:
    return tuple(
        {"title": v.text(link.get("title"), 200), "url": v.text(link.get("url"), 500)}
        for link in _list(raw)
        if isinstance(link, dict) and v.text(link.get("url")).startswith(("http://", "https://"))
    )
