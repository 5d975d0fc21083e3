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

from community.slug_urls import slug_url

from .community_tags import public

register = template.Library()

# A paper's row names this many authors, then "et al.".
NAMED_AUTHORS = 6


@register.simple_tag
def author_links(authorships, limit=None):
    """Linked author names in order, `limit` of them then "et al." (none: all). `authorships`:
    prefetched, ordered by position, published people only."""
    return _authors(_author_links(authorships, limit), limit)


@register.simple_tag
def topic_chips(topics):
    """The topics as a list of linked chips; nothing when there are none."""
    return _chips((t.get_absolute_url(), t.name) for t in topics)


@register.simple_tag
def paper_rows(papers, show_topics=False):
    """`partials/paper_item.html` for each paper of a list (its title, first six authors, venue and
    year, and with `show_topics` its topic chips), without an include per row: twenty includes were
    about a fifth of a papers list page's rendering (benchmarks/load_mix.py). `papers` carry their
    links as plain rows (community.selectors.papers.with_row_links)."""
    person, topic = "community:person-detail", "community:topic-detail"
    # One author past the named ones says "et al."; the rest need no address.
    return mark_safe(  # noqa: S308 (format_html rows)
        "".join(
            _row(
                paper,
                [(slug_url(person, slug), name) for slug, name in paper.row_authors[: NAMED_AUTHORS + 1]],
                [(slug_url(topic, slug), name) for slug, name in paper.row_topics] if show_topics else None,
            )
            for paper in papers
        )
    )


@register.simple_tag
def paper_row(paper, show_topics=False):
    """One paper's <li>: the markup of `partials/paper_item.html`, which calls this; its authors and
    topics prefetched."""
    authors = _author_links(paper.authorships.all(), NAMED_AUTHORS)
    topics = [(t.get_absolute_url(), t.name) for t in paper.topics.all()] if show_topics else None
    return _row(paper, authors, topics)


def _author_links(authorships, limit) -> list[tuple[str, str]]:
    """(address, name) of the first `limit` authors and one more, which says there are more (all
    of them when `limit` is None): the others need no address."""
    authorships = list(authorships)
    return [(a.person.get_absolute_url(), a.person.name) for a in authorships[: limit + 1 if limit else None]]


def _authors(links: list, limit) -> str:
    """`links`: (address, name) of each author in order (at least `limit` + 1 when there are more)."""
    shown = links[:limit] if limit else links
    html = format_html_join(", ", '<a href="{}"><bdi>{}</bdi></a>', shown)
    if len(shown) < len(links):
        html = format_html("{} {}", html, gettext("et al."))
    return html


def _chips(links) -> str:
    """`links`: (address, name) of each topic."""
    items = format_html_join("", '<li><a href="{}">{}</a></li>', links)
    if not items:
        return mark_safe("")  # noqa: S308 (an empty string)
    return format_html('<ul class="chips" aria-label="{}">{}</ul>', gettext("Topics"), items)


def _row(paper, authors: list, topics: list | None) -> str:
    """A paper's <li> from its authors' and (None: not shown) topics' (address, name) links."""
    shown_authors = (
        format_html('<span class="authors">{}</span> · ', _authors(authors, NAMED_AUTHORS)) if authors else ""
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
        shown_authors,
        venue_link,
        paper.year,
        _chips(topics) if topics is not None else "",
    )
