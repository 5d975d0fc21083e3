"""Lists whose cost does not grow with the catalogue (issue 18): a capped count, deep pages read by
key, a ranked search over a bounded set of candidates; on the portal and in the API alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common import paging
from community import page_cache, search
from community.models import Paper
from community.search import text_search
from community.selectors import search as site_search
from community.selectors.papers import paper_list
from tests.community import factories as f

pytestmark = pytest.mark.django_db
PAPERS = reverse("community:paper-list")


@pytest.fixture
def five_papers():
    return [f.PaperFactory(title=f"Capped list paper {n}", year=2000 + n) for n in range(5)]


def test_a_deep_page_holds_the_rows_a_plain_slice_would(five_papers):
    queryset = paper_list()
    paginator = paging.CappedPaginator(queryset, 2)

    pages = [list(paginator.page(n).object_list) for n in (1, 2, 3)]

    assert pages == [list(queryset[0:2]), list(queryset[2:4]), list(queryset[4:6])]
    assert paginator.count == 5 and not paginator.capped and paginator.num_pages == 3


def test_past_the_cap_the_list_says_more_than_and_still_pages_on(client, five_papers, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    monkeypatch.setattr("django.conf.settings.PAGE_SIZE", 2)

    first = client.get(PAPERS)
    assert "More than 2 results" in first.text
    assert "Page 1" in first.text and "Page 1 of" not in first.text
    assert 'rel="next"' in first.text

    # Pages past the cap still answer (links already out there keep working), the last one
    # without a next link, and one past the end is a 404.
    third = client.get(PAPERS, {"page": 3})
    assert third.status_code == 200
    assert len(third.context["page"].object_list) == 1
    assert 'rel="next"' not in third.text
    assert client.get(PAPERS, {"page": 4}).status_code == 404
    # ?page=last counts in full, since it asks for the end.
    assert client.get(PAPERS, {"page": "last"}).context["page"].number == 3


def test_the_api_count_is_capped_and_says_so(client, five_papers, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 2)

    body = client.get("/api/v1/papers/", {"page_size": 2}).json()
    assert (body["count"], body["count_capped"]) == (2, True)
    assert body["next"] is not None

    last = client.get("/api/v1/papers/", {"page_size": 2, "page": 3}).json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert client.get("/api/v1/papers/", {"page_size": 2, "page": 4}).status_code == 404

    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    exact = client.get("/api/v1/papers/", {"page_size": 2}).json()
    assert (exact["count"], exact["count_capped"]) == (5, False)


def test_a_ranked_search_ranks_a_bounded_set_of_candidates(five_papers, monkeypatch):
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)

    found = text_search(Paper.objects.published(), ("title", "abstract"), "capped", by_rank=True)
    paginator = paging.CappedPaginator(found, 10)

    if search.uses_full_text(found, "capped"):
        # Three candidates (the cap and one more, which says there are more), ranked; counted as "2+".
        assert len(list(found)) == 3
        assert paginator.cap == 2 and paginator.capped
    else:
        # The substring fallback (SQLite) is not ranked and keeps the list's own cap.
        assert len(list(found)) == 5
        assert paginator.cap == paging.COUNT_CAP and not paginator.capped


def test_the_site_search_ranks_fewer_candidates_per_section_than_a_list(five_papers, monkeypatch):
    monkeypatch.setattr(search, "RANK_CANDIDATES", 4)
    monkeypatch.setattr(site_search, "SECTION_CANDIDATES", 2)

    (papers,) = [s for s in site_search.search_catalogue(text="capped") if s.key == "papers"]
    listed = text_search(Paper.objects.published(), ("title", "abstract"), "capped", by_rank=True)

    if search.uses_full_text(listed, "capped"):
        # The section ranks its two candidates and one more; the list four and one more.
        assert len(papers.items) == 3 and not papers.has_more
        assert len(list(listed)) == 5
        # A caller cannot raise the bound past the lists' own.
        wider = text_search(Paper.objects.published(), ("title",), "capped", by_rank=True, candidates=50)
        assert wider.query.count_cap == 4
    else:
        # The substring fallback (SQLite) ranks nothing: every match, ten shown.
        assert len(papers.items) == 5


def test_a_search_filters_before_it_picks_candidates(client, five_papers, monkeypatch):
    """`q` with a facet: the candidates come from the rows the facet keeps, not from the whole table."""
    monkeypatch.setattr(search, "RANK_CANDIDATES", 1)

    page = client.get(PAPERS, {"q": "capped", "year": 2004})

    assert [p.year for p in page.context["page"].object_list] == [2004]


@pytest.fixture
def shared_cache(monkeypatch):
    """The default cache taken as one every process shares (CI's Redis is): counts and rankings are
    kept only there (community.views.base.paginate)."""
    monkeypatch.setattr(page_cache, "shared_cache", lambda: True)


@pytest.mark.usefixtures("shared_cache")
def test_a_ranked_search_is_ranked_once_then_paged_by_key(client, five_papers, monkeypatch):
    """The first page of a search reads its ranking as keys (and counts them); the next pages read
    their rows by key, in the ranking's order, without ranking again, until the catalogue changes."""
    ranked = text_search(Paper.objects.published(), ("title", "abstract"), "capped", by_rank=True)
    if not search.uses_full_text(ranked, "capped"):
        pytest.skip("the substring fallback (SQLite) ranks nothing")
    monkeypatch.setattr("django.conf.settings.PAGE_SIZE", 2)

    def page(number):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PAPERS, {"q": "capped", "page": number})
        ranking = [q["sql"] for q in queries if "ts_rank" in q["sql"]]
        return [p.slug for p in response.context["page"].object_list], ranking, response

    first, ranked_first, response = page(1)
    assert len(ranked_first) == 1 and "5 results" in response.text  # one ranking, no COUNT besides
    second, ranked_second, _ = page(2)
    third, ranked_third, _ = page(3)
    assert ranked_second == ranked_third == []
    assert first + second + third == [p.slug for p in ranked]  # the ranking's order, each once

    f.PaperFactory(title="Capped list paper, a late one")  # a write moves the catalogue's version
    again, ranked_again, response = page(1)
    assert len(ranked_again) == 1 and "6 results" in response.text
