"""The body rows of a leaderboard table as HTML, written in Python rather than by the template engine:
a leaderboard of the archive has up to a few thousand rows, and the engine's per-row cost (a dozen
tags and lookups a row) made a 200-row page spend most of its time rendering (as the author lists and
topic chips of the list pages, issue 18). No query: `board` comes from
community.selectors.leaderboards.leaderboard. Every text goes through `escape`; a link only to an
http(s) address.
"""

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from community.templatetags.community_tags import external_url


def _prefix(url_name: str, **kwargs) -> str:
    """The address of `url_name` up to its last argument (the active language's prefix included),
    so each row's link is a concatenation instead of a reverse()."""
    ((name, value),) = kwargs.items()
    return reverse(url_name, kwargs={name: value}).removesuffix(f"{value}/")


def _code_url(links) -> str:
    first = links[0] if links else ""
    return external_url(first.get("url", "") if isinstance(first, dict) else str(first))


def leaderboard_rows(board) -> SafeString:
    """One <tr> per entry: rank, model, a cell per column (linked to the result; a value that is no
    number shown as written, muted), the paper (linked when published), its date and the marks."""
    result_at = _prefix("community:result-detail", pk=1)
    paper_at = _prefix("community:paper-detail", slug="x")
    dash = "—"
    not_a_number = escape(_("Not a number: left out of the ranking"))
    code = escape(_("Code"))
    # Translated outside the f-string: xgettext does not read calls nested in one.
    extra_title, extra_label = _("Trained with data beyond the dataset"), _("Extra data")
    extra = f'<span class="badge" title="{escape(extra_title)}">{escape(extra_label)}</span>'
    rows = []
    for entry in board.entries:
        cells = []
        for cell in entry.row:
            if cell is None:
                cells.append(f'<td class="num">{dash}</td>')
                continue
            if cell.value is None:
                text = f'<span class="muted" title="{not_a_number}">{escape(cell.value_text or dash)}</span>'
            else:
                text = escape(cell.value_text or cell.value)
            cells.append(f'<td class="num"><a href="{result_at}{cell.pk}/">{text}</a></td>')
        if entry.paper is not None:
            paper = (
                f'<a href="{paper_at}{escape(entry.paper.slug)}/"><bdi>{escape(entry.paper.title)}</bdi></a>'
            )
        else:
            paper = f"<bdi>{escape(entry.paper_title)}</bdi>" if entry.paper_title else dash
        date = dash
        if entry.paper_date:
            date = f'<time datetime="{entry.paper_date.isoformat()}">{entry.paper_date:%Y-%m}</time>'
        marks = []
        if entry.has_code:
            url = _code_url(entry.code_links)
            marks.append(
                f'<a class="badge" href="{escape(url)}">{code}</a>'
                if url
                else f'<span class="badge">{code}</span>'
            )
        if entry.uses_additional_data:
            marks.append(extra)
        rows.append(
            f'<tr><td class="num">{entry.rank or dash}</td><th scope="row"><bdi>{escape(entry.model_name)}</bdi></th>'
            f"{''.join(cells)}<td>{paper}</td><td>{date}</td><td>{' '.join(marks)}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text above went through escape()
