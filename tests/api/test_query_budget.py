"""Every list endpoint costs the same number of queries for one item as for a page of several, and at
most LIST_BUDGET; every detail endpoint the same for one related item as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.community import factories as f
from tests.training.factories import BenchmarkFactory, finished_sweep

pytestmark = pytest.mark.django_db

LIST_BUDGET = 12
ITEMS = 3  # on a list page


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def _sweep_for(benchmark=None):
    return finished_sweep(benchmark or BenchmarkFactory(), accs=(0.6, 0.7), n_metrics=3)


# endpoint -> a function making one fully linked item
LISTS = {
    "papers": lambda: f.fully_linked_paper(width=2),
    "people": lambda: f.PersonFactory(),
    "organizations": lambda: f.linked_organization(width=2),
    "projects": lambda: f.linked_project(width=1),
    "venues": lambda: f.linked_venue(width=2),
    "deadlines": lambda: f.linked_deadline(),
    "jobs": lambda: f.linked_job(width=2),
    "funding": lambda: f.linked_funding(width=2),
    "channels": lambda: f.linked_channel(width=2),
    "guides": lambda: f.linked_guide(width=2),
    "topics": lambda: f.TopicFactory(parent=f.TopicFactory()),
    "benchmarks": lambda: BenchmarkFactory(paper=f.PaperFactory()),
    "sweeps": _sweep_for,
    "runs": _sweep_for,
}


@pytest.mark.parametrize("endpoint", sorted(LISTS))
@pytest.mark.parametrize("who", ["anonymous", "token"])
def test_list_query_count_does_not_grow_with_the_page(endpoint, who, api, user_api):
    client = api if who == "anonymous" else user_api
    url = f"/api/v1/{endpoint}/"
    make = LISTS[endpoint]
    make()
    # A token's first use writes its "last used" (at most once a minute), and a process's first
    # request of a kind with sources loads its content type (cached for the process): not the list's cost.
    client.get(url)
    one = _queries(client, url, {"page_size": 20})
    # Three fully linked items, each with its own related rows: a query per item (or per related
    # row) shows as a difference already; twenty made the same point at seven times the set-up.
    for _ in range(ITEMS - 1):
        make()
    many = _queries(client, url, {"page_size": 20})
    assert client.get(url, {"page_size": 20}).json()["count"] >= ITEMS

    assert one == many, f"{endpoint}: {one} queries for one item, {many} for a page"
    assert many <= LIST_BUDGET


def test_filtered_and_searched_lists_stay_within_budget(api):
    topic = f.TopicFactory(slug="cnn")
    for _ in range(5):
        f.fully_linked_paper().topics.add(topic)
    assert (
        _queries(api, "/api/v1/papers/", {"topic": "cnn", "search": "paper", "ordering": "-year"})
        <= LIST_BUDGET
    )
    assert _queries(api, "/api/v1/papers/", {"format": "bibtex"}) <= LIST_BUDGET


def _benchmark_with_sweeps(count: int):
    benchmark = BenchmarkFactory()
    for _ in range(count):
        finished_sweep(benchmark)
    return benchmark


# endpoint, a function(width) making one linked item, its lookup
DETAILS = {
    "papers": (lambda w: f.fully_linked_paper(width=w), "slug"),
    "people": (lambda w: f.linked_person(width=w), "slug"),
    "organizations": (lambda w: f.linked_organization(width=w), "slug"),
    "projects": (lambda w: f.linked_project(width=w), "slug"),
    "venues": (lambda w: f.linked_venue(width=w), "slug"),
    "guides": (lambda w: f.linked_guide(width=w), "slug"),
    "topics": (lambda w: f.linked_topic(width=w), "slug"),
    "jobs": (lambda w: f.linked_job(width=w), "slug"),
    "sweeps": (lambda w: finished_sweep(accs=[0.6] * w, n_metrics=w), "pk"),
    "benchmarks": (lambda w: _benchmark_with_sweeps(w), "slug"),
}


@pytest.mark.parametrize("endpoint", sorted(DETAILS))
def test_detail_query_count_does_not_grow_with_related_items(endpoint, api):
    make, lookup = DETAILS[endpoint]
    narrow = make(1)
    wide = make(5)
    api.get(f"/api/v1/{endpoint}/{getattr(narrow, lookup)}/")  # content types, cached for the process
    counts = [_queries(api, f"/api/v1/{endpoint}/{getattr(item, lookup)}/") for item in (narrow, wide)]
    assert counts[0] == counts[1], f"{endpoint}: {counts}"


def test_run_detail_query_count_does_not_grow_with_the_curve(api):
    short = finished_sweep(accs=(0.6,), n_metrics=1).runs.get()
    long = finished_sweep(accs=(0.6,), n_metrics=40).runs.get()
    assert _queries(api, f"/api/v1/runs/{short.pk}/") == _queries(api, f"/api/v1/runs/{long.pk}/")
