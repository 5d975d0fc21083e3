"""The private calendar takes `?estimates=1` as /deadlines.ics does (issue 15, item 6): then it adds
the expected next paper deadline of each followed venue with none announced, labelled as an
estimate; without it, only announced dates."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from alerts.models import Follow
from alerts.services.calendar import calendar_token_create
from tests.community import factories as f

pytestmark = pytest.mark.django_db


def _venue_with_past_deadlines(name: str, *, upcoming: bool = False):
    """A venue whose paper deadline fell on about the same day in each of the last three years."""
    venue = f.VenueFactory(name=name)
    now = timezone.now()
    for years_ago in (3, 2, 1):
        edition = f.EditionFactory(venue=venue, year=now.year - years_ago + 1)
        f.DeadlineFactory(venue=venue, edition=edition, due_at=now - dt.timedelta(days=365 * years_ago - 40))
    if upcoming:
        edition = f.EditionFactory(venue=venue, year=now.year + 1)
        f.DeadlineFactory(venue=venue, edition=edition, due_at=now + dt.timedelta(days=60))
    return venue


def _events(client, key: str, **params) -> dict[str, icalendar.Event]:
    response = client.get(reverse("alerts:calendar", args=[key]), params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return {str(e["uid"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


def test_estimates_of_followed_venues_only_when_asked(client, user):
    unannounced = _venue_with_past_deadlines("Unannounced")
    announced = _venue_with_past_deadlines("Announced", upcoming=True)
    _venue_with_past_deadlines("Not followed")
    for venue in (unannounced, announced):
        Follow.objects.create(user=user, venue=venue)
    key = calendar_token_create(user=user)

    plain = _events(client, key)
    assert plain and not [uid for uid in plain if uid.startswith("estimate-")]

    with translation.override("en"):
        events = _events(client, key, estimates="1")
    estimates = {uid: e for uid, e in events.items() if uid.startswith("estimate-")}
    assert len(estimates) == 1
    ((uid, event),) = estimates.items()
    assert uid.startswith(f"estimate-{unannounced.slug}-")
    assert str(event["summary"]) == "Unannounced: expected paper deadline (estimate)"
    assert "not an announced date" in str(event["description"])
    expected = event.decoded("dtstart")
    assert isinstance(expected, dt.date) and not isinstance(expected, dt.datetime)  # a whole day
    assert expected > timezone.now().date()
    # The announced deadlines are all still there, once each.
    assert set(plain) <= set(events) and len(events) == len(plain) + 1


def test_a_calendar_with_estimates_still_hides_everything_behind_a_wrong_key(client, user):
    Follow.objects.create(user=user, venue=_venue_with_past_deadlines("Unannounced"))
    calendar_token_create(user=user)
    response = client.get(reverse("alerts:calendar", args=["x" * 43]), {"estimates": "1"})
    assert response.status_code == 404 and b"Unannounced" not in response.content


def test_the_follows_page_gives_the_address_with_estimates_once(client, user):
    Follow.objects.create(user=user, venue=_venue_with_past_deadlines("Unannounced"))
    client.force_login(user)
    with translation.override("en"):
        response = client.post(reverse("follows:follows"), {"action": "calendar"})
    url = response.context["calendar_url"]
    html = response.content.decode()
    assert f'id="calendar-url-estimates" type="text" readonly value="{url}?estimates=1"' in html
    client.logout()  # the address alone is enough
    events = client.get(f"{url}?estimates=1").content.decode()
    assert "Unannounced: expected paper deadline (estimate)" in events
