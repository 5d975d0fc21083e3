"""Saved searches: which list pages a reader may save with their filters, how an address is
checked (the list page's own FilterSet validates the query, as the page does), and the items a
saved search finds now (its Atom feed)."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community.filters import (
    ChannelFilter,
    DeadlineFilter,
    FundingFilter,
    GuideFilter,
    JobFilter,
    OrganizationFilter,
    PaperFilter,
    PersonFilter,
    ProjectFilter,
    TopicFilter,
    VenueFilter,
)
from community.selectors.careers import job_list
from community.selectors.channels import channel_list
from community.selectors.funding import funding_list
from community.selectors.guides import guide_list
from community.selectors.papers import paper_list
from community.selectors.people import organization_list, person_list
from community.selectors.projects import project_list
from community.selectors.topics import topic_list
from community.selectors.venues import deadline_upcoming, venue_list

FEED_SIZE = 30


@dataclass(frozen=True)
class Searchable:
    filterset: type
    queryset: Callable[[], object]


# The list pages (by URL name) a search may be saved from.
SEARCHABLE: dict[str, Searchable] = {
    "community:paper-list": Searchable(PaperFilter, paper_list),
    "community:project-list": Searchable(ProjectFilter, project_list),
    "community:venue-list": Searchable(VenueFilter, venue_list),
    "community:deadline-list": Searchable(DeadlineFilter, lambda: deadline_upcoming(now=timezone.now())),
    "community:job-list": Searchable(JobFilter, job_list),
    "community:funding-list": Searchable(FundingFilter, funding_list),
    "community:organization-list": Searchable(OrganizationFilter, organization_list),
    "community:person-list": Searchable(PersonFilter, person_list),
    "community:channel-list": Searchable(ChannelFilter, channel_list),
    "community:guide-list": Searchable(GuideFilter, guide_list),
    "community:topic-list": Searchable(TopicFilter, topic_list),
}
# Parameters of a page that are not part of what it finds.
IGNORED_PARAMETERS = ("page", "tz")


def _unprefixed(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def _searchable(path: str) -> tuple[str, Searchable]:
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            match = None
    if match is None or match.view_name not in SEARCHABLE:
        raise ValidationError(
            _("Only a list page with its filters can be saved, e.g. /papers/?topic=transformers."),
            code="page",
        )
    return match.view_name, SEARCHABLE[match.view_name]


def _filterset(searchable: Searchable, query: QueryDict):
    return searchable.filterset(query, queryset=searchable.queryset(), request=None)


def normalize(address: str) -> tuple[str, str]:
    """(path, query) of a list page's address (absolute or not, any language), its query reduced to
    the page's own valid filters; raises ValidationError saying what is wrong."""
    parts = urlsplit((address or "").strip())
    if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/"):
        raise ValidationError(
            _("Give the address of a list page, e.g. /papers/?topic=transformers."), code="page"
        )
    path = _unprefixed(parts.path)
    view_name, searchable = _searchable(path)
    query = QueryDict(parts.query)
    filterset = _filterset(searchable, query)
    if not filterset.is_valid():
        problems = [f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()]
        raise ValidationError(
            _("These filters are not valid: %(problems)s") % {"problems": "; ".join(problems)}
        )
    known = [
        (key, value) for key, values in query.lists() if key in filterset.form.fields for value in values
    ]
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(view_name), urlencode(known)


def found_items(*, path: str, query: str) -> list:
    """The newest items (by when they were added; deadlines by date) a saved search finds now;
    an address that stopped being valid finds nothing."""
    try:
        _view_name, searchable = _searchable(path)
    except ValidationError:
        return []
    filterset = _filterset(searchable, QueryDict(query))
    if not filterset.is_valid():
        return []
    queryset = filterset.qs
    if any(field.name == "created_at" for field in queryset.model._meta.fields):
        queryset = queryset.order_by("-created_at", "-pk")
    return list(queryset[:FEED_SIZE])
