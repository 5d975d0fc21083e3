"""Account security from the outside (issue 12, items 1 and 3): a sign-up cannot pre-hijack someone
else's address; a password reset or change revokes API tokens and other sessions; log-in (the site's
and the admin's) is locked per username and per client IP after repeated failures; password-reset
requests are limited per address and per client IP."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.community import factories as f

pytestmark = pytest.mark.django_db

User = get_user_model()
REPORT_URL = "/api/v1/topics/computer-vision/report/"
PROFILE = "/accounts/profile/"


def _link(message) -> str:
    return re.sub(r"^https?://[^/]+", "", re.search(r"https?://\S+", message.body).group(0))


def _sign_up(client, username: str, email: str, password: str, capture):
    with capture(execute=True):
        response = client.post(
            reverse("accounts:signup"),
            {"username": username, "email": email, "password1": password, "password2": password},
        )
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()


def _log_in(client, username: str, password: str, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def _logged_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


def _make_token(client) -> str:
    page = client.get("/account/tokens/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    created = client.post(
        "/account/tokens/", {"action": "create", "name": "mine", "csrfmiddlewaretoken": csrf}
    ).content.decode()
    return re.search(r'id="token-key" type="text" readonly value="([^"]+)"', created).group(1)


def _report_status(key: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.post(REPORT_URL, {"reason": "spam", "message": "x"}, format="json").status_code


def _reset_password(client, email: str, new_password: str, capture) -> None:
    sent = len(mail.outbox)
    with capture(execute=True):
        assert client.post(reverse("accounts:password_reset"), {"email": email}).status_code == 302
    assert len(mail.outbox) == sent + 1
    form_page = client.get(_link(mail.outbox[-1]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302


# --- item 1: pre-hijack ------------------------------------------------------------------------


def _attacker_signs_up(client, capture) -> None:
    """The attacker signs up first, with the victim's e-mail address and a password of their own."""
    _sign_up(client, "evilmallory", "victim@example.org", "mallory's long passphrase", capture)


def test_a_second_sign_up_replaces_the_unconfirmed_account_and_mails_only_its_own_link(
    django_capture_on_commit_callbacks,
):
    attacker, owner = Client(), Client()
    _attacker_signs_up(attacker, django_capture_on_commit_callbacks)
    mallorys_link = _link(mail.outbox[0])

    _sign_up(
        owner,
        "victim",
        "victim@example.org",
        "the owner's long passphrase",
        django_capture_on_commit_callbacks,
    )

    owners_mail = mail.outbox[-1]
    assert owners_mail.to == ["victim@example.org"]
    assert "evilmallory" not in owners_mail.body and "Hello victim" in owners_mail.body
    assert _link(owners_mail) != mallorys_link
    # The attacker's account is gone with its stored password; its link confirms nothing.
    assert not User.objects.filter(username="evilmallory").exists()
    assert owner.get(mallorys_link).status_code == 400

    assert owner.get(_link(owners_mail)).status_code == 302
    assert User.objects.get(email="victim@example.org").username == "victim"
    assert User.objects.get(username="victim").is_active
    assert _log_in(attacker, "evilmallory", "mallory's long passphrase").status_code == 200
    assert _log_in(attacker, "victim@example.org", "mallory's long passphrase").status_code == 200
    assert not _logged_in(attacker)
    assert _log_in(owner, "victim", "the owner's long passphrase").status_code == 302


def test_a_refused_second_sign_up_leaves_the_waiting_account_alone(django_capture_on_commit_callbacks):
    _sign_up(
        Client(), "first", "shared@example.org", "a long first passphrase", django_capture_on_commit_callbacks
    )
    response = Client().post(
        reverse("accounts:signup"),
        {"username": "second", "email": "shared@example.org", "password1": "short", "password2": "short"},
    )
    assert response.status_code == 200 and "Check your e-mail" not in response.content.decode()
    assert User.objects.filter(username="first", is_active=False).exists()


def test_a_password_reset_revokes_the_attackers_token_and_session(django_capture_on_commit_callbacks):
    f.TopicFactory(name="Computer vision", slug="computer-vision")
    attacker, owner = Client(), Client()
    _attacker_signs_up(attacker, django_capture_on_commit_callbacks)
    # The owner follows the link mailed to their address (the attacker's account's) by mistake.
    assert owner.get(_link(mail.outbox[0])).status_code == 302
    assert _log_in(attacker, "evilmallory", "mallory's long passphrase").status_code == 302
    key = _make_token(attacker)
    assert _report_status(key) == 202

    _reset_password(
        owner, "victim@example.org", "the owner's new passphrase", django_capture_on_commit_callbacks
    )

    assert _report_status(key) == 401
    assert not _logged_in(attacker)
    assert _log_in(attacker, "evilmallory", "mallory's long passphrase").status_code == 200
    assert _log_in(owner, "victim@example.org", "the owner's new passphrase").status_code == 302


