"""/account/tokens/: create, replace and revoke the API token; the key is shown once and works."""

import re

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

URL = "/account/tokens/"


@pytest.fixture
def browser(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _post(client, action):
    page = client.get(URL)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(URL, {"action": action, "csrfmiddlewaretoken": csrf})


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

    created = _post(browser, "create")

    assert created.status_code == 200
    key = Token.objects.get(user=user).key
    assert key in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert _api_status(key) == 200

    later = browser.get(URL).content.decode()
    assert key not in later and key[:6] in later


def test_create_again_replaces_the_old_token(browser, user):
    _post(browser, "create")
    old = Token.objects.get(user=user).key
    _post(browser, "create")
    new = Token.objects.get(user=user).key
    assert new != old
    assert _api_status(old) == 401 and _api_status(new) == 200


def test_revoke(browser, user):
    _post(browser, "create")
    key = Token.objects.get(user=user).key

    response = _post(browser, "revoke")

    assert response.status_code == 302
    assert not Token.objects.filter(user=user).exists()
    assert _api_status(key) == 401
    assert "revoked" in browser.get(URL).content.decode()


def test_posts_need_the_csrf_token(browser, user):
    assert browser.post(URL, {"action": "create"}).status_code == 403
    assert not Token.objects.filter(user=user).exists()


def test_an_unknown_action_is_a_400(browser):
    assert _post(browser, "explode").status_code == 400


def test_one_users_page_never_touches_anothers_token(browser, staff_user, user):
    other = Token.objects.create(user=staff_user)
    _post(browser, "revoke")
    assert Token.objects.filter(pk=other.pk).exists()


def test_the_page_is_also_under_the_chinese_prefix(browser):
    assert browser.get("/zh-hans" + URL).status_code == 200
