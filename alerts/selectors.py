"""Reads of the alerts app that pages, the API, the calendar and the jobs share."""

import datetime as dt

from django.db.models import QuerySet

from community.models import Deadline, FundingOpportunity
from community.selectors.deadline_estimates import ExpectedDeadline, expected_deadlines

from .models import AlertSettings, CalendarToken, Follow, SavedSearch

# The private calendar keeps a deadline this long after it passed, so "what did I just miss" shows.
CALENDAR_PAST_DAYS = 30


def follows_of(user) -> QuerySet[Follow]:
    """A user's follows with what they follow joined (one query)."""
    return Follow.objects.filter(user=user).select_related("venue", "funding", "funding__funder", "topic")


def followed(user, item) -> Follow | None:
    """The user's follow of `item` (a venue, funding call or topic), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    kind = {"venue": "venue", "fundingopportunity": "funding", "topic": "topic"}.get(item._meta.model_name)
    if kind is None:
        return None
    return Follow.objects.filter(user=user, **{kind: item}).first()


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user)


def settings_of(user) -> AlertSettings:
    """The user's alert settings, or the defaults (unsaved) when they never changed them."""
    return AlertSettings.objects.filter(user=user).first() or AlertSettings(user=user)


def calendar_token_of(user) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


def calendar_deadlines(user, *, now: dt.datetime) -> QuerySet[Deadline]:
    """Public deadlines of the venues the user follows, from CALENDAR_PAST_DAYS ago on."""
    return (
        Deadline.objects.public()
        .filter(venue__follows__user=user, due_at__gte=now - dt.timedelta(days=CALENDAR_PAST_DAYS))
        .select_related("venue", "edition")
        .order_by("due_at", "pk")
    )


def calendar_estimates(user, *, now: dt.datetime) -> list[ExpectedDeadline]:
    """The expected next paper deadline (an estimate from past editions) of each venue the user
    follows that has none announced yet: only for a calendar that asks for estimates. One query."""
    venues = Follow.objects.filter(user=user, venue__isnull=False).values("venue_id")
    return expected_deadlines(venues=venues, now=now)


def calendar_funding(user, *, now: dt.datetime) -> QuerySet[FundingOpportunity]:
    """Published funding calls the user follows that have a deadline (a rolling call has none)."""
    return (
        FundingOpportunity.objects.published()
        .filter(
            follows__user=user,
            deadline__isnull=False,
            deadline__gte=now - dt.timedelta(days=CALENDAR_PAST_DAYS),
        )
        .select_related("funder")
        .order_by("deadline", "pk")
    )
