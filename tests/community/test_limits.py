"""Limits, from the outside (issue 12, items 5 and 6): one function decides a request's client address
for every limit (a made-up X-Forwarded-For never buys a fresh allowance), and every submission path
(web form, API, import) spends one budget per user and per address."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from common import http
from community import page_cache
from community.models import Channel, Paper, Report, Topic
from tests.community import factories as f
from tests.community.moderation_helpers import make_user, submit_url

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"
TOPICS = "/api/v1/topics/"
User = get_user_model()


def _anon_rate(rate: str):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": rate}
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates})


# --- item 5: one client address ------------------------------------------------------------------


def test_a_made_up_forwarded_for_does_not_escape_the_anonymous_throttle():
    api = APIClient(REMOTE_ADDR=ADDRESS)
    with _anon_rate("3/minute"):
        assert [api.get(TOPICS).status_code for _ in range(3)] == [200] * 3
        assert api.get(TOPICS).status_code == 429
        spoofed = [api.get(TOPICS, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(1, 11)]
        assert spoofed == [429] * 10
        # Another client (another address) is not affected.
        assert APIClient(REMOTE_ADDR="198.51.100.1").get(TOPICS).status_code == 200


@override_settings(NUM_PROXIES=1)
def test_behind_one_proxy_the_right_most_forwarded_address_is_the_client():
    proxy = APIClient(REMOTE_ADDR="10.0.0.1")  # every request arrives from the proxy
    with _anon_rate("2/minute"):
        for made_up in ("6.6.6.6", "7.7.7.7"):
            assert proxy.get(TOPICS, HTTP_X_FORWARDED_FOR=f"{made_up}, {ADDRESS}").status_code == 200
        # Whatever the client writes to the left of what the proxy appended, it is the same client.
        assert proxy.get(TOPICS, HTTP_X_FORWARDED_FOR=f"8.8.8.8, {ADDRESS}").status_code == 429
        assert proxy.get(TOPICS, HTTP_X_FORWARDED_FOR=ADDRESS).status_code == 429
        # Another client behind the same proxy has an allowance of its own.
        assert proxy.get(TOPICS, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.2").status_code == 200


def test_the_sign_up_limit_reads_the_same_address(client, settings):
    settings.SIGNUP_RATE_LIMIT = 1
    url = reverse("accounts:signup")

    def signup(number, **headers):
        data = {
            "username": f"person{number}",
            "email": f"person{number}@example.org",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        }
        return Client(REMOTE_ADDR=ADDRESS, **headers).post(url, data)

    assert signup(1).status_code == 200
    assert signup(2, HTTP_X_FORWARDED_FOR="10.0.0.2").status_code == 429
    assert list(User.objects.filter(username__startswith="person").values_list("username", flat=True)) == [
        "person1"
    ]


def test_one_warning_when_a_forwarded_header_arrives_and_no_proxy_is_configured(caplog, monkeypatch):
    monkeypatch.setattr(http, "_forwarded_warned", False)
    api = APIClient(REMOTE_ADDR=ADDRESS)
    with caplog.at_level(logging.WARNING, logger="common.http"):
        api.get(TOPICS)  # no header: nothing to say
        for n in range(3):
            api.get(TOPICS, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    warnings = [r for r in caplog.records if r.name == "common.http"]
    assert len(warnings) == 1
    assert "X-Forwarded-For" in warnings[0].getMessage() and "NUM_PROXIES" in warnings[0].getMessage()


@override_settings(NUM_PROXIES=1)
def test_no_warning_when_the_proxies_are_configured(caplog, monkeypatch):
    monkeypatch.setattr(http, "_forwarded_warned", False)
    with caplog.at_level(logging.WARNING, logger="common.http"):
        APIClient(REMOTE_ADDR="10.0.0.1").get(TOPICS, HTTP_X_FORWARDED_FOR=ADDRESS)
    assert not [r for r in caplog.records if r.name == "common.http"]


# --- item 6: one submission budget ---------------------------------------------------------------


def _channel(number: int) -> dict:
    return {
        "name": f"Channel number {number}",
        "kind": "chat",
        "url": f"https://chat{number}.example.org",
        "confirm": "on",
    }


def _api(user, address=ADDRESS) -> APIClient:
    api = APIClient(REMOTE_ADDR=address)
    api.force_authenticate(user)
    return api


def _report(api, topic):
    return api.post(f"{TOPICS}{topic.slug}/report/", {"reason": "spam", "message": ""}, format="json")


def test_web_submissions_and_api_writes_spend_one_budget(settings):
    assert settings.SUBMISSION_RATE_LIMIT == 20
    member = make_user("member")
    web = Client(REMOTE_ADDR=ADDRESS)
    web.force_login(member)
    for number in range(20):
        assert web.post(submit_url("channel"), _channel(number)).status_code == 302, number
    topic = f.TopicFactory()

    refused = _report(_api(member), topic)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert "20 submissions in the last hour" in refused.json()["error"]["message"]
    assert 0 < int(refused["Retry-After"]) <= 3600
    # Another account from the same address is refused too: the address has its own budget.
    assert _report(_api(make_user("other")), topic).status_code == 429
    assert _api(make_user("third")).post(TOPICS, {"name": "Graphs"}, format="json").status_code == 429
    assert not Report.objects.exists() and not Topic.objects.filter(name="Graphs").exists()
    # Another account from another address is not.
    assert _report(_api(make_user("elsewhere"), "198.51.100.1"), topic).status_code == 202


def test_thirty_one_api_reports_in_an_hour_are_impossible():
    member = make_user("member")
    topic = f.TopicFactory()
    api = _api(member)
    statuses = [_report(api, topic).status_code for _ in range(31)]
    assert statuses == [202] * 20 + [429] * 11
    assert Report.objects.count() == 20


def test_the_api_budget_also_limits_the_web_form(settings):
    settings.SUBMISSION_RATE_LIMIT = 3  # the budget's size is not the point: that the two share it is
    member = make_user("member")
    topic = f.TopicFactory()
    for _ in range(3):
        assert _report(_api(member), topic).status_code == 202
    web = Client(REMOTE_ADDR=ADDRESS)
    web.force_login(member)
    response = web.post(submit_url("channel"), _channel(1))
    assert response.status_code == 429
    assert "You have submitted 3 items in the last hour" in response.content.decode()
    assert not Channel.objects.exists()


BIBTEX = b"@article{he2016, title={Deep residual learning}, author={He, Kaiming}, year={2016}}\n"


def test_an_import_for_the_moderation_queue_spends_the_same_budget(settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    moderator = make_user("moddy", moderator=True)
    topic = f.TopicFactory()
    for _ in range(2):
        assert _report(_api(moderator), topic).status_code == 202
    web = Client(REMOTE_ADDR=ADDRESS)
    web.force_login(moderator)
    upload = SimpleUploadedFile("papers.bib", BIBTEX)
    response = web.post(
        reverse("community:import-upload"), {"format": "bibtex", "file": upload, "pending": "on"}
    )
    assert response.status_code == 429
    assert "You have submitted 2 items in the last hour" in response.content.decode()
    assert not Paper.objects.exists()
    # Publishing at once is a moderator's own act, not a submission: not limited.
    upload = SimpleUploadedFile("papers.bib", BIBTEX)
    response = web.post(reverse("community:import-upload"), {"format": "bibtex", "file": upload})
    assert response.status_code == 200
    assert Paper.objects.count() == 1


# --- item 7: the page cache key, and counters that no page can evict -------------------------------


def _own_cache(**options):
    """The page cache in a local memory of its own (CI's default cache is a shared Redis), the limit
    counters where the settings put them."""
    default = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits-test"}
    if options:
        default["OPTIONS"] = options
    return override_settings(PAGE_CACHE_SECONDS=60, CACHES={**settings.CACHES, "default": default})


def _entries() -> set[str]:
    from django.core.cache import cache

    return set(cache._cache)


def test_made_up_query_strings_add_no_cache_entries(client):
    f.TopicFactory(name="Graph learning")
    with _own_cache():
        plain = client.get("/topics/")
        api_plain = client.get(TOPICS)
        assert plain.status_code == api_plain.status_code == 200
        before = _entries()
        key = page_cache.fragment_key(plain.wsgi_request, "content")
        # Each made-up value would make an entry of its own if it reached the key: forty show it.
        for n in range(40):
            response = client.get(f"/topics/?junk={n}")
            assert response.status_code == 200
            assert "Graph learning" in response.content.decode()
        assert page_cache.fragment_key(response.wsgi_request, "content") == key
        for n in range(50):
            assert client.get(f"{TOPICS}?junk={n}&page=0{1}").status_code == 200
        assert _entries() == before
        # Known parameters still have entries of their own, keyed on their validated values: the
        # content, and for readers without a session the whole page and the spelling it was kept
        # under (community.anonymous_pages); another spelling of the same values adds none.
        client.get("/topics/?ordering=-name")
        added = len(_entries()) - len(before)
        for spelling in ("-name&q=", "-name&q=%20", "-name&q=%20%20", "%20-name"):
            client.get(f"/topics/?ordering={spelling}")
        assert len(_entries()) == len(before) + added <= len(before) + 3


def test_page_cache_evictions_never_reset_a_limit(client, settings):
    settings.SIGNUP_RATE_LIMIT = 4
    url = reverse("accounts:signup")
    with _own_cache(MAX_ENTRIES=5, CULL_FREQUENCY=2):

        def signup(number):
            data = {
                "username": f"person{number}",
                "email": f"person{number}@example.org",
                "password1": "a-long-pass-phrase-9",
                "password2": "a-long-pass-phrase-9",
            }
            return Client(REMOTE_ADDR=ADDRESS).post(url, data).status_code

        assert [signup(n) for n in range(1, 5)] == [200] * 4
        assert signup(5) == 429
        # Enough different pages to cycle the small page cache several times over (five times: each
        # search is at least one entry).
        for n in range(25):
            assert client.get(f"/search/?q=word{n}").status_code == 200
        assert signup(6) == 429
        assert signup(7) == 429
    assert not User.objects.filter(username__in=["person5", "person6", "person7"]).exists()
