"""A venue's newest papers (selectors.venues.attach_recent_papers): on its page and in the API's
detail, newest first, only its own published papers, at most RELATED_LIMIT."""

import pytest
from rest_framework.test import APIClient

from community.models import ModerationStatus
from community.selectors._common import RELATED_LIMIT
from tests.community import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue():
    venue = f.VenueFactory(name="NeurIPS")
    for year in range(1990, 1990 + RELATED_LIMIT + 5):
        f.PaperFactory(venue=venue, year=year, title=f"Paper of {year}")
    f.PaperFactory(venue=venue, year=2030, title="A draft of 2030", status=ModerationStatus.PENDING)
    f.PaperFactory(year=2031, title="Another venue's paper of 2031")
    return venue


def test_the_venue_page_lists_its_newest_published_papers_first(client, venue):
    body = client.get(venue.get_absolute_url()).content.decode()
    newest, oldest_shown = 1990 + RELATED_LIMIT + 4, 1990 + 5
    assert body.index(f"Paper of {newest}") < body.index(f"Paper of {newest - 1}")
    assert f"Paper of {oldest_shown}" in body and f"Paper of {oldest_shown - 1}" not in body
    assert "A draft of 2030" not in body and "Another venue's paper" not in body


def test_the_api_detail_lists_the_same_papers(venue):
    papers = APIClient().get(f"/api/v1/venues/{venue.slug}/").json()["recent_papers"]
    assert len(papers) == RELATED_LIMIT
    assert papers[0]["title"] == f"Paper of {1990 + RELATED_LIMIT + 4}"
    assert all("draft" not in p["title"] and "Another" not in p["title"] for p in papers)
