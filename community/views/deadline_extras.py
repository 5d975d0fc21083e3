"""What /deadlines/ shows beside the upcoming deadlines (issue 15, item 6): the last twelve months'
deadlines (greyed), the expected dates of the venues among them whose next deadline is not announced
(always labelled as estimates), and when each tracker was last imported. The page's filters apply
to all three as to the list."""

import datetime as dt

from django.http import HttpRequest

from community.filters import DeadlineFilter
from community.selectors.deadline_estimates import (
    PAST_SHOWN,
    deadline_recent_past,
    expected_deadlines,
    tracker_imports,
)
from community.sources import SOURCES


def filtered_recent_past(request: HttpRequest, now: dt.datetime):
    """The last twelve months' deadlines as the page's filters narrow them (the view has checked
    the filters already; invalid ones give the unfiltered list)."""
    filterset = DeadlineFilter(request.GET, queryset=deadline_recent_past(now=now), request=request)
    return filterset.qs if filterset.is_valid() else deadline_recent_past(now=now)


def deadline_extras(request: HttpRequest, now: dt.datetime) -> dict:
    """Three queries: the past deadlines shown, the estimates, the trackers' imports."""
    past = filtered_recent_past(request, now)
    shown = list(past[: PAST_SHOWN + 1])
    return {
        "now": now,
        "past_deadlines": shown[:PAST_SHOWN],
        "past_capped": len(shown) > PAST_SHOWN,
        "expected_deadlines": expected_deadlines(venues=past.values("venue_id"), now=now),
        "tracker_imports": [{**row, "about": SOURCES.get(row["source"])} for row in tracker_imports()],
    }


def calendar_estimates(request: HttpRequest, now: dt.datetime) -> list:
    """The expected deadlines for a calendar or feed: none unless the reader asks (?estimates=1)."""
    if request.GET.get("estimates") != "1":
        return []
    return expected_deadlines(venues=filtered_recent_past(request, now).values("venue_id"), now=now)
