"""/venues/ and /deadlines/ (and the deadlines' calendar and Atom feed) filter by CCF rank, CORE rank,
CCF field and "still open", and venues sort by time left; a value not on the lists is a 400, and the
page cache keeps one entry per validated filter."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community import page_cache
from tests.community import factories as f

pytestmark = pytest.mark.django_db


def _venue(name, *, ccf="", core="", field="", due_in=None, closed=False):
    venue = f.VenueFactory(name=name, ccf_rank=ccf, core_rank=core, ccf_field=field)
    if due_in is not None:
        edition = f.EditionFactory(
            venue=venue, year=2031, call_closed_at=timezone.now() - dt.timedelta(days=1) if closed else None
        )
        f.DeadlineFactory(venue=venue, edition=edition, due_at=timezone.now() + dt.timedelta(days=due_in))
    return venue


@pytest.fixture
def venues():
    return {
        "alpha": _venue("Alpha", ccf="A", core="A*", field="AI", due_in=10),
        "beta": _venue("Beta", ccf="B", core="A", field="DB", due_in=5, closed=True),
        "gamma": _venue("Gamma", ccf="C", core="N", field="NW", due_in=-3),
        "delta": _venue("Delta", ccf="A", core="B", field="AI", due_in=40),
    }


def _names(client, url, **params):
    """The venues of the listed items, in order (the deadline page's own selects name every venue)."""
    response = client.get(url, params)
    assert response.status_code == 200
    return [getattr(item, "venue", item).name for item in response.context["items"]]


def _cached_names(client, url, **params):
    """The same from the page's HTML (a page served from the page cache has no items in its context)."""
    content = client.get(url, params).content.decode()
    return [name for name in ("Alpha", "Beta", "Gamma", "Delta") if f">{name}<" in content]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ccf_rank": "A"}, ["Alpha", "Delta"]),
        ({"core_rank": "A*"}, ["Alpha"]),
        ({"field": "DB"}, ["Beta"]),
        ({"open": "on"}, ["Alpha", "Delta"]),
        ({"ccf_rank": "A", "core_rank": "B"}, ["Delta"]),
    ],
)
def test_the_venue_list_filters_by_rank_field_and_open(client, venues, params, expected):
    assert _names(client, reverse("community:venue-list"), **params) == expected


def test_venues_sort_by_time_left_with_closed_and_past_ones_last(client, venues):
    content = client.get(reverse("community:venue-list"), {"ordering": "time_left"}).content.decode()
    positions = {name: content.index(f">{name}<") for name in ("Alpha", "Beta", "Gamma", "Delta")}
    assert sorted(positions, key=positions.get) == ["Alpha", "Delta", "Beta", "Gamma"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ccf_rank": "A"}, ["Alpha", "Delta"]),
        ({"core_rank": "A"}, ["Beta"]),
        ({"field": "AI"}, ["Alpha", "Delta"]),
        ({"open": "on"}, ["Alpha", "Delta"]),
    ],
)
def test_the_deadline_list_filters_by_the_venues_rank_field_and_open(client, venues, params, expected):
    assert _names(client, reverse("community:deadline-list"), **params) == expected


@pytest.mark.parametrize("url_name", ["community:venue-list", "community:deadline-list"])
@pytest.mark.parametrize(
    "params", [{"ccf_rank": "Z"}, {"core_rank": "A**"}, {"field": "XX"}, {"ordering": "rank"}]
)
def test_a_value_not_on_the_lists_is_a_400(client, url_name, params):
    assert client.get(reverse(url_name), params).status_code == 400


def test_the_field_is_named_with_its_code_in_both_languages(client):
    english = client.get(reverse("community:venue-list")).content.decode()
    assert "AI · Artificial intelligence" in english
    chinese = client.get("/zh-hans" + reverse("community:venue-list").removeprefix("/en")).content.decode()
    assert "AI · " in chinese and "AI · Artificial intelligence" not in chinese


def test_the_calendar_and_the_feed_take_the_same_filters(client, venues):
    f.FundingOpportunityFactory(deadline=timezone.now() + dt.timedelta(days=20))
    calendar = Calendar.from_ical(client.get("/deadlines.ics", {"ccf_rank": "A"}).content)
    summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert [s.split(" ")[0] for s in summaries] == ["Alpha", "Delta"]  # no funding call: it has no rank
    feed = client.get(reverse("feed-deadlines"), {"field": "DB"}).content.decode()
    assert "Beta 2031" in feed and "Alpha 2031" not in feed
    assert client.get("/deadlines.ics", {"field": "XX"}).status_code == 400
    assert client.get(reverse("feed-deadlines"), {"core_rank": "Z"}).status_code == 400


@override_settings(PAGE_CACHE_SECONDS=60)
def test_the_page_cache_keeps_one_entry_per_validated_filter(client, venues):
    url = reverse("community:venue-list")
    assert _cached_names(client, url, ccf_rank="A") == ["Alpha", "Delta"]
    assert _cached_names(client, url, ccf_rank="B") == ["Beta"]
    assert _cached_names(client, url, ccf_rank="A", junk="1") == ["Alpha", "Delta"]
    assert _cached_names(client, url, ccf_rank="A") == ["Alpha", "Delta"]


@pytest.mark.parametrize("url_name", ["community:venue-list", "community:deadline-list"])
def test_filtered_lists_run_the_same_queries_for_one_or_many_items(client, url_name):
    params = {"ccf_rank": "A", "field": "AI", "open": "on"}
    if url_name == "community:venue-list":
        params["ordering"] = "time_left"
    _venue("First", ccf="A", field="AI", due_in=3)
    client.get(reverse(url_name), params)  # content types and the like, cached for the process
    # Both reads after a write: the filter's options are kept per catalogue version (community.widgets).
    page_cache._next_version()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(url_name), params)
    for index in range(5):
        _venue(f"More{index}", ccf="A", field="AI", due_in=4 + index)
    with CaptureQueriesContext(connection) as many:
        content = client.get(reverse(url_name), params).content.decode()
    assert "More4" in content
    assert len(many) == len(one) <= 12
