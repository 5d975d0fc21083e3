"""What /deadlines/ shows beside the upcoming deadlines (issue 15, item 6): the last twelve months'
deadlines (greyed), the expected dates of the venues among them whose next deadline is not announced
(always labelled as estimates), and when each tracker was last imported. The page's filters apply
to all three as to the list."""

import datetime as dt

from django.http import HttpRequest

from community.feeds import filtered_recent_past
from community.selectors.deadline_estimates import (
    PAST_SHOWN,
    expected_deadlines,
    source_syncs,
    tracker_imports,
)
from community.sources import SOURCES


def deadline_extras(request: HttpRequest, now: dt.datetime) -> dict:
    """Four queries: the past deadlines shown, the estimates, the trackers' imports and syncs. (The calendar
    and the Atom feed add the estimates only when asked: community.feeds.asked_estimates.)"""
    past = filtered_recent_past(request, now)
    shown = list(past[: PAST_SHOWN + 1])
    return {
        "now": now,
        "past_deadlines": shown[:PAST_SHOWN],
        "past_capped": len(shown) > PAST_SHOWN,
        "expected_deadlines": expected_deadlines(venues=past.values("venue_id"), now=now),
        "tracker_imports": [{**row, "about": SOURCES.get(row["source"])} for row in tracker_imports()],
        "source_syncs": source_syncs(),
    }
