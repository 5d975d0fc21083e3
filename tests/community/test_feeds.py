"""Atom feeds (parsed as XML) and the deadline calendars (parsed with icalendar)."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community.models import Deadline, ModerationStatus
from tests.community import factories as f

ATOM = "{http://www.w3.org/2005/Atom}"
XSS = '<script>alert("x")</script> & <b>bold</b>'
NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def _feed(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the site's own output
    assert root.tag == f"{ATOM}feed"
    return root


def _entries(root: ET.Element) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "id": entry.findtext(f"{ATOM}id"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def _calendar(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


# --- Atom --------------------------------------------------------------------------------------


def test_feed_addresses_are_unprefixed():
    assert reverse("feed-latest") == "/feeds/latest.atom"
    assert reverse("feed-kind", kwargs={"kind": "papers"}) == "/feeds/papers.atom"
    assert reverse("feed-topic", kwargs={"slug": "cnn"}) == "/feeds/topics/cnn.atom"
    assert reverse("deadlines-ics") == "/deadlines.ics"


@pytest.mark.django_db
def test_latest_has_the_newest_published_items_of_every_kind(client):
    paper = f.PaperFactory()
    job = f.JobPostingFactory()
    guide = f.GuideFactory()
    f.PaperFactory(title="Not yet reviewed", status=ModerationStatus.PENDING)
    root = _feed(client, "/feeds/latest.atom")
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feeds/latest.atom"
    entries = {e["title"]: e for e in _entries(root)}
    assert "Not yet reviewed" not in entries
    assert entries[paper.title]["link"] == f"http://testserver{paper.get_absolute_url()}"
    assert entries[job.title]["id"] == f"tag:127.0.0.1,2025:jobs/{job.pk}"
    assert entries[guide.title]["summary"] == "How it works."
    ids = [e["id"] for e in _entries(root)]
    assert len(ids) == len(set(ids))
    # Newest first: the guide was published last.
    assert _entries(root)[0]["title"] == guide.title


@pytest.mark.django_db
def test_titles_and_summaries_are_escaped(client):
    f.PaperFactory(title=XSS, abstract=XSS)
    response = client.get("/feeds/papers.atom")
    assert b"<script>" not in response.content
    assert b"<b>" not in response.content
    (entry,) = _entries(ET.fromstring(response.content))  # noqa: S314 - the site's own output
    assert entry["title"] == XSS  # a text construct: readers show it as text
    # The summary is type="html": its HTML is the escaped text, so no reader runs the script.
    assert (
        entry["summary"] == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    )


@pytest.mark.django_db
def test_a_kind_feed_has_that_kind_only(client):
    paper = f.PaperFactory()
    f.ProjectFactory()
    root = _feed(client, "/feeds/papers.atom")
    assert [e["title"] for e in _entries(root)] == [paper.title]
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/papers/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind", ["papers", "projects", "jobs", "funding", "guides", "venues", "people", "topics"]
)
def test_every_kind_has_a_feed(client, kind):
    assert client.get(f"/feeds/{kind}.atom").status_code == 200


@pytest.mark.django_db
def test_unknown_feeds_are_404(client):
    assert client.get("/feeds/spam.atom").status_code == 404
    assert client.get("/feeds/topics/nope.atom").status_code == 404
    hidden = f.TopicFactory(status=ModerationStatus.PENDING)
    assert client.get(f"/feeds/topics/{hidden.slug}.atom").status_code == 404
    assert client.get("/zh-hans/feeds/latest.atom").status_code == 404


@pytest.mark.django_db
def test_a_topic_feed_has_the_items_of_that_topic(client):
    topic = f.TopicFactory()
    paper = f.PaperFactory()
    project = f.ProjectFactory()
    paper.topics.add(topic)
    project.topics.add(topic)
    f.PaperFactory(title="Off topic")
    root = _feed(client, f"/feeds/topics/{topic.slug}.atom")
    assert {e["title"] for e in _entries(root)} == {paper.title, project.name}
    assert topic.name in root.findtext(f"{ATOM}title")


# --- iCalendar ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calendar_has_one_event_per_upcoming_deadline(client, frozen_now):
    venue = f.VenueFactory(name="NeurIPS", website="https://neurips.cc/")
    edition = f.EditionFactory(venue=venue, year=2027, website="https://neurips.cc/Conferences/2027")
    due = dt.datetime(2027, 5, 16, 11, 59, 59, tzinfo=dt.UTC)
    deadline = f.DeadlineFactory(venue=venue, edition=edition, kind=Deadline.Kind.PAPER, label="", due_at=due)
    f.DeadlineFactory(due_at=NOW - dt.timedelta(days=1))  # passed
    f.DeadlineFactory(venue=f.VenueFactory(status=ModerationStatus.PENDING))  # venue under review
    funding = f.FundingOpportunityFactory(deadline=NOW + dt.timedelta(days=3))
    events = {str(e["UID"]): e for e in _calendar(client, "/deadlines.ics")}
    assert set(events) == {f"deadline-{deadline.pk}@deepcommons", f"funding-{funding.pk}@deepcommons"}
    event = events[f"deadline-{deadline.pk}@deepcommons"]
    assert str(event["SUMMARY"]) == "NeurIPS 2027: Paper deadline"
    assert event.decoded("DTSTART") == due
    assert "DTSTART:20270516T115959Z" in event.to_ical().decode()
    assert str(event["URL"]) == "https://neurips.cc/Conferences/2027"
    assert "Due 15 May 2027 23:59 AoE" in str(event["DESCRIPTION"])
    assert f"{funding.title} ({funding.funder.name})" in str(
        events[f"funding-{funding.pk}@deepcommons"]["SUMMARY"]
    )


@pytest.mark.django_db
def test_the_calendar_filters_by_topic_and_venue(client, frozen_now):
    topic = f.TopicFactory()
    tagged = f.linked_deadline(due_at=NOW + dt.timedelta(days=5))
    tagged.venue.topics.add(topic)
    other = f.DeadlineFactory(due_at=NOW + dt.timedelta(days=6))
    grant = f.FundingOpportunityFactory(deadline=NOW + dt.timedelta(days=7))
    grant.topics.add(topic)
    f.FundingOpportunityFactory(deadline=NOW + dt.timedelta(days=8))

    uids = {str(e["UID"]) for e in _calendar(client, f"/deadlines.ics?topic={topic.slug}")}
    assert uids == {f"deadline-{tagged.pk}@deepcommons", f"funding-{grant.pk}@deepcommons"}
    # A venue has no funding calls: only that venue's deadlines.
    uids = {str(e["UID"]) for e in _calendar(client, f"/deadlines.ics?venue={other.venue.slug}")}
    assert uids == {f"deadline-{other.pk}@deepcommons"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["topic=no-such-topic", "venue=no-such-venue", "venue=%00", "ordering=sideways"]
)
def test_bad_calendar_filters_are_a_400_text(client, query):
    response = client.get(f"/deadlines.ics?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "problem" in response.content.decode()


@pytest.mark.django_db
def test_one_deadline_as_a_calendar_file(client, frozen_now):
    deadline = f.linked_deadline(due_at=NOW - dt.timedelta(days=3))  # passed, still downloadable
    response = client.get(f"/deadlines/{deadline.pk}.ics")
    assert response["Content-Disposition"] == f'attachment; filename="deadline-{deadline.pk}.ics"'
    (event,) = _calendar(client, f"/deadlines/{deadline.pk}.ics")
    assert str(event["UID"]) == f"deadline-{deadline.pk}@deepcommons"
    hidden = f.DeadlineFactory(venue=f.VenueFactory(status=ModerationStatus.PENDING))
    assert client.get(f"/deadlines/{hidden.pk}.ics").status_code == 404


@pytest.mark.django_db
def test_the_deadlines_page_links_to_the_calendars_with_its_filters(client, frozen_now):
    deadline = f.linked_deadline(due_at=NOW + dt.timedelta(days=5))
    page = client.get(
        reverse("community:deadline-list"), {"venue": deadline.venue.slug, "page": 1}
    ).content.decode()
    assert f'href="/deadlines.ics?venue={deadline.venue.slug}"' in page
    assert f'href="webcal://testserver/deadlines.ics?venue={deadline.venue.slug}"' in page
    assert f'href="/deadlines/{deadline.pk}.ics"' in page
    page = client.get(reverse("community:deadline-list")).content.decode()
    assert 'href="/deadlines.ics"' in page


# --- query budget ------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def _fill(topic, n: int) -> None:
    for _ in range(n):
        for item in (
            f.fully_linked_paper(),
            f.ProjectFactory(),
            f.linked_job(),
            f.linked_funding(deadline=NOW + dt.timedelta(days=9)),
            f.GuideFactory(),
            f.ChannelFactory(),
        ):
            item.topics.add(topic)
        f.linked_deadline(due_at=NOW + dt.timedelta(days=9)).venue.topics.add(topic)


@pytest.mark.django_db
def test_feeds_run_as_many_queries_for_twenty_items_as_for_one(client, frozen_now):
    topic = f.TopicFactory()
    urls = [
        "/feeds/latest.atom",
        "/feeds/papers.atom",
        "/feeds/jobs.atom",
        f"/feeds/topics/{topic.slug}.atom",
        "/deadlines.ics",
        f"/deadlines.ics?topic={topic.slug}",
    ]
    _fill(topic, 1)
    one = {url: _queries(client, url) for url in urls}
    _fill(topic, 19)
    twenty = {url: _queries(client, url) for url in urls}
    assert one == twenty
    assert max(twenty.values()) <= 12
