"""/account/tokens/: named, hashed, expiring API tokens (django-rest-knox), listed with created, last
used and expiry; each one revoked on its own; the key is shown once and works."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from community.models import ApiTokenInfo
from tests.api.tokens import api_token_key

pytestmark = pytest.mark.django_db

URL = "/account/tokens/"


@pytest.fixture
def browser(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _post(client, action, **data):
    page = client.get(URL)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(URL, {"action": action, "csrfmiddlewaretoken": csrf, **data})


def _shown_key(response) -> str:
    return re.search(r'id="token-key" type="text" readonly value="([^"]+)"', response.content.decode()).group(
        1
    )


def _create(client, name="laptop script") -> str:
    response = _post(client, "create", name=name)
    assert response.status_code == 200
    return _shown_key(response)


def _api_status(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/topics/").status_code


def test_login_required():
    response = Client().get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_create_shows_the_key_once_and_it_authenticates(browser, user):
    assert "You have no token" in browser.get(URL).content.decode()

    created = _post(browser, "create", name="laptop script")

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    key = _shown_key(created)
    assert _api_status(key) == 200

    later = browser.get(URL).content.decode()
    assert key not in later and key[:8] in later
    assert "laptop script" in later


def test_the_key_is_stored_hashed_and_expires_after_the_default_ttl(browser, user, settings):
    key = _create(browser)

    token = AuthToken.objects.get(user=user)
    assert token.digest != key and key not in token.digest
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert not any(key in value for value in stored)
    assert settings.API_TOKEN_TTL_DAYS == 90
    assert abs(token.expiry - (timezone.now() + timedelta(days=90))) < timedelta(minutes=5)
    assert token.info.name == "laptop script"


def test_an_expired_token_is_refused(user):
    key = api_token_key(user)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _api_status(key) == 401


def test_several_named_tokens_are_listed_and_each_is_revoked_alone(browser, user):
    first = _create(browser, "ci runner")
    second = _create(browser, "notebook")
    page = browser.get(URL).content.decode()
    assert "ci runner" in page and "notebook" in page
    assert page.count('name="action" value="revoke"') == 2

    digest = AuthToken.objects.get(user=user, info__name="ci runner").digest
    response = _post(browser, "revoke", token=digest)

    assert response.status_code == 302
    assert _api_status(first) == 401 and _api_status(second) == 200
    page = browser.get(URL).content.decode()
    assert "revoked" in page and "ci runner" not in page and "notebook" in page


def test_last_used_is_shown_and_written_at_most_once_a_minute(browser, user):
    key = _create(browser)
    assert "never" in browser.get(URL).content.decode().split("laptop script", 1)[1].split("</tr>")[0]

    assert _api_status(key) == 200
    info = ApiTokenInfo.objects.get(token__user=user)
    assert info.last_used is not None and timezone.now() - info.last_used < timedelta(minutes=1)
    row = browser.get(URL).content.decode().split("laptop script", 1)[1].split("</tr>")[0]
    assert row.count("never") == 0

    recent = timezone.now() - timedelta(seconds=30)
    ApiTokenInfo.objects.filter(pk=info.pk).update(last_used=recent)
    assert _api_status(key) == 200
    assert ApiTokenInfo.objects.get(pk=info.pk).last_used == recent

    stale = timezone.now() - timedelta(minutes=2)
    ApiTokenInfo.objects.filter(pk=info.pk).update(last_used=stale)
    assert _api_status(key) == 200
    assert ApiTokenInfo.objects.get(pk=info.pk).last_used > stale


def test_a_token_needs_a_name(browser, user):
    response = _post(browser, "create", name="  ")
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not AuthToken.objects.filter(user=user).exists()


def test_posts_need_the_csrf_token(browser, user):
    assert browser.post(URL, {"action": "create", "name": "x"}).status_code == 403
    assert not AuthToken.objects.filter(user=user).exists()


def test_an_unknown_action_is_a_400(browser):
    assert _post(browser, "explode").status_code == 400


def test_one_users_page_never_touches_anothers_token(browser, staff_user, user):
    other_key = api_token_key(staff_user)
    other = AuthToken.objects.get(user=staff_user)

    response = _post(browser, "revoke", token=other.digest)

    assert response.status_code == 302
    assert AuthToken.objects.filter(pk=other.pk).exists() and _api_status(other_key) == 200
    assert "nothing was revoked" in browser.get(URL).content.decode()


def test_a_request_without_credentials_is_told_the_token_scheme():
    response = APIClient().post("/api/v1/topics/computer-vision/report/", {"reason": "spam"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_page_is_also_under_the_chinese_prefix(browser):
    assert browser.get("/zh-hans" + URL).status_code == 200
