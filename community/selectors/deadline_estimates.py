"""Deadlines that have passed and deadlines not announced yet (issue 15, item 6).

A snapshot of the trackers ages: a newcomer's /deadlines/ would soon be empty. So the page also lists
the last twelve months' deadlines (greyed: past, still listed) and, for each venue among them whose
next deadline is not announced, an *estimate* from its past editions ("usually mid-May; last: 15 May
2025"). An estimate is never a Deadline row and never in a calendar or feed unless the reader asks
(`?estimates=1`). `estimate_next` is a pure function of the past editions' dates.
"""

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from django.db.models import Max, QuerySet
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext

from community.models import Deadline, Provenance, SourceFetch

PAST_WINDOW = dt.timedelta(days=365)
# How far back past editions count, and how many of the newest past deadlines the page lists.
HISTORY_YEARS = 8
PAST_SHOWN = 100
# Past deadlines further apart than this around their usual day (in days) make a venue irregular:
# its estimate is a range of months, not a day.
REGULAR_SPREAD_DAYS = 31
YEAR_DAYS = 365.2425
TRACKER_SOURCES = ("ai-deadlines", "ccf-deadlines")


@dataclass(frozen=True)
class Estimate:
    """When a venue's next paper deadline is expected, from its past editions' deadlines."""

    expected: dt.date
    last: dt.date
    editions: int
    period: int  # years between editions: 1, or 2 for a venue held every other year
    regular: bool
    earliest: dt.date  # the window the past deadlines fell in, shown for an irregular venue
    latest: dt.date

    def describe(self) -> str:
        """ "usually mid-May; last: 15 May 2025", in the active language."""
        last = date_format(self.last, gettext("j F Y"))
        if not self.regular:
            text = gettext("irregular, between %(earliest)s and %(latest)s; last: %(last)s") % {
                "earliest": month_part(self.earliest),
                "latest": month_part(self.latest),
                "last": last,
            }
        elif self.editions == 1:
            text = gettext("around %(when)s, from one past edition; last: %(last)s") % {
                "when": month_part(self.expected),
                "last": last,
            }
        else:
            text = gettext("usually %(when)s; last: %(last)s") % {
                "when": month_part(self.expected),
                "last": last,
            }
        if self.period == 2:
            text += " " + gettext("(held every two years)")
        return text


def month_part(day: dt.date) -> str:
    """ "early May", "mid-May" or "late May"."""
    month = MONTHS[day.month]
    if day.day <= 10:
        return gettext("early %(month)s") % {"month": month}
    if day.day <= 20:
        return gettext("mid-%(month)s") % {"month": month}
    return gettext("late %(month)s") % {"month": month}


def _angle(day: dt.date) -> float:
    return 2 * math.pi * (day.timetuple().tm_yday - 1) / YEAR_DAYS


def _days_after(a: float, mean: float) -> float:
    """Days from `mean` to `a` (points of the year as angles), the short way round: negative before
    it (31 Dec is two days before 2 Jan, not 363 after)."""
    return (((a - mean + math.pi) % (2 * math.pi)) - math.pi) * YEAR_DAYS / (2 * math.pi)


def estimate_next(past: Sequence[tuple[int, dt.date]], *, today: dt.date) -> Estimate | None:
    """The next deadline expected after `today`, from `past`: (edition year, its paper deadline) of
    the venue's past editions. None without a past edition, or when the last one is so long ago
    (more than three periods) that the venue has likely stopped.

    The usual day is the circular mean of the deadlines' days of the year (a venue whose deadline
    moves between late December and early January is usual around New Year, not in July); a venue
    whose editions are every other year (median gap of two) is expected every other year."""
    if not past:
        return None
    by_year = {}
    for year, day in sorted(past):
        by_year.setdefault(year, day)  # one deadline per edition: the first given
    years = sorted(by_year)
    days = [by_year[year] for year in years]
    gaps = [b - a for a, b in zip(years, years[1:], strict=False)]
    period = 2 if gaps and median(gaps) >= 2 else 1
    last = max(days)
    if (today - last).days > 3 * period * YEAR_DAYS:
        return None
    angles = [_angle(day) for day in days]
    mean = math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles)))
    offsets = {day: _days_after(_angle(day), mean) for day in days}
    spread = max(abs(offset) for offset in offsets.values())
    usual = round((mean % (2 * math.pi)) * YEAR_DAYS / (2 * math.pi)) % 365
    # The first usual day at least most of a period after the last deadline (a venue usual on
    # 31 December whose last deadline fell on 3 January is expected on 31 December of that year),
    # and after today.
    year = last.year - 1
    expected = dt.date(year, 1, 1) + dt.timedelta(days=usual)
    while expected <= max(today, last + dt.timedelta(days=period * YEAR_DAYS - 180)):
        year += period if expected > last else 1
        expected = dt.date(year, 1, 1) + dt.timedelta(days=usual)
    in_year = sorted(days, key=offsets.__getitem__)
    return Estimate(
        expected=expected,
        last=last,
        editions=len(days),
        period=period,
        regular=spread <= REGULAR_SPREAD_DAYS,
        earliest=in_year[0],
        latest=in_year[-1],
    )


