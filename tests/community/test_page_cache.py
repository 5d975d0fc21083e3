"""The page cache (community.page_cache): the home page, the lists and search are rendered once per
catalogue version, language, time zone and address; any write shows at once; the header stays the
reader's own."""

import re

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from community import page_cache
from community.models import ModerationStatus
from community.services import moderation
from tests.community import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_page_cache_on")]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main(response) -> str:
    """The page's <main> element (the header and footer carry a CSRF token masked anew each time)."""
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks of the writes inside it, as their commit would: each test runs in
    a transaction that is never committed, and the page cache moves its version on commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def _page_cache_on():
    with override_settings(PAGE_CACHE_SECONDS=60):
        yield


def test_a_second_visit_of_a_list_reads_no_table(client, django_assert_num_queries):
    f.PaperFactory(title="Attention is all you need")
    first = client.get("/papers/")
    with django_assert_num_queries(0):
        second = client.get("/papers/")
    assert first.status_code == second.status_code == 200
    assert "Attention is all you need" in second.content.decode()
    assert main(second) == main(first)


@pytest.mark.parametrize(
    "path", ["/", "/search/?q=attention", "/papers/?q=attention", "/projects/?ordering=-name"]
)
def test_home_search_and_filtered_lists_are_cached_too(client, django_assert_num_queries, path):
    f.PaperFactory(title="Attention is all you need")
    first = client.get(path)
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.status_code == 200
    assert main(second) == main(first)


def test_a_new_item_and_an_approval_show_at_once(client, moderator, committed):
    f.PaperFactory(title="Old paper")
    assert "Fresh paper" not in client.get("/papers/").content.decode()

    with committed():
        pending = f.PaperFactory(title="Fresh paper", status=ModerationStatus.PENDING)
    assert "Fresh paper" not in client.get("/papers/").content.decode()
    with committed():
        moderation.submission_approve(item=pending, moderator=moderator)

    assert "Fresh paper" in client.get("/papers/").content.decode()
    assert "Fresh paper" in client.get("/search/?q=fresh").content.decode()


def test_a_link_added_to_an_item_shows_at_once(client, committed):
    paper = f.PaperFactory(title="Linked paper")
    client.get("/papers/")
    with committed():
        paper.topics.add(f.TopicFactory(name="Graph learning"))
    assert "Graph learning" in client.get("/papers/").content.decode()


def test_bulk_generation_makes_cached_pages_stale(client, committed):
    f.TopicFactory()
    f.VenueFactory()
    before = page_cache.catalogue_version()
    with committed():
        call_command("generate_catalogue", papers=5, projects=1, people=3, jobs=0, funding=0, seed=1)
    assert page_cache.catalogue_version() != before


@pytest.mark.commit_moves_version
def test_the_version_moves_when_the_write_commits_not_before(committed):
    before = page_cache.catalogue_version()
    with committed():
        f.PaperFactory()
        # Inside the transaction: a request now must not cache the old rows under a new version.
        assert page_cache.catalogue_version() == before
    assert page_cache.catalogue_version() != before


def test_each_language_and_time_zone_has_its_own_fragment(client):
    f.PaperFactory()
    english = client.get("/papers/").content.decode()
    chinese = client.get("/zh-hans/papers/").content.decode()
    assert 'lang="zh-hans"' in chinese and "论文" in chinese
    assert english != chinese

    keys = set()
    for zone in ("UTC", "Asia/Shanghai", "not/a-zone"):
        client.cookies["tz"] = zone
        response = client.get("/")
        keys.add(page_cache.fragment_key(response.wsgi_request, "content"))
    # An unknown zone is read as none at all, so it cannot fill the cache with keys of its own.
    assert len(keys) == 3
    client.cookies["tz"] = "another/unknown"
    assert page_cache.fragment_key(client.get("/").wsgi_request, "content") in keys


def test_the_header_stays_the_readers_own(client, member):
    f.PaperFactory()
    anonymous = client.get("/papers/").content.decode()
    other = Client()
    other.force_login(member)
    signed_in = other.get("/papers/").content.decode()

    assert "Log in" in anonymous and member.username not in anonymous
    assert member.username in signed_in and "Log in" not in signed_in
    # The language switcher's CSRF token is each reader's own, never one kept with the content.
    assert CSRF.search(anonymous).group(1) != CSRF.search(signed_in).group(1)


