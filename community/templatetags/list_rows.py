"""The parts every row of a list repeats (authors, topic chips, a paper's row), written in Python.

A list page of twenty papers rendered `partials/authors.html` and `partials/topic_chips.html` once
per row; a template include costs a context push and a node walk per row, about as much as the
row's own markup. These tags write the same HTML directly; the partials call them, so there is one
implementation.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .community_tags import public

register = template.Library()


@register.simple_tag
def author_links(authorships, limit=None):
    """Linked author names in order, `limit` of them then "et al." (none: all). `authorships`:
    prefetched, ordered by position, published people only."""
    rows = list(authorships)
    shown = rows[:limit] if limit else rows
    html = format_html_join(
        ", ", '<a href="{}"><bdi>{}</bdi></a>', ((a.person.get_absolute_url(), a.person.name) for a in shown)
    )
    if len(shown) < len(rows):
        html = format_html("{} {}", html, gettext("et al."))
    return html


@register.simple_tag
def topic_chips(topics):
    """The topics as a list of linked chips; nothing when there are none."""
    topics = list(topics)
    if not topics:
        return mark_safe("")  # noqa: S308 (an empty string)
    items = format_html_join(
        "", '<li><a href="{}">{}</a></li>', ((t.get_absolute_url(), t.name) for t in topics)
    )
    return format_html('<ul class="chips" aria-label="{}">{}</ul>', gettext("Topics"), items)


@register.simple_tag
def paper_rows(papers, show_topics=False):
    """`partials/paper_item.html` for each paper of a list (its title, first six authors, venue and
    year, and with `show_topics` its topic chips), without an include per row: twenty includes were
    about a fifth of a papers list page's rendering (benchmarks/load_mix.py)."""
    return mark_safe("".join(paper_row(paper, show_topics) for paper in papers))  # noqa: S308 (format_html rows)


@register.simple_tag
def paper_row(paper, show_topics=False):
    """One paper's <li>: the markup of `partials/paper_item.html`, which calls this."""
    authorships = list(paper.authorships.all())
    authors = (
        format_html('<span class="authors">{}</span> · ', author_links(authorships, 6)) if authorships else ""
    )
    venue = public(paper.venue) if paper.venue_id else None
    if venue is not None:
        venue_link = format_html('<a href="{}"><bdi>{}</bdi></a> ', venue.get_absolute_url(), venue.name)
    else:
        venue_link = ""
    return format_html(
        '<li class="item">\n  <h3 class="item-title"><a href="{}"><bdi>{}</bdi></a></h3>\n'
        '  <p class="meta">\n    {}{}{}\n  </p>\n  {}\n</li>\n',
        paper.get_absolute_url(),
        paper.title,
        authors,
        venue_link,
        paper.year,
        topic_chips(paper.topics.all()) if show_topics else "",
    )
