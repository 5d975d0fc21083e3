"""The deadlines page: upcoming only, in the reader's zone, with the announced zone beside it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from common.timezones import zone_for_label
from tests.community import factories as f

# Announced as 15 May 2027 23:59:59 AoE (UTC-12), which is this instant:
DUE = dt.datetime(2027, 5, 16, 11, 59, 59, tzinfo=dt.UTC)
NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen_now(db, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def aoe_deadline(db, frozen_now):
    return f.DeadlineFactory(due_at=DUE, timezone_label="AoE", label="main track")


def test_the_aoe_instant_is_what_the_fixture_says():
    announced = dt.datetime(2027, 5, 15, 23, 59, 59, tzinfo=zone_for_label("AoE"))
    assert announced.astimezone(dt.UTC) == DUE


def test_shown_in_utc_by_default_with_the_announced_label(client, aoe_deadline):
    content = client.get(reverse("community:deadline-list")).content.decode()
    assert "16 May 2027, 11:59 UTC" in content
    assert "announced as 15 May 2027 23:59 AoE" in content
    assert 'datetime="2027-05-16T11:59:59Z"' in content
    assert 'data-due="2027-05-16T11:59:59Z"' in content


def test_shown_in_the_zone_asked_for(client, aoe_deadline):
    content = client.get(reverse("community:deadline-list"), {"tz": "Asia/Shanghai"}).content.decode()
    assert "16 May 2027, 19:59 Asia/Shanghai" in content
    assert "announced as 15 May 2027 23:59 AoE" in content
    assert 'data-reader-tz="Asia/Shanghai"' in content


def test_the_cookie_gives_the_zone_when_the_address_does_not(client, aoe_deadline):
    client.cookies["tz"] = "Europe/Berlin"
    content = client.get(reverse("community:deadline-list")).content.decode()
    assert "16 May 2027, 13:59 Europe/Berlin" in content
    # ?tz= wins over the cookie
    content = client.get(reverse("community:deadline-list"), {"tz": "UTC"}).content.decode()
    assert "16 May 2027, 11:59 UTC" in content


def test_a_bad_cookie_is_ignored(client, aoe_deadline):
    client.cookies["tz"] = "Not/AZone"
    response = client.get(reverse("community:deadline-list"))
    assert response.status_code == 200
    assert "16 May 2027, 11:59 UTC" in response.content.decode()


def test_the_home_page_shows_the_deadline_with_a_countdown_hook(client, aoe_deadline):
    content = client.get(reverse("community:home"), {"tz": "Asia/Shanghai"}).content.decode()
    assert "16 May 2027, 19:59 Asia/Shanghai" in content
    assert "data-countdown" in content


def test_past_deadlines_are_not_in_the_upcoming_list_but_greyed_below_it(client, frozen_now):
    f.DeadlineFactory(due_at=NOW - dt.timedelta(minutes=1), label="already-closed")
    f.DeadlineFactory(due_at=NOW + dt.timedelta(minutes=1), label="still-open")
    response = client.get(reverse("community:deadline-list"))
    content = response.content.decode()
    assert [d.label for d in response.context["items"]] == ["still-open"]
    upcoming, past = content.split('class="past-deadlines"')
    assert "still-open" in upcoming and "already-closed" not in upcoming
    assert "already-closed" in past and "is-past" in past


def test_deadlines_are_soonest_first(client, frozen_now):
    later = f.DeadlineFactory(due_at=NOW + dt.timedelta(days=9))
    sooner = f.DeadlineFactory(due_at=NOW + dt.timedelta(days=2))
    response = client.get(reverse("community:deadline-list"))
    assert list(response.context["items"]) == [sooner, later]


def test_the_venue_page_shows_edition_deadlines_in_the_readers_zone(client, aoe_deadline):
    response = client.get(aoe_deadline.venue.get_absolute_url(), {"tz": "Asia/Shanghai"})
    content = response.content.decode()
    assert f'id="edition-{aoe_deadline.edition.year}"' in content
    assert "16 May 2027, 19:59 Asia/Shanghai" in content


def test_the_scripts_are_files_not_inline(client, aoe_deadline):
    content = client.get(reverse("community:deadline-list")).content.decode()
    assert '<script src="/static/js/countdown.js" defer></script>' in content
    assert '<script src="/static/js/timezone.js" defer></script>' in content
    assert "<script>" not in content
    assert "style=" not in content
