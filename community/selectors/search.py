"""Search across every kind of catalogue item.

One query per kind, each capped, so the page costs the same whatever matches. The fields searched
are the ones the list pages' `q` filter uses (community.filters), so "more results" on a list page
finds the same items. community.search decides how: on PostgreSQL, full-text search over a GIN index,
best match first, for the big kinds; an icontains match in the kind's usual order otherwise.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from community import filters
from community import models as catalogue
from community.search import text_search, uses_full_text
from community.selectors.leaderboards import archive_search

SEARCH_LIMIT = 10
# Each section ranks at most this many matches of its kind (the first the index yields) where the
# lists rank community.search.RANK_CANDIDATES: a section shows the best ten and links to the list's
# full ranking ("More papers matching ..."). A word in one paper in eight made the papers' section
# alone cost 9-15 ms of PostgreSQL at 100k papers, ranking 1,000; 200 cost 5 (benchmarks/RESULTS.md).
SECTION_CANDIDATES = 200


@dataclass(frozen=True)
class SearchSection:
    key: str
    label: str | Promise
    list_url_name: str
    items: list
    has_more: bool


@dataclass(frozen=True)
class _Kind:
    key: str
    label: str | Promise
    list_url_name: str
    queryset: Callable[[], QuerySet]  # the base queryset, with the joins its result line needs
    filterset: type[filters.SearchFilterSet]  # whose search_fields are searched


_KINDS = (
    _Kind(
        "papers",
        _("Papers"),
        "community:paper-list",
        lambda: catalogue.Paper.objects.select_related("venue"),
        filters.PaperFilter,
    ),
    _Kind(
        "projects",
        _("Projects"),
        "community:project-list",
        catalogue.Project.objects.all,
        filters.ProjectFilter,
    ),
    _Kind("venues", _("Venues"), "community:venue-list", catalogue.Venue.objects.all, filters.VenueFilter),
    _Kind(
        "people",
        _("People"),
        "community:person-list",
        lambda: catalogue.Person.objects.select_related("affiliation"),
        filters.PersonFilter,
    ),
    _Kind(
        "organizations",
        _("Organisations"),
        "community:organization-list",
        catalogue.Organization.objects.all,
        filters.OrganizationFilter,
    ),
    _Kind(
        "jobs",
        _("Jobs"),
        "community:job-list",
        lambda: catalogue.JobPosting.objects.select_related("organization"),
        filters.JobFilter,
    ),
    _Kind(
        "funding",
        _("Funding"),
        "community:funding-list",
        lambda: catalogue.FundingOpportunity.objects.select_related("funder"),
        filters.FundingFilter,
    ),
    _Kind(
        "channels",
        _("Channels"),
        "community:channel-list",
        catalogue.Channel.objects.all,
        filters.ChannelFilter,
    ),
    _Kind(
        "guides",
        _("Guides"),
        "community:guide-list",
        lambda: catalogue.Guide.objects.defer("body"),
        filters.GuideFilter,
    ),
    _Kind("topics", _("Topics"), "community:topic-list", catalogue.Topic.objects.all, filters.TopicFilter),
)


def search_catalogue(*, text: str, limit: int = SEARCH_LIMIT) -> list[SearchSection]:
    """Published items of every kind whose searched fields contain `text`; up to `limit` per kind.

    Sections with no match are left out. `has_more` says a kind had more than `limit` matches.
    """
    sections = []
    for kind in _KINDS:
        base = kind.queryset().published()
        queryset = text_search(
            base, kind.filterset.search_fields, text, by_rank=True, candidates=SECTION_CANDIDATES
        )
        if not uses_full_text(base, text):
            queryset = queryset.order_by(*queryset.model._meta.ordering, "pk")
        # One row more than shown tells whether there are more, without a COUNT query.
        rows = list(queryset[: limit + 1])
        if rows:
            sections.append(
                SearchSection(kind.key, kind.label, kind.list_url_name, rows[:limit], len(rows) > limit)
            )
    # Tasks, datasets and methods of the Papers with Code archive: one section, one query.
    rows = archive_search(text=text, limit=limit + 1)
    if rows:
        sections.append(
            SearchSection(
                "archive",
                _("Tasks, datasets and methods"),
                "community:task-list",
                rows[:limit],
                len(rows) > limit,
            )
        )
    return sections
