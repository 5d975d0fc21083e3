"""Reads of papers."""

import functools
from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname, resolution_order

from community.models import Guide, ModerationStatus, Paper, Project, SimilarPaper

from ._common import (
    LINK_COLUMNS,
    has_rows,
    item_sources,
    one_with_relations,
    ordered_authorships,
    published_topics,
)
from .leaderboards import paper_claimed_results, paper_code


def paper_list() -> QuerySet[Paper]:
    """Published papers, newest year first, with venue and edition (`paper_base`'s columns of them),
    authors in order and topics (of each, what a link to it shows): the API's list and the BibTeX
    export, which show no more of them (not the authors' biographies or the venues' descriptions)."""
    return (
        paper_base()
        .prefetch_related(ordered_authorships(links_only=True), published_topics(links_only=True))
        .order_by("-year", "title", "pk")
    )


# What a paper's row on the papers list shows (community.templatetags.list_rows.paper_rows): its
# title, year and venue link. The abstract is most of a paper's bytes; the other columns (identifiers,
# dates, the venue's descriptions in each language) cost their decoding on each of the twenty rows.
ROW_COLUMNS = ("slug", "status", "title", "year", "venue", *(f"venue__{name}" for name in LINK_COLUMNS))


def paper_rows() -> QuerySet[Paper]:
    """Published papers, newest year first, with what a list row shows of them and their venue (the
    papers list page; `with_row_links` adds the authors and topics of the page's rows)."""
    return (
        Paper.objects.published().select_related("venue").only(*ROW_COLUMNS).order_by("-year", "title", "pk")
    )


def with_row_links(papers) -> list[Paper]:
    """`papers` (a list page's rows) with `row_authors`, their published authors in order, and
    `row_topics`, their published topics by name in the reader's language, each a list of (slug,
    name): two queries of plain rows. Read as prefetched model instances and rendered from them, the
    twenty rows' authorships, people and topics were about half the list page's CPU
    (benchmarks/RESULTS.md, issue 18)."""
    papers = list(papers)
    ids = [paper.pk for paper in papers]
    authors, topics = defaultdict(list), defaultdict(list)
    # The rows a paper's own prefetches read (which people and topics are shown, in which order),
    # as plain values.
    for paper_id, slug, name in (
        ordered_authorships()
        .queryset.filter(paper_id__in=ids)
        .values_list("paper_id", "person__slug", "person__name")
    ):
        authors[paper_id].append((slug, name))
    # A topic's name in the reader's language, else in the next of its fallbacks (as the field reads).
    names = [build_localized_fieldname("name", code) for code in resolution_order(get_language())]
    for paper_id, slug, *translations in (
        published_topics().queryset.filter(papers__in=ids).values_list("papers", "slug", *names)
    ):
        topics[paper_id].append((slug, next((name for name in translations if name), "")))
    for paper in papers:
        paper.row_authors, paper.row_topics = authors[paper.pk], topics[paper.pk]
    return papers


def paper_detail() -> QuerySet[Paper]:
    """Published papers with what a paper's page and its API record both show: authors (and
    affiliations), venue, edition, topics, projects and guides. The page and the API's detail read
    one paper with `paper_page` / `paper_record` instead (the same relations, fetched for one)."""
    return paper_base().prefetch_related(*_usual_relations(), *_record_relations())


def paper_base() -> QuerySet[Paper]:
    """Published papers with venue and edition: what `paper_record` and `paper_page` start from.
    Of the venue and edition, only the columns a paper's page, its API record and its BibTeX show:
    the other two dozen (descriptions in each language, ranks, dates) made the query's compilation
    and rows about twice as costly."""
    return (
        Paper.objects.published()
        .select_related("venue", "edition")
        .only(
            *PAPER_COLUMNS,
            *(f"venue__{name}" for name in VENUE_SHOWN),
            *(f"edition__{name}" for name in EDITION_SHOWN),
        )
    )


PAPER_COLUMNS = [field.name for field in Paper._meta.concrete_fields]
VENUE_SHOWN = ("slug", "status", "name", "full_name", "kind", "publisher")
EDITION_SHOWN = ("slug", "status", "year", "venue")


def _usual_relations() -> list[Prefetch]:
    # Nearly every paper has authors and topics: read without asking first.
    return [ordered_authorships(with_affiliation=True), published_topics()]


def _record_relations() -> list[Prefetch]:
    return [
        Prefetch("projects", queryset=Project.objects.published().order_by("name")),
        Prefetch("guides", queryset=Guide.objects.published().order_by("title")),
    ]


def _page_relations() -> list[Prefetch]:
    similar = (
        SimilarPaper.objects.filter(similar__status=ModerationStatus.PUBLISHED)
        .select_related("similar")
        .only("paper_id", "rank", *(f"similar__{name}" for name in ("slug", "status", "title", "year")))
        .order_by("rank")
    )
    return [
        *_record_relations(),
        Prefetch("similar_links", queryset=similar, to_attr="similar_papers"),
        item_sources(),
        paper_claimed_results(),
        paper_code(),
    ]


@functools.lru_cache(maxsize=8)
def _relations(which: str, language: str | None) -> tuple[list[Prefetch], list[Prefetch]]:
    """The (always, if_any) relations of a paper's record or page, built once per process and
    language: building their querysets (filters, joins, orderings; a translated field's ordering
    names the language's column) cost as much CPU as running the two or three that a paper needs.
    They are never run themselves, only filtered (a copy) for each paper."""
    return _usual_relations(), (_page_relations() if which == "page" else _record_relations())


def paper_record(queryset: QuerySet[Paper] | None = None, *, slug: str) -> Paper | None:
    """The published paper `slug` as the API's detail shows it (`paper_detail`'s relations), or
    None; `queryset` (from `paper_base()`, the API's filters applied) narrows it further. One query
    for the paper, one each for its authors and topics and for each other relation it has rows in
    (community.selectors._common.one_with_relations)."""
    always, if_any = _relations("record", get_language())
    return one_with_relations(
        paper_base() if queryset is None else queryset, always=always, if_any=if_any, slug=slug
    )


def paper_head(*, slug: str) -> Paper | None:
    """The published paper `slug` with only what its page shows outside the cached article (the
    title in <title>, the links to suggest an edit or report it), or None: one query by slug."""
    return Paper.objects.published().only("id", "slug", "status", "title", "year").filter(slug=slug).first()


def paper_page(*, slug: str) -> Paper | None:
    """The published paper `slug` with everything its page links to, or None: `paper_record`'s
    relations, `sources` (the imports that gave it), `similar_papers` (the SimilarPaper rows of its
    published neighbours, most similar first: community.services.similar), `listed_results` (the
    results it claims on leaderboards), `listed_code` (its repositories, official first) and
    `has_benchmarks` (whether a reference benchmark reproduces it: the claims section asks no query
    when none does). Queries as `paper_record`'s."""
    always, if_any = _relations("page", get_language())
    queryset = paper_base().annotate(has_benchmarks=has_rows(Paper, "benchmarks"))
    return one_with_relations(queryset, always=always, if_any=if_any, slug=slug)


def paper_latest(*, limit: int) -> QuerySet[Paper]:
    """The most recently added published papers (for the home page)."""
    return (
        Paper.objects.published()
        .select_related("venue")
        .prefetch_related(ordered_authorships())
        .order_by("-created_at", "-pk")[:limit]
    )
