"""Tasks, datasets and claimed results (the evaluation tables), and the methods and datasets files,
a batch at a time.

A task is found by name, a dataset by its PwC page, then by name; the first time an import names a
task or dataset decides its place (parent, variant), so a task the tables list under two parents
does not move back and forth. A result is found by task, dataset, metric and row key (the paper's
address or title and the model name); its paper is linked when the catalogue has it.
"""

from django.utils.translation import gettext

from community.importers.pwc.records import DatasetRow, MethodRow, ResultRow, TaskRow
from community.models import Dataset, Method, Result, Task

from .pwc_context import Context, arxiv_of, paper_key, row_key
from .pwc_result_papers import result_papers_ensure
from .pwc_store import SOURCE, Item


def write_tables(ctx: Context, rows: list) -> None:
    """A batch of the evaluation tables' rows, in the order the reader gave them."""
    seen = ctx.__dict__.setdefault("seen_in_file", set())
    tasks = [row for row in rows if isinstance(row, TaskRow)]
    _tasks(ctx, tasks, seen)
    datasets = [row for row in rows if isinstance(row, DatasetRow)]
    _datasets(ctx, datasets, seen, fill_only=True)
    _results(ctx, [row for row in rows if isinstance(row, ResultRow)])


def _tasks(ctx: Context, rows: list[TaskRow], seen: set) -> None:
    known = ctx.tasks()
    pending = []
    for row in rows:
        key = ("task", row.name.lower())
        if key in seen:  # named again elsewhere in the tree: the first place stands
            ctx.outcome("task", row.ref, "unchanged")
            continue
        seen.add(key)
        pending.append(row)
    # Parents come before their children in the file, so each round places one more level.
    while pending:
        ready = [row for row in pending if not row.parent or row.parent.lower() in known]
        ready = ready or pending  # a parent missing from the file: placed at the top
        pending = [row for row in pending if row not in ready]
        items = []
        for row in ready:
            parent = known.get(row.parent.lower()) if row.parent else None
            values = {"name": row.name, "description": row.description, "area": row.area,
                      "parent_id": parent.pk if parent else None}  # fmt: skip
            items.append(Item(key=row.name.lower(), values=values, ref=row.ref, obj=known.get(row.name.lower()),
                              slug_text=row.name))  # fmt: skip
        for item in ctx.store.sync(Task, items):
            known[item.key] = item.obj
        ctx.items("task", items)


def _datasets(ctx: Context, rows: list[DatasetRow], seen: set, *, fill_only: bool) -> None:
    """Datasets by PwC page then name; `fill_only` for the tables' datasets, whose descriptions the
    datasets file (read in full, not fill-only) gives better."""
    known, tasks = ctx.datasets(), ctx.tasks()
    ctx.ensure_tasks(sorted({name for row in rows for name in row.tasks}), "datasets")
    for level in (0, 1):  # variants after the datasets they are variants of
        items, links, repeats = [], [], []
        for row in rows:
            if bool(row.variant_of) != bool(level):
                continue
            key = ("dataset", row.pwc_url or row.name.lower())
            obj = known.get(row.pwc_url) or known.get(row.name.lower())
            if key in seen:
                repeats.append(row)
                ctx.outcome("dataset", row.ref, "unchanged")
                continue
            seen.add(key)
            parent = known.get(row.variant_of.lower()) if row.variant_of else None
            values = {
                "name": row.name, "full_name": row.full_name, "description": row.description,
                "homepage": row.homepage, "pwc_url": row.pwc_url, "introduced_date": row.introduced_date,
                "modalities": list(row.modalities), "languages": list(row.languages),
                "num_papers": row.num_papers, "data_loaders": list(row.data_loaders),
                "variant_of_id": parent.pk if parent else None,
            }  # fmt: skip
            items.append(Item(key=row, values=values, ref=row.ref, obj=obj, slug_text=row.name,
                              fill_only=fill_only and obj is not None))  # fmt: skip
        ctx.store.sync(Dataset, items)
        for item in items:
            row = item.key
            known[row.name.lower()] = item.obj
            if row.pwc_url:
                known[row.pwc_url] = item.obj
            links.extend((item.obj, name) for name in row.tasks)
            ctx.outcome("dataset", item.ref, item.outcome, notes=row.notes)
        for row in repeats:  # a dataset evaluated on another task too
            obj = known.get(row.pwc_url) or known.get(row.name.lower())
            links.extend((obj, name) for name in row.tasks if obj is not None)
        Dataset.tasks.through.objects.bulk_create(
            [Dataset.tasks.through(dataset_id=obj.pk, task_id=tasks[name.lower()].pk) for obj, name in links],
            ignore_conflicts=True,
        )
    _variants(ctx, [row for row in rows if row.variants])


