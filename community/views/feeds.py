"""The deadline calendars: /deadlines.ics (filterable like the deadlines page) and one deadline's
/deadlines/<pk>.ics. The Atom feeds are community.feeds' Feed classes, routed in config/urls.py."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from community.feeds import asked_estimates, deadline_calendar
from community.filters import DeadlineFilter
from community.models import Deadline, FundingOpportunity
from community.selectors.venues import deadline_upcoming, item_sources

from .base import form_problems

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _bad_request(problems: list[str]) -> HttpResponse:
    # A calendar client shows none of an HTML page; a line of text says what to fix.
    text = "\n".join([_("This calendar address has a problem:"), *problems]) + "\n"
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


@require_GET
def deadlines_ics(request: HttpRequest) -> HttpResponse:
    """Upcoming conference deadlines (filtered by ?topic, ?venue, ?kind, ?ccf_rank, ?core_rank, ?field,
    ?open and ?q as on /deadlines/) and, unless the filters name a venue, a kind, a rank or a field,
    the published funding deadlines."""
    now = timezone.now()
    upcoming = deadline_upcoming(now=now).prefetch_related(item_sources())
    filterset = DeadlineFilter(request.GET, queryset=upcoming, request=request)
    if not filterset.is_valid():
        return _bad_request(form_problems(filterset.form))
    data = filterset.form.cleaned_data
    funding = []
    # Funding has no venue, kind, rank or field: a calendar filtered by one of those lists none.
    if not any(data.get(name) for name in ("venue", "kind", "ccf_rank", "core_rank", "field")):
        queryset = (
            # A call a moderator closed early (withdrawn) leaves the calendar before its deadline.
            FundingOpportunity.objects.published().open(now=now).filter(deadline__isnull=False)
        ).select_related("funder")
        if data.get("topic"):
            queryset = queryset.filter(topics=data["topic"])
        if data.get("q", "").strip():
            text = data["q"].strip()
            queryset = queryset.filter(Q(title__icontains=text) | Q(description__icontains=text))
        funding = queryset.order_by("deadline", "pk")
    body = deadline_calendar(
        deadlines=filterset.qs,
        funding=funding,
        estimates=asked_estimates(request, now),
        name=_("DeepCommons deadlines"),
        absolute=request.build_absolute_uri,
    )
    return HttpResponse(body, content_type=CALENDAR_TYPE)


@require_GET
def deadline_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One deadline (past ones too, so a saved link keeps working) as a file to add to a calendar."""
    deadline = get_object_or_404(
        Deadline.objects.public().select_related("venue", "edition").prefetch_related(item_sources()), pk=pk
    )
    body = deadline_calendar(deadlines=[deadline], name=str(deadline), absolute=request.build_absolute_uri)
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="deadline-{deadline.pk}.ics"'
    return response
