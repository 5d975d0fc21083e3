"""The alerts API from outside: anonymous requests are refused (401), a user sees and deletes only
their own follows and saved searches, and the calendar address is shown once."""

import pytest
from rest_framework.test import APIClient

from alerts.models import CalendarToken, Follow, SavedSearch
from tests.api.tokens import token_client
from tests.community import factories as f

pytestmark = pytest.mark.django_db

FOLLOWS = "/api/v1/follows/"
SEARCHES = "/api/v1/saved-searches/"
CALENDAR = "/api/v1/calendar/"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", FOLLOWS),
        ("post", FOLLOWS),
        ("delete", FOLLOWS + "1/"),
        ("get", SEARCHES),
        ("post", SEARCHES),
        ("delete", SEARCHES + "1/"),
        ("get", CALENDAR),
        ("post", CALENDAR),
        ("delete", CALENDAR),
    ],
)
def test_anonymous_is_refused(method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_follows_are_the_users_own():
    ada, bob = f.UserFactory(), f.UserFactory()
    venue, topic = f.VenueFactory(), f.TopicFactory()
    api = token_client(ada)
    created = api.post(FOLLOWS, {"kind": "venue", "slug": venue.slug}, format="json")
    assert created.status_code == 201
    assert created.json()["name"] == venue.name and created.json()["kind"] == "venue"
    assert api.post(FOLLOWS, {"kind": "venue", "slug": venue.slug}, format="json").status_code == 200
    assert api.post(FOLLOWS, {"kind": "topic", "slug": topic.slug}, format="json").status_code == 201
    assert api.post(FOLLOWS, {"kind": "paper", "slug": "x"}, format="json").status_code == 400
    assert api.post(FOLLOWS, {"kind": "venue", "slug": "missing"}, format="json").status_code == 400
    bobs = Follow.objects.create(user=bob, venue=f.VenueFactory())

    listed = api.get(FOLLOWS).json()
    assert listed["count"] == 2 and {r["slug"] for r in listed["results"]} == {venue.slug, topic.slug}
    assert token_client(bob).get(FOLLOWS).json()["count"] == 1
    assert api.delete(f"{FOLLOWS}{bobs.pk}/").status_code == 404  # someone else's: as if absent
    assert Follow.objects.filter(pk=bobs.pk).exists()
    first = listed["results"][0]["id"]
    assert api.delete(f"{FOLLOWS}{first}/").status_code == 204
    assert Follow.objects.filter(user=ada).count() == 1


def test_saved_searches_are_validated_and_private():
    ada, bob = f.UserFactory(), f.UserFactory()
    api = token_client(ada)
    response = api.post(
        SEARCHES, {"name": "Open jobs", "address": "https://x.org/jobs/?open=on&page=3"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["url"] == "/jobs/?open=on"
    bad = api.post(SEARCHES, {"name": "Bad", "address": "/papers/?year=abc"}, format="json")
    assert bad.status_code == 400 and "address" in bad.json()["error"]["fields"]
    assert api.post(SEARCHES, {"name": "Open jobs", "address": "/jobs/"}, format="json").status_code == 400
    bobs = SavedSearch.objects.create(user=bob, name="b", path="/papers/")
    assert [r["name"] for r in api.get(SEARCHES).json()["results"]] == ["Open jobs"]
    assert api.delete(f"{SEARCHES}{bobs.pk}/").status_code == 404
    assert api.delete(f"{SEARCHES}{response.json()['id']}/").status_code == 204


def test_calendar_address_is_shown_once_regenerated_and_revoked(client):
    ada = f.UserFactory()
    api = token_client(ada)
    assert api.get(CALENDAR).json() == {"exists": False, "created_at": None, "last_used": None, "url": None}
    made = api.post(CALENDAR).json()
    assert made["exists"] and made["url"].endswith(".ics")
    path = made["url"].removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    shown = api.get(CALENDAR).json()
    assert shown["exists"] and shown["url"] is None and shown["last_used"]
    again = api.post(CALENDAR).json()
    assert again["url"] != made["url"] and client.get(path).status_code == 404
    assert api.delete(CALENDAR).status_code == 204
    assert not CalendarToken.objects.filter(user=ada).exists()
    assert client.get(again["url"].removeprefix("http://testserver")).status_code == 404


def test_schema_lists_the_endpoints(client):
    paths = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {FOLLOWS, FOLLOWS + "{id}/", SEARCHES, SEARCHES + "{id}/", CALENDAR} <= set(paths)