def _variants(ctx: Context, rows: list[DatasetRow]) -> None:
    """The datasets file's `variants`: names of datasets that are this one in another form."""
    known = ctx.datasets()
    items = []
    for row in rows:
        parent = known.get(row.pwc_url or row.name.lower())
        for name in row.variants:
            if name.lower() not in known and parent is not None:
                items.append(Item(key=name.lower(), values={"name": name, "variant_of_id": parent.pk},
                                  ref=f"{row.ref} > {name}", slug_text=name))  # fmt: skip
                known[name.lower()] = None  # claimed by this batch
    ctx.store.sync(Dataset, items)
    for item in items:
        known[item.key] = item.obj
    ctx.items("dataset", items)


def _results(ctx: Context, rows: list[ResultRow]) -> None:
    if not rows:
        return
    tasks, datasets = ctx.tasks(), ctx.datasets()
    found = ctx.papers_named(
        pwc_urls=[r.paper_url for r in rows],
        arxiv_ids=[arxiv_of(r.paper_url) for r in rows],
        titles=[r.paper_title for r in rows],
    )
    result_papers_ensure(ctx, rows, found)
    keyed = []
    for row in rows:
        task, dataset = tasks.get(row.task.lower()), datasets.get(row.dataset.lower())
        if task is None or dataset is None:
            ctx.reject("result", row.ref, gettext("its task or dataset could not be imported"))
            continue
        keyed.append((row, task, dataset, row_key(row.paper_url, row.paper_title, row.model_name)))
    existing = {
        (r.task_id, r.dataset_id, r.metric, r.row_key): r
        for r in Result.objects.filter(
            task_id__in={t.pk for _, t, _, _ in keyed},
            dataset_id__in={d.pk for _, _, d, _ in keyed},
            row_key__in={k for *_, k in keyed},
        )
    }
    items = []
    for row, task, dataset, key in keyed:
        values = {
            "task_id": task.pk, "dataset_id": dataset.pk, "metric": row.metric, "row_key": key,
            "value": row.value, "value_text": row.value_text, "model_name": row.model_name,
            "paper_title": row.paper_title, "paper_url": row.paper_url, "paper_date": row.paper_date,
            "paper_id": paper_key(found, pwc_url=row.paper_url, url=row.paper_url, title=row.paper_title),
            "uses_additional_data": row.uses_additional_data, "code_links": list(row.code_links),
            "model_links": list(row.model_links), "source": SOURCE,
        }  # fmt: skip
        obj = existing.get((task.pk, dataset.pk, row.metric, key))
        items.append(Item(key=key, values=values, ref=row.ref, obj=obj))
    ctx.store.sync(Result, items)
    notes = {row.ref: row.notes for row in rows}
    for item in items:
        ctx.outcome("result", item.ref, item.outcome, notes=notes[item.ref])


def write_methods(ctx: Context, rows: list[MethodRow]) -> None:
    known = ctx.methods()
    found = ctx.papers_named(pwc_urls=[r.paper_url for r in rows], titles=[r.paper_title for r in rows])
    items = []
    for row in rows:
        obj = known.get(row.pwc_url) or known.get(row.name.lower())
        values = {
            "name": row.name, "full_name": row.full_name, "description": row.description,
            "pwc_url": row.pwc_url, "introduced_year": row.introduced_year, "source_url": row.source_url,
            "source_title": row.source_title, "code_snippet_url": row.code_snippet_url,
            "num_papers": row.num_papers, "collections": list(row.collections),
            "paper_id": paper_key(found, pwc_url=row.paper_url, url=row.paper_url, title=row.paper_title),
        }  # fmt: skip
        items.append(Item(key=row, values=values, ref=row.ref, obj=obj, slug_text=row.name))
    ctx.store.sync(Method, items)
    for item in items:
        known[item.key.name.lower()] = item.obj
        if item.key.pwc_url:
            known[item.key.pwc_url] = item.obj
        ctx.outcome("method", item.ref, item.outcome, notes=item.key.notes)


def write_datasets(ctx: Context, rows: list[DatasetRow]) -> None:
    _datasets(ctx, rows, ctx.__dict__.setdefault("seen_in_file", set()), fill_only=False)
