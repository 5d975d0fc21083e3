"""A paper's tasks and methods as a newer dump gives them (issue 14, item 4): links the dump no longer
gives are removed, and the change, like any other field's, is recorded in the paper's history.

Only for papers the archive created (a paper the catalogue had first keeps its links: the import only
adds to it), and only when the record names some (an empty list never empties a paper's links, as
an empty field never empties a field). Links are compared by name, case aside, as the import finds
tasks and methods. The links themselves are added afterwards (pwc_papers._link_tasks_and_methods);
here the removed ones are deleted and `item.changes` says what the paper's lists become, so the store
counts the paper updated and writes the history. Two queries for the batch, and one delete per kind
only when something goes.
"""

from community.models import Method, Task

# (the row's attribute, the name of a mention, the through table, its column to the linked item)
_KINDS = (
    ("tasks", lambda name: name, Task.papers.through, "task"),
    ("methods", lambda mention: mention.name, Method.papers.through, "method"),
)


def links_prune(items, rows_by_ref) -> None:
    """See the module. `items` are the batch's Items (those with an `obj` exist already)."""
    papers = {item.obj.pk: item for item in items if item.obj is not None and not item.fill_only}
    if not papers:
        return
    for attribute, name_of, through, column in _KINDS:
        current: dict[int, list[tuple[int, str]]] = {}
        rows = through.objects.filter(paper_id__in=papers).values_list("pk", "paper_id", f"{column}__name")
        for pk, paper_id, name in rows.order_by(f"{column}__name"):
            current.setdefault(paper_id, []).append((pk, name))
        gone: list[int] = []
        for paper_id, item in papers.items():
            wanted = [name_of(mention) for mention in getattr(rows_by_ref[item.ref], attribute)]
            if not wanted:
                continue
            before = current.get(paper_id, [])
            keys = {name.lower() for name in wanted}
            if {name.lower() for _, name in before} == keys:
                continue
            gone += [pk for pk, name in before if name.lower() not in keys]
            item.changes[attribute] = [[name for _, name in before], sorted(set(wanted), key=str.lower)]
        if gone:
            through.objects.filter(pk__in=gone).delete()
