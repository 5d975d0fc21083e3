"""Submissions are limited per person and per IP address (20 an hour by default), with a message
that says how long to wait; a body over 1 MB gets a clear 413 page, never a 500."""

import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from community.models import Channel
from community.services.rate_limits import RateLimited, client_ip, rate_limit_check, rate_limit_hit
from tests.community import factories as f
from tests.community.moderation_helpers import (
    make_user,
    submit_url,
)


def _channel(number: int) -> dict:
    return {"name": f"Channel number {number}", "kind": "chat", "url": f"https://chat{number}.example.org"}


@pytest.mark.django_db
def test_the_twenty_first_submission_in_an_hour_is_refused_with_a_clear_message(
    member, member_client, settings
):
    settings.SUBMISSION_RATE_LIMIT = 20
    for number in range(20):
        data = {**_channel(number), "confirm": "on"}
        assert member_client.post(submit_url("channel"), data).status_code == 302, number
    response = member_client.post(submit_url("channel"), _channel(99))
    assert response.status_code == 429
    html = response.content.decode()
    assert "You have submitted 20 items in the last hour; please wait 60 minutes." in html
    assert 'value="Channel number 99"' in html  # what was typed is kept
    assert Channel.objects.filter(created_by=member).count() == 20


@pytest.mark.django_db
def test_edits_and_reports_count_too(member_client, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    channel = f.ChannelFactory()
    report_url = reverse("community:report", kwargs={"kind": "channel", "slug": channel.slug})
    assert member_client.post(report_url, {"reason": "spam", "message": ""}).status_code == 302
    assert member_client.post(report_url, {"reason": "spam", "message": ""}).status_code == 302
    assert member_client.post(report_url, {"reason": "spam", "message": ""}).status_code == 429
    edit_url = reverse("community:suggest-edit", kwargs={"kind": "channel", "slug": channel.slug})
    # A valid edit: the limit is the service's, so it answers once the form has been read.
    edit = {"name": "A new name", "kind": channel.kind, "url": channel.url}
    assert member_client.post(edit_url, edit).status_code == 429


@pytest.mark.django_db
def test_refused_submissions_do_not_count(member_client, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    for _ in range(5):
        assert member_client.post(submit_url("channel"), {"name": "", "kind": "chat"}).status_code == 200
    assert member_client.post(submit_url("channel"), _channel(1)).status_code == 302


@pytest.mark.django_db
def test_the_limit_also_holds_per_ip_address_across_accounts(settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    for number, name in enumerate(("one", "two", "three")):
        client = Client(REMOTE_ADDR="203.0.113.7")
        client.force_login(make_user(name))
        status = client.post(submit_url("channel"), {**_channel(number), "confirm": "on"}).status_code
        assert status == (302 if number < 2 else 429), name
    other_address = Client(REMOTE_ADDR="198.51.100.1")
    other_address.force_login(make_user("four"))
    assert other_address.post(submit_url("channel"), {**_channel(9), "confirm": "on"}).status_code == 302


def test_the_window_slides_and_the_wait_is_until_the_oldest_leaves(monkeypatch):
    caches["ratelimit"].clear()
    now = [1_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    for _ in range(3):
        rate_limit_hit(scope="t", keys=["k"], window=3600)
        now[0] += 600
    with pytest.raises(RateLimited) as caught:
        rate_limit_check(scope="t", keys=["k"], limit=3, window=3600)
    assert caught.value.count == 3
    assert caught.value.wait_seconds == 1800  # the oldest hit, 30 minutes old, leaves in 30 minutes
    assert caught.value.wait_minutes == 30
    now[0] += 1800
    rate_limit_check(scope="t", keys=["k"], limit=3, window=3600)  # passes again
    caches["ratelimit"].clear()


def test_client_ip_trusts_only_the_configured_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.NUM_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.django_db
def test_a_post_over_one_megabyte_gets_a_413_page(member_client):
    data = {**_channel(1), "description": "x" * (1024 * 1024 + 10)}
    response = member_client.post(submit_url("channel"), data)
    assert response.status_code == 413
    html = response.content.decode()
    assert "at most 1.0 MB" in html
    assert not Channel.objects.exists()


@pytest.mark.django_db
def test_a_post_just_under_the_limit_is_read_normally(member_client):
    data = {**_channel(1), "description": "x" * (900 * 1024)}
    response = member_client.post(submit_url("channel"), data)
    assert response.status_code == 302