def test_a_password_change_keeps_this_session_and_ends_every_other_and_every_token(member):
    f.TopicFactory(name="Computer vision", slug="computer-vision")
    here, elsewhere = Client(), Client()
    assert _log_in(here, "member", "pw-member-123456").status_code == 302
    assert _log_in(elsewhere, "member", "pw-member-123456").status_code == 302
    key = _make_token(elsewhere)
    assert _report_status(key) == 202

    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pw-member-123456",
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
        follow=True,
    )

    assert _report_status(key) == 401
    assert not _logged_in(elsewhere)
    assert _logged_in(here)
    assert response.status_code == 200 and "API tokens were revoked" in response.content.decode()


def test_an_administrator_setting_a_password_revokes_the_tokens_too(member, staff_user):
    f.TopicFactory(name="Computer vision", slug="computer-vision")
    owner = Client()
    assert _log_in(owner, "member", "pw-member-123456").status_code == 302
    key = _make_token(owner)
    admin = Client()
    admin.force_login(staff_user)

    response = admin.post(
        f"/admin/auth/user/{member.pk}/password/",
        {"password1": "set by the admin 123", "password2": "set by the admin 123", "usable_password": "true"},
    )

    assert response.status_code == 302
    assert _report_status(key) == 401
    assert not _logged_in(owner)


# --- item 3: brute force -----------------------------------------------------------------------

LOCKED = "Too many failed log-ins"
FAILURE_LIMIT = 10


@pytest.fixture(autouse=True)
def _default_failure_limit(settings):
    # The default of AXES_FAILURE_LIMIT, whatever the environment says.
    settings.AXES_FAILURE_LIMIT = FAILURE_LIMIT


def test_forty_wrong_passwords_lock_the_account_and_the_right_one_then_fails(client, member):
    for _attempt in range(40):
        response = _log_in(client, "member", "wrong password")
    assert response.status_code == 429 and LOCKED in response.content.decode()

    response = _log_in(client, "member", "pw-member-123456")

    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "Please wait 15 minutes" in response.content.decode()
    assert not _logged_in(client)


def test_the_lock_counts_failures_from_any_address_for_one_username(member, settings):
    # One failure from each of FAILURE_LIMIT addresses: no address reaches its own limit, the username does.
    for number in range(FAILURE_LIMIT):
        _log_in(Client(REMOTE_ADDR=f"10.0.{number // 250}.{number % 250 + 1}"), "member", "wrong password")

    fresh = Client(REMOTE_ADDR="192.0.2.77")
    response = _log_in(fresh, "member", "pw-member-123456")

    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not _logged_in(fresh)
    # The e-mail address is the same account, not a way around the lock.
    assert _log_in(fresh, "member@example.org", "pw-member-123456").status_code == 429


def test_one_address_trying_many_usernames_is_locked_out_but_others_are_not(member, settings):
    settings.NUM_PROXIES = 0
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    for number in range(FAILURE_LIMIT):
        # X-Forwarded-For is the client's own say-so without a proxy: it must not make a new address.
        _log_in(guesser, f"someone{number}", "guess", HTTP_X_FORWARDED_FOR=f"10.9.9.{number}")

    response = _log_in(guesser, "member", "pw-member-123456", HTTP_X_FORWARDED_FOR="10.9.9.200")
    assert response.status_code == 429 and not _logged_in(guesser)

    other = Client(REMOTE_ADDR="198.51.100.10")
    assert _log_in(other, "member", "pw-member-123456").status_code == 302


def test_behind_a_proxy_the_lock_uses_the_address_the_proxy_saw(member, settings):
    settings.NUM_PROXIES = 1
    for number in range(FAILURE_LIMIT):
        _log_in(
            Client(REMOTE_ADDR="10.0.0.1"), f"someone{number}", "guess", HTTP_X_FORWARDED_FOR="203.0.113.5"
        )

    locked = Client(REMOTE_ADDR="10.0.0.1")
    assert (
        _log_in(locked, "member", "pw-member-123456", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    )
    free = Client(REMOTE_ADDR="10.0.0.1")
    assert _log_in(free, "member", "pw-member-123456", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_the_admin_log_in_is_locked_too(staff_user, settings):
    client = Client()
    for _attempt in range(FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})

    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "pw-admin-123456"})

    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_few_wrong_passwords_do_not_lock(client, member, settings):
    for _attempt in range(FAILURE_LIMIT - 1):
        assert _log_in(client, "member", "wrong password").status_code == 200
    assert _log_in(client, "member", "pw-member-123456").status_code == 302


def test_password_reset_requests_are_limited_per_address(client, member, django_capture_on_commit_callbacks):
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(25):
            response = Client(REMOTE_ADDR=f"10.1.0.{number + 1}").post(
                reverse("accounts:password_reset"), {"email": member.email}
            )
            statuses.append(response.status_code)

    assert len(mail.outbox) == 5
    assert statuses == [302] * 5 + [429] * 20
    assert "Too many password-reset requests" in response.content.decode()
    assert 'value="member@example.org"' in response.content.decode()


def test_password_reset_requests_are_limited_per_address_of_the_client(client, member):
    statuses = [
        client.post(reverse("accounts:password_reset"), {"email": f"person{number}@example.org"}).status_code
        for number in range(21)
    ]
    assert statuses == [302] * 20 + [429]
    # Over the limit even for a real account's address: no mail.
    assert client.post(reverse("accounts:password_reset"), {"email": member.email}).status_code == 429
    assert len(mail.outbox) == 0
