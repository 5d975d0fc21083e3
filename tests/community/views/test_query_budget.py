"""Every page issues the same number of queries for one fully linked item as for a full page of
them, and no more than MAX_QUERIES: the selectors' joins and prefetches are doing their job."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.services.catalogue_stats import catalogue_stats_refresh
from tests.community import factories as f
from tests.community.pages import DETAIL_PAGES, LIST_PAGES, OTHER_PAGES
from tests.support.queries import page_queries

MAX_QUERIES = 12
FULL = settings.PAGE_SIZE


def _list_counts(client, url: str, build) -> tuple[int, int]:
    """The queries `url` makes with one item built, then with FULL items."""
    build()
    one = page_queries(client, url)
    for _ in range(FULL - 1):
        build()
    return one, page_queries(client, url)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(LIST_PAGES))
def test_list_page_query_count_is_constant(client, url_name):
    one, full = _list_counts(client, reverse(url_name), LIST_PAGES[url_name])
    assert one == full, f"{url_name}: {one} queries for one item, {full} for {FULL}"
    assert full <= MAX_QUERIES, f"{url_name}: {full} queries"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(LIST_PAGES))
def test_filtered_and_sorted_list_page_query_count_is_constant(client, url_name):
    """With a search and a non-default ordering the count stays the same too."""
    one, full = _list_counts(client, reverse(url_name) + "?q=e", LIST_PAGES[url_name])
    assert one == full


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(DETAIL_PAGES))
def test_detail_page_query_count_is_constant(client, url_name):
    build = DETAIL_PAGES[url_name]
    one = page_queries(client, build(1).get_absolute_url())
    full = page_queries(client, build(FULL).get_absolute_url())
    assert one == full, f"{url_name}: {one} queries with one link per relation, {full} with {FULL}"
    assert full <= MAX_QUERIES, f"{url_name}: {full} queries"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(OTHER_PAGES))
def test_other_page_query_count_is_constant(client, url_name):
    build = OTHER_PAGES[url_name]
    url = reverse(url_name)
    build(1)
    one = page_queries(client, url)
    build(FULL)
    full = page_queries(client, url)
    assert one == full, f"{url_name}: {one} queries vs {full}"
    assert full <= MAX_QUERIES, f"{url_name}: {full} queries"


@pytest.mark.django_db
def test_the_topic_hub_shows_everything_within_the_budget(client):
    """The hub's extras (chart, most-linked projects, open deadlines, reference results) are part of
    the constant count above; here they are checked to be on the page it counted."""
    topic = DETAIL_PAGES["community:topic-detail"](FULL)
    catalogue_stats_refresh()  # the chart's counts, stored by the periodic job
    with CaptureQueriesContext(connection) as queries:
        html = client.get(topic.get_absolute_url()).content.decode()
    assert len(queries) <= MAX_QUERIES
    assert html.count("<rect ") == FULL  # one bar per year, one paper a year
    assert html.count('class="leaderboard"') == FULL  # one benchmark per paper
    assert html.count("next deadline") == FULL


def _fill_home(n):
    for _ in range(n):
        f.fully_linked_paper()
        f.ProjectFactory()
        f.linked_job()
        f.linked_funding()
        f.GuideFactory()
        f.linked_deadline()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["community:home", "community:search"])
def test_home_and_search_query_count_is_constant(client, path):
    # "e" occurs in a name, title or description of every kind the factories make.
    url = reverse(path) + ("?q=e" if path == "community:search" else "")
    _fill_home(1)
    f.linked_organization(width=1)
    f.linked_person(width=1)
    f.ChannelFactory()
    one = page_queries(client, url)
    _fill_home(FULL - 1)
    for _ in range(FULL - 1):
        f.linked_organization(width=1)
        f.linked_person(width=1)
        f.ChannelFactory()
    full = page_queries(client, url)
    assert one == full, f"{path}: {one} vs {full}"
    assert full <= MAX_QUERIES


@pytest.mark.django_db
def test_search_covers_every_kind_in_one_query_each(client):
    _fill_home(1)
    f.linked_organization(width=1)
    f.linked_person(width=1)
    f.ChannelFactory()
    response = client.get(reverse("community:search"), {"q": "e"})
    keys = [section.key for section in response.context["sections"]]
    assert keys == [
        "papers",
        "projects",
        "venues",
        "people",
        "organizations",
        "jobs",
        "funding",
        "channels",
        "guides",
        "topics",
    ]


@pytest.mark.django_db
def test_empty_search_shows_the_form_without_querying(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("community:search"))
    assert response.status_code == 200
    assert b'name="q"' in response.content
