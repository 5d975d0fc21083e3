"""Papers the evaluation tables name that the catalogue lacks (issue 14): a leaderboard row that
points at an arXiv paper the catalogue does not have makes it, with only what the row and its
address say: the row's title, the arXiv id and abstract page, and the year (the row's paper date,
else the year of first submission that a new-style arXiv id starts with, as the arXiv import dates
a paper). Its results then link to it, so its page shows them, with the archive named as source.

A row without an arXiv address, or whose title is no title (NLP-progress writes citation marks such
as "[8]"), makes no paper: nothing about it would be sure. A paper the catalogue has (by arXiv id, or
by the row's title) is only linked, never made again; a rerun finds what the first run made.
"""

import re

from community.identifiers import normalize_title
from community.models import Paper

from .pwc_context import Context, arxiv_of
from .pwc_store import Item

_NEW_STYLE = re.compile(r"^(\d\d)(\d\d)\.\d{4,5}$")
_NO_TITLE = re.compile(r"^\W*\[?\d*\]?\W*$")  # "[8]", "", "-"


def _year(row, arxiv_id: str) -> int | None:
    if row.paper_date is not None:
        return row.paper_date.year
    match = _NEW_STYLE.match(arxiv_id)
    return 2000 + int(match[1]) if match else None


def result_papers_ensure(ctx: Context, rows, found: dict[str, int]) -> None:
    """Make the arXiv papers `rows` (ResultRows) name that `found` (Context.papers_named) lacks, and
    add them to `found` (see the module)."""
    wanted: dict[str, Item] = {}
    for row in rows:
        arxiv_id = arxiv_of(row.paper_url)
        title = row.paper_title.strip()
        if not arxiv_id or f"arxiv:{arxiv_id}" in found or arxiv_id in wanted or _NO_TITLE.match(title):
            continue
        year = _year(row, arxiv_id)
        if normalize_title(title) in found or year is None:
            continue
        values = {"title": title, "year": year, "arxiv_id": arxiv_id,
                  "url": f"https://arxiv.org/abs/{arxiv_id}"}  # fmt: skip
        wanted[arxiv_id] = Item(key=arxiv_id, values=values, ref=row.ref, slug_text=title)
    if not wanted:
        return
    items = list(wanted.values())
    ctx.store.sync(Paper, items)
    for item in items:
        found[f"arxiv:{item.key}"] = item.obj.pk
        ctx.outcome("paper", f"{item.ref}: {item.values['title']}", item.outcome)