def test_the_cached_search_page_still_escapes_the_query(client):
    text = "<script>alert(1)</script>"
    client.get("/search/", {"q": text})
    body = client.get("/search/", {"q": text}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_a_bad_parameter_is_never_cached(client):
    assert client.get("/papers/?year=abc").status_code == 400
    assert client.get("/papers/?year=abc").status_code == 400


@override_settings(PAGE_CACHE_SECONDS=0)
def test_off_means_every_visit_renders(client):
    f.PaperFactory()
    client.get("/papers/")
    assert page_cache.fragment_key(client.get("/papers/").wsgi_request, "content") is None
    response = client.get("/papers/")
    assert response.context["page"].paginator.count == 1


def test_api_lists_are_cached_and_a_new_item_shows_at_once(client, django_assert_num_queries, committed):
    f.PaperFactory(title="Attention is all you need")
    first = client.get("/api/v1/papers/?search=attention")
    with django_assert_num_queries(0):
        second = client.get("/api/v1/papers/?search=attention")
    assert second.json() == first.json() and second.json()["count"] == 1

    with committed():
        f.PaperFactory(title="Attention over graphs")
    assert client.get("/api/v1/papers/?search=attention").json()["count"] == 2


def test_api_pagination_links_keep_the_host_they_were_asked_on(client):
    for _ in range(3):
        f.PaperFactory()
    first = client.get("/api/v1/papers/?page_size=1", HTTP_HOST="testserver").json()
    other = client.get("/api/v1/papers/?page_size=1", HTTP_HOST="localhost").json()
    assert first["next"].startswith("http://testserver/")
    assert other["next"].startswith("http://localhost/")


def test_a_value_kept_per_version_is_computed_once_until_a_write_commits(monkeypatch, committed):
    monkeypatch.setattr(page_cache, "shared_cache", lambda: True)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert page_cache.per_version("answer", compute) == 1
    assert page_cache.per_version("answer", compute) == 1
    with committed():
        f.ProjectFactory()
    assert page_cache.per_version("answer", compute) == 2


def test_a_value_kept_per_version_is_computed_each_time_without_a_shared_cache(monkeypatch):
    monkeypatch.setattr(page_cache, "shared_cache", lambda: False)
    calls = []
    page_cache.per_version("answer", lambda: calls.append(1))
    page_cache.per_version("answer", lambda: calls.append(1))
    assert len(calls) == 2


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_new_projects_language_is_offered_in_the_filter_once_it_commits(client, monkeypatch, committed):
    monkeypatch.setattr(page_cache, "shared_cache", lambda: True)
    f.ProjectFactory(language="Python")
    assert 'value="Julia"' not in client.get("/projects/").content.decode()
    with committed():
        f.ProjectFactory(language="Julia")
    body = client.get("/projects/").content.decode()
    assert 'value="Julia"' in body and 'value="Python"' in body
    assert client.get("/projects/?language=Julia").status_code == 200


def test_a_topic_pages_hub_is_kept_and_a_new_paper_on_it_shows_at_once(
    client, committed, django_assert_max_num_queries
):
    topic = f.TopicFactory(name="Graph learning")
    f.PaperFactory(title="Message passing").topics.add(topic)
    first = client.get(topic.get_absolute_url())
    # The topic itself, and nothing of its hub (ten queries when it is rendered).
    with django_assert_max_num_queries(1):
        second = client.get(topic.get_absolute_url())
    assert "Message passing" in second.content.decode()
    assert main(second) == main(first)
    with committed():
        f.PaperFactory(title="Graph attention").topics.add(topic)
    assert "Graph attention" in client.get(topic.get_absolute_url()).content.decode()


def test_a_cached_topic_page_keeps_the_readers_own_follow_button(client, member):
    topic = f.TopicFactory(name="Graph learning")
    anonymous = client.get(topic.get_absolute_url()).content.decode()
    other = Client()
    other.force_login(member)
    signed_in = other.get(topic.get_absolute_url()).content.decode()
    assert "Graph learning" in signed_in
    # The hub came from the anonymous visit's fragment; the follow box is each reader's own.
    assert 'class="follow-form"' in signed_in and "Sign in to follow" not in signed_in
    assert 'class="follow-form"' not in anonymous and "Sign in to follow" in anonymous


def test_a_paper_pages_article_is_kept_and_an_edit_shows_at_once(client, committed, django_assert_max_num_queries):
    paper = f.PaperFactory(title="Attention is all you need", abstract="We propose the Transformer.")
    paper.topics.add(f.TopicFactory(name="Transformers"))
    first = client.get(paper.get_absolute_url())
    # The paper's row (for <title> and the edit and report links), nothing of its article.
    with django_assert_max_num_queries(1):
        second = client.get(paper.get_absolute_url())
    assert main(second) == main(first)
    body = second.content.decode()
    assert "We propose the Transformer." in body and "Transformers" in body
    assert "<title>Attention is all you need" in body and "Suggest an edit" in body
    with committed():
        paper.abstract = "A network built on attention alone."
        paper.save()
    assert "A network built on attention alone." in client.get(paper.get_absolute_url()).content.decode()


def test_a_cached_paper_page_gives_a_moderator_the_history_link(client, moderator):
    paper = f.PaperFactory(title="Attention is all you need")
    assert "History" not in main(client.get(paper.get_absolute_url()))
    other = Client()
    other.force_login(moderator)
    assert ">History</a>" in other.get(paper.get_absolute_url()).content.decode()


def test_an_unpublished_paper_is_not_served_from_its_cached_page(client, moderator, committed):
    paper = f.PaperFactory()
    client.get(paper.get_absolute_url())
    with committed():
        paper.status = ModerationStatus.PENDING
        paper.save()
    assert client.get(paper.get_absolute_url()).status_code == 404


@pytest.mark.commit_moves_version
def test_a_published_sweep_shows_on_the_cached_paper_page_at_once(client, committed):
    from tests.training.factories import BenchmarkFactory, finished_sweep
    from training.services import sweep_publish

    paper = f.PaperFactory(title="Scaling Down Deep Learning with MNIST-1D")
    bench = BenchmarkFactory(paper=paper, targets=[{"metric": "test_acc", "value": 0.94, "tolerance": 0.02}])
    with committed():
        sweep = finished_sweep(bench, accs=(0.944, 0.909, 0.943), published=False)
    assert "93.2" not in client.get(paper.get_absolute_url()).content.decode()
    with committed():
        sweep_publish(sweep=sweep, published=True)
    assert "93.2" in client.get(paper.get_absolute_url()).content.decode()


@pytest.mark.parametrize("page", ["paper", "/papers/", "/search/?q=attention", "/"])
def test_a_page_asks_the_cache_for_its_fragment_once_a_request(member_client, monkeypatch, page):
    # A signed-in reader: a reader without a session gets the kept whole page instead
    # (tests/community/test_anonymous_pages.py).
    paper = f.PaperFactory(title="Attention is all you need")
    path = paper.get_absolute_url() if page == "paper" else page
    fetched = []
    fetch = page_cache.fetch
    monkeypatch.setattr(page_cache, "fetch", lambda key: fetched.append(key) or fetch(key))
    member_client.get(path)  # not stored yet: the view asks, the template tag renders and stores
    member_client.get(path)  # stored
    assert len(fetched) == 2 and fetched[0] == fetched[1]


class _CountingCache:
    """The cache page_cache talks to, counting the reads of the catalogue's version."""

    def __init__(self, real):
        self.real = real
        self.version_reads = 0

    def get(self, key, *args, **kwargs):
        self.version_reads += key == page_cache.VERSION_KEY
        return self.real.get(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def counting_cache(monkeypatch):
    counting = _CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    return counting


@pytest.mark.parametrize("path", ["/papers/", "/papers/?q=attention", "/search/?q=attention", "/projects/"])
def test_a_page_that_misses_the_cache_reads_the_catalogue_version_once(client, counting_cache, path):
    # The whole page's key, the fragment's, the list's count and a filter's choices all need it: one
    # round trip to the cache, not one each.
    f.PaperFactory(title="Attention is all you need")
    page_cache.catalogue_version()  # the first read of all starts the version: two round trips
    counting_cache.version_reads = 0
    assert client.get(path).status_code == 200
    assert counting_cache.version_reads == 1


def _versions_seen_by(method: str, during) -> list[int]:
    """The versions a view reads before and after `during()`, inside OneVersionPerRequest."""
    seen = []

    def view(request):
        seen.append(page_cache.catalogue_version())
        during()
        seen.append(page_cache.catalogue_version())
        return HttpResponse()

    page_cache.OneVersionPerRequest(view)(getattr(RequestFactory(), method)("/papers/"))
    return seen


def test_a_reading_request_keeps_the_version_it_read_first():
    # Another process's write moves the version mid-request: this page's keys stay on one version.
    before, after = _versions_seen_by("get", lambda: page_cache.cache.incr(page_cache.VERSION_KEY))
    assert before == after


def test_a_writing_request_reads_the_version_each_time():
    before, after = _versions_seen_by("post", lambda: page_cache.cache.incr(page_cache.VERSION_KEY))
    assert after == before + 1


@pytest.mark.commit_moves_version
def test_a_reading_request_that_writes_reads_the_new_version_after_the_commit(committed):
    def write():
        with committed():
            f.PaperFactory()

    before, after = _versions_seen_by("get", write)
    assert after != before


def test_outside_a_request_every_call_reads_the_cache():
    before = page_cache.catalogue_version()
    page_cache.cache.incr(page_cache.VERSION_KEY)
    assert page_cache.catalogue_version() == before + 1
