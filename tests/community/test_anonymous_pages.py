"""Whole pages kept for readers without a session (community.anonymous_pages): served before the view
runs, with the reader's own CSRF token; never to a signed-in reader or one with a message waiting;
never stored for a parameter the page does not know; stale as soon as the catalogue changes."""

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

from community import anonymous_pages, page_cache
from community.services import moderation
from tests.community import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_page_cache_on")]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def _page_cache_on():
    # Each test starts in a process that has kept no page yet: a view's first page there is only
    # learnt, its next ones are kept.
    anonymous_pages._KEEPING_VIEWS.clear()
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield


@pytest.fixture
def stored(monkeypatch):
    """The keys the page cache stores during the test."""
    keys = []
    store = page_cache.store
    monkeypatch.setattr(page_cache, "store", lambda key, value: keys.append(key) or store(key, value))
    return keys


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def whole(keys: list[str]) -> list[str]:
    return [key for key in keys if ".page:whole." in key]


@pytest.mark.parametrize(
    "path",
    ["/", "/papers/", "/papers/?q=attention&year=2017", "/search/?q=attention", "paper", "venue", "topic"],
)
def test_a_second_anonymous_visit_is_served_before_the_view_runs(
    client, monkeypatch, django_assert_num_queries, path
):
    paper = f.PaperFactory(title="Attention is all you need", year=2017, venue=f.VenueFactory())
    topic = f.TopicFactory(name="Transformers")
    paper.topics.add(topic)
    path = {
        "paper": paper.get_absolute_url(),
        "venue": paper.venue.get_absolute_url(),
        "topic": topic.get_absolute_url(),
    }.get(path, path)
    client.get(path)  # the view is learnt as one whose pages are kept
    first = client.get(path)  # kept
    asked = []
    monkeypatch.setattr(page_cache, "fragment", lambda *args: asked.append(args))
    with django_assert_num_queries(0):
        second = client.get(path)
    assert asked == []  # no view, no template: the kept response
    assert first.status_code == second.status_code == 200
    assert second["Content-Type"] == first["Content-Type"]
    # The same page but for the header's CSRF token, which is minted for each response.
    assert CSRF.sub("", second.content.decode()) == CSRF.sub("", first.content.decode())


def test_each_reader_gets_a_token_of_their_own_that_works(client):
    f.PaperFactory()
    client.get("/papers/")  # learnt
    client.get("/papers/")  # kept
    readers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = [reader.get("/papers/") for reader in readers]
    tokens = [CSRF.search(page.content.decode()).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    for page in pages:
        assert settings.CSRF_COOKIE_NAME in page.cookies  # the token's cookie goes out with it
        assert "Cookie" in page["Vary"]
    # The kept page's language switcher still posts: its token matches this reader's cookie.
    switched = readers[0].post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": tokens[0], "language": "zh-hans", "next": "/papers/"}
    )
    assert switched.status_code == 302
    assert (
        readers[1]
        .post("/i18n/setlang/", {"csrfmiddlewaretoken": "x" * 64, "language": "zh-hans"})
        .status_code
        == 403
    )


def test_a_kept_page_goes_out_with_the_headers_of_a_rendered_one(client):
    f.PaperFactory()
    client.get("/papers/")
    first, second = client.get("/papers/"), Client().get("/papers/")
    for name in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "X-Content-Type-Options"):
        assert second.get(name) == first.get(name), name


def test_a_signed_in_reader_never_gets_a_kept_page(client, member_client, member):
    f.PaperFactory()
    client.get("/papers/")
    client.get("/papers/")
    body = member_client.get("/papers/").content.decode()
    assert member.username in body and "Log in" not in body


def test_a_reader_with_a_message_waiting_gets_the_page_rendered(client, stored):
    f.PaperFactory()
    client.get("/papers/")
    client.get("/papers/")
    client.cookies["messages"] = "pending"
    client.get("/papers/?page=1")
    assert len(whole(stored)) == 1  # the second visit only; the third rendered (and kept nothing)


def test_a_page_showing_a_message_the_view_queued_is_not_kept(client, stored, monkeypatch):
    from django.contrib import messages

    from community.views import search

    f.PaperFactory()
    render = search.render

    def render_with_a_message(request, *args, **kwargs):
        messages.info(request, "Only for this reader")
        return render(request, *args, **kwargs)

    monkeypatch.setattr(search, "render", render_with_a_message)
    assert client.get("/search/?q=attention").status_code == 200
    assert whole(stored) == []  # the message is this reader's (a page may show it, its cookie carries it)