@dataclass(frozen=True)
class ExpectedDeadline:
    venue_name: str
    venue_slug: str
    estimate: Estimate


def venue_estimate(venue, *, now: dt.datetime) -> Estimate | None:
    """The estimate for a venue page, from its editions and their deadlines as venue_detail()
    prefetched them (no query): None when a deadline of the venue is announced from `now` on."""
    past = []
    for edition in venue.editions.all():
        for deadline in edition.deadlines.all():
            if deadline.due_at >= now:
                return None
            if deadline.kind == Deadline.Kind.PAPER:
                past.append((edition.year, deadline.due_at.date()))
    if any(deadline.due_at >= now for deadline in getattr(venue, "venue_deadlines", ())):
        return None
    return estimate_next(past, today=now.date())


def deadline_recent_past(*, now: dt.datetime) -> QuerySet[Deadline]:
    """Public deadlines of the last twelve months, the most recent first (the page greys them)."""
    return (
        Deadline.objects.public()
        .filter(due_at__lt=now, due_at__gte=now - PAST_WINDOW)
        .select_related("venue", "edition")
        .order_by("-due_at", "-pk")
    )


def expected_deadlines(*, venues: QuerySet, now: dt.datetime) -> list[ExpectedDeadline]:
    """For each venue in `venues` (a queryset of venue ids, e.g. those with a deadline in the last
    twelve months that match the page's filters) with no deadline announced from `now` on, the
    estimate of its next paper deadline, soonest first. One query."""
    rows = (
        Deadline.objects.public()
        .filter(venue_id__in=venues, due_at__gte=now - dt.timedelta(days=round(HISTORY_YEARS * YEAR_DAYS)))
        .values_list("venue_id", "venue__name", "venue__slug", "edition__year", "kind", "due_at")
        .order_by("venue_id", "due_at")
    )
    names: dict[int, tuple[str, str]] = {}
    announced: set[int] = set()
    past: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for venue_id, name, slug, year, kind, due_at in rows:
        names[venue_id] = (name, slug)
        if due_at >= now:
            announced.add(venue_id)
        elif kind == Deadline.Kind.PAPER and year:
            past[venue_id].append((year, due_at.date()))
    expected = []
    for venue_id, dues in past.items():
        if venue_id in announced:
            continue
        estimate = estimate_next(dues, today=now.date())
        if estimate is not None:
            expected.append(ExpectedDeadline(*names[venue_id], estimate))
    return sorted(expected, key=lambda e: (e.estimate.expected, e.venue_name))


def tracker_imports() -> list[dict]:
    """For each deadline tracker the catalogue holds items from: the revision (commit or fetch date)
    of its latest import and when that import first brought items in. One query."""
    latest: dict[str, dict] = {}
    rows = (
        Provenance.objects.filter(source__in=TRACKER_SOURCES)
        .values("source", "revision")
        .annotate(imported_at=Max("first_imported_at"))
        .order_by()
    )
    for row in rows:
        if row["source"] not in latest or row["imported_at"] > latest[row["source"]]["imported_at"]:
            latest[row["source"]] = row
    return [latest[source] for source in TRACKER_SOURCES if source in latest]


def source_syncs() -> list[dict]:
    """The addresses the deadline sync fetches (settings.DEADLINE_SOURCES, community.SourceFetch):
    when each was last asked and last changed, and its last error. One query (none listed: a site
    that only imports files, or the shipped snapshot)."""
    return list(
        SourceFetch.objects.order_by("url").values(
            "url", "checked_at", "changed_at", "revision", "last_error"
        )
    )
