"""Each deadline says where it came from wherever it is read: the API's deadline list, the deadlines'
Atom feed and the iCalendar file; moderators see the import records (provenance, acceptance rates,
their own field edits) in the admin."""

import textwrap

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from community.models import AcceptanceRate, FieldEdit, Provenance
from community.services.imports import deadlines_import

CONFERENCE = """\
- title: {name}
  description: A conference
  sub: AI
  rank:
    ccf: B
    core: A
    thcpl: N
  dblp: {key}
  confs:
    - year: 2031
      id: {key}31
      link: https://{key}.example.org/
      timeline:
        - deadline: '2031-05-19 23:59:59'
      timezone: UTC-12
      date: November 5-9, 2031
      place: Suzhou, China
"""
RATES = """\
- title: EMNLP
  accept_rates:
    - year: 2024
      submitted: 100
      accepted: 25
      str: 25.0%(25/100)
      rate: 0.25
      source: https://example.org/emnlp-2024
"""


def _conference(name: str = "EMNLP", key: str = "emnlp"):
    return deadlines_import(
        text=textwrap.dedent(CONFERENCE.format(name=name, key=key)),
        source=f"conference/AI/{key}.yml",
        revision="abc123",
    )


@pytest.mark.django_db
def test_the_api_lists_each_deadlines_sources(client):
    _conference()
    rows = client.get("/api/v1/deadlines/").json()["results"]
    assert rows[0]["sources"] == [
        {
            "source": "ccf-deadlines",
            "file": "conference/AI/emnlp.yml",
            "revision": "abc123",
            "licence": "MIT",
            "attribution": "ccf-deadlines, Copyright (c) 2021 CCFDDL",
        }
    ]
    detail = client.get(rows[0]["api_url"]).json()
    assert detail["sources"][0]["source"] == "ccf-deadlines"


@pytest.mark.django_db
def test_the_calendar_describes_each_deadlines_source(client):
    _conference()
    calendar = Calendar.from_ical(client.get("/deadlines.ics").content)
    (event,) = calendar.walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert (
        "Source: ccf-deadlines, conference/AI/emnlp.yml (abc123); MIT, ccf-deadlines, Copyright (c) 2021 CCFDDL"
        in description
    )
    one = Calendar.from_ical(
        client.get(event["UID"].split("@")[0].replace("deadline-", "/deadlines/") + ".ics").content
    )
    assert "Source: ccf-deadlines" in str(one.walk("VEVENT")[0]["DESCRIPTION"])


@pytest.mark.django_db
def test_the_deadlines_feed_lists_upcoming_deadlines_with_their_source(client):
    _conference()
    response = client.get(reverse("feed-deadlines"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "EMNLP 2031: Paper deadline" in body
    assert "Source: ccf-deadlines, conference/AI/emnlp.yml" in body
    assert "tag:" in body and ":deadline/" in body


@pytest.mark.django_db
def test_the_deadlines_feed_refuses_a_filter_value_it_does_not_know(client):
    assert client.get(reverse("feed-deadlines"), {"kind": "nonsense"}).status_code == 400


@pytest.mark.django_db
def test_the_deadlines_feed_runs_the_same_queries_for_one_or_many_deadlines(client):
    _conference()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("feed-deadlines"))
    for name in ("ICML", "ACL", "NAACL", "CVPR"):
        _conference(name, name.lower())
    with CaptureQueriesContext(connection) as five:
        body = client.get(reverse("feed-deadlines")).content.decode()
    assert body.count("<entry>") == 5
    assert len(five) == len(one)


@pytest.mark.django_db
def test_moderators_see_provenance_acceptance_rates_and_field_edits_in_the_admin(client, staff_user):
    _conference()
    deadlines_import(text=RATES, source="accept_rates/AI/emnlp.yml")
    rate = AcceptanceRate.objects.get()
    client.force_login(staff_user)
    page = client.get(f"/admin/community/acceptancerate/{rate.pk}/change/")
    assert page.status_code == 200
    data = {
        "venue": rate.venue_id,
        "year": 2024,
        "submitted": 100,
        "accepted": 26,
        "rate": 0.26,
        "source_url": rate.source_url,
    }
    assert client.post(f"/admin/community/acceptancerate/{rate.pk}/change/", data).status_code == 302
    assert set(FieldEdit.objects.values_list("field", flat=True)) == {"accepted", "rate"}
    report = deadlines_import(text=RATES, source="accept_rates/AI/emnlp.yml")
    rate.refresh_from_db()
    assert (rate.accepted, rate.rate) == (26, 0.26)
    assert sorted(name for _ref, name in report.kept) == ["acceptancerate.accepted", "acceptancerate.rate"]

    listing = client.get("/admin/community/provenance/", {"q": "emnlp"})
    assert listing.status_code == 200 and "conference/AI/emnlp.yml" in listing.content.decode()
    assert client.get("/admin/community/fieldedit/").status_code == 200
    # Written by imports and edit forms only: nobody types one in.
    assert client.get("/admin/community/provenance/add/").status_code == 403
    row = Provenance.objects.first()
    assert client.post(f"/admin/community/provenance/{row.pk}/change/", {"source": "x"}).status_code == 403