@pytest.mark.parametrize(
    "decorate", ["never_cache", "vary_on_cookie"], ids=["not to be cached", "varies by a header"]
)
def test_a_page_whose_view_says_it_varies_or_must_not_be_cached_is_not_kept(
    client, stored, monkeypatch, decorate
):
    from django.views.decorators import cache, vary

    from community.views import search

    decorator = cache.never_cache if decorate == "never_cache" else vary.vary_on_cookie
    render = search.render
    monkeypatch.setattr(
        search, "render", decorator(lambda request, *args, **kwargs: render(request, *args, **kwargs))
    )
    for _ in range(3):
        assert client.get("/search/?q=attention").status_code == 200
    assert whole(stored) == []


def test_a_parameter_the_page_does_not_know_never_stores(client, stored):
    f.PaperFactory()
    for _ in range(3):
        assert client.get("/papers/?junk=1").status_code == 200
        assert client.get("/papers/?year=abc").status_code == 400
    assert whole(stored) == []


def test_the_order_of_the_parameters_does_not_make_a_second_page(client, stored):
    f.PaperFactory(year=2017)
    client.get("/papers/")  # learnt
    client.get("/papers/?year=2017&q=attention")
    client.get("/papers/?q=attention&year=2017")
    assert len(whole(stored)) == 1


def test_a_page_is_kept_once_however_its_query_is_written(client, stored):
    f.PaperFactory(year=2017)
    client.get("/papers/")  # learnt
    for query in ("year=2017", "year=2017&q=", "year=02017", "q=%20%20&year=2017", "year=%202017"):
        assert client.get(f"/papers/?{query}").status_code == 200
    assert len(whole(stored)) == 1
    # The kept one is served; the other spellings are rendered from the cached content.
    assert "2017" in client.get("/papers/?year=02017").content.decode()


def test_each_language_and_time_zone_is_kept_apart(client):
    f.PaperFactory()
    assert '<html lang="en"' in client.get("/papers/").content.decode()
    assert '<html lang="zh-hans"' in client.get("/zh-hans/papers/").content.decode()
    client.cookies["tz"] = "Asia/Shanghai"
    shanghai = page_cache.fragment_key(client.get("/").wsgi_request, "content")
    client.cookies["tz"] = "UTC"
    assert page_cache.fragment_key(client.get("/").wsgi_request, "content") != shanghai


def test_an_approved_submission_shows_on_the_kept_page_at_once(client, moderator, committed):
    paper = f.PaperFactory(title="Mamba", status="pending")
    for _ in range(3):
        assert "Mamba" not in client.get("/papers/").content.decode()
    with committed():
        moderation.submission_approve(item=paper, moderator=moderator)
    assert "Mamba" in client.get("/papers/").content.decode()


@override_settings(PAGE_CACHE_SECONDS=0)
def test_off_keeps_nothing(client, stored):
    f.PaperFactory()
    for _ in range(3):
        client.get("/papers/")
    assert stored == []


@pytest.mark.parametrize("path", ["/healthz", "/accounts/login/", "/feeds/latest.atom", "/submit/"])
def test_a_page_that_is_never_kept_costs_no_trip_to_the_cache(client, monkeypatch, path):
    f.PaperFactory()
    for _ in range(2):
        client.get("/papers/")  # a kept view: the middleware is looking
    trips = []
    monkeypatch.setattr(page_cache, "catalogue_version", lambda: trips.append("version") or 1)
    monkeypatch.setattr(page_cache, "fetch", lambda key: trips.append(key))
    for _ in range(2):
        client.get(path)
    assert trips == []


def test_the_api_keeps_a_papers_detail_and_shows_an_edit_at_once(
    client, django_assert_num_queries, committed
):
    paper = f.PaperFactory(title="Attention is all you need")
    url = f"/api/v1/papers/{paper.slug}/"
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.json() == first.json() and first.json()["title"] == "Attention is all you need"
    assert client.get(url + "?lang=zh-hans")["Content-Language"] == "zh-hans"
    with committed():
        paper.title = "Attention is all you need (v2)"
        paper.save()
    assert client.get(url).json()["title"] == "Attention is all you need (v2)"
    assert client.get(f"/api/v1/papers/{paper.slug}/?search=nothing-like-it").status_code == 404


def test_a_cached_api_page_is_kept_as_plain_data(client, stored):
    f.PaperFactory(title="Attention is all you need")
    client.get("/api/v1/papers/?search=attention")
    kept = page_cache.fetch(next(key for key in stored if "api-list" in key))
    # Plain types only: the serializer's ReturnList and Hyperlink carried the instances along.
    assert type(kept) is dict and type(kept["results"]) is list
    assert type(kept["results"][0]["api_url"]) is str
