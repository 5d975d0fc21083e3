"""Counting the database queries of a page, for the query-budget tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    """How many queries a GET of `url` by `client` makes; the page must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def queries_for_one_and_many(client, url: str, add_round, rounds: int) -> tuple[int, int]:
    """How many queries a GET of `url` makes after one round of data and after `rounds` rounds:
    `add_round(n)` adds round n (1, then 2 to `rounds`). One GET before counting warms what a running
    site keeps between requests (the content types), so both counts are of the same kind of request."""
    add_round(1)
    client.get(url)
    one = page_queries(client, url)
    for number in range(2, rounds + 1):
        add_round(number)
    return one, page_queries(client, url)
