"""Accounts from the outside: sign-up with e-mail confirmation, log in and out, password reset, the
profile page (and its query budget), account deletion and the privacy page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import translation

from community.models import ChangeRecord, Channel, EditSuggestion, Paper, Report
from community.services import submissions
from community.services.moderation import submission_approve, submission_reject
from tests.community import factories as f
from tests.community.moderation_helpers import (
    make_user,
)
from tests.support.queries import queries_for_one_and_many

User = get_user_model()
SIGNUP = {
    "username": "newbie",
    "email": "newbie@example.org",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
}


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.django_db
def test_sign_up_makes_an_inactive_account_until_the_mailed_link_is_followed(
    client, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://deepcommons.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 200
    assert "newbie@example.org" in response.content.decode()
    user = User.objects.get(username="newbie")
    assert not user.is_active
    assert mail.outbox[0].to == ["newbie@example.org"]
    link = _link(mail.outbox[0])
    assert link.startswith("https://deepcommons.example.org/accounts/verify/")

    # Not before confirming: the form says why.
    response = client.post(reverse("accounts:login"), {"username": "newbie", "password": SIGNUP["password1"]})
    assert "Confirm your e-mail address first" in response.content.decode()

    response = client.get(_path(link))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    user.refresh_from_db()
    assert user.is_active
    # The link works once.
    assert client.get(_path(link)).status_code == 400

    response = client.post(reverse("accounts:login"), {"username": "newbie", "password": SIGNUP["password1"]})
    assert response.status_code == 302 and response.url == reverse("accounts:profile")


@pytest.mark.django_db
def test_a_forged_link_does_not_activate(client):
    user = User.objects.create_user("lurker", "lurker@example.org", "x" * 20, is_active=False)
    assert client.get(reverse("accounts:verify", args=["MTIzNDU", "abc-def"])).status_code == 400
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    assert client.get(reverse("accounts:verify", args=[uid, "bad-token"])).status_code == 400
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.django_db
def test_an_address_that_has_an_account_gets_a_mail_not_a_second_account(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), {**SIGNUP, "email": member.email.upper()})
    # The same page as a new sign-up: the form tells nobody who has an account.
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    assert mail.outbox[0].to == [member.email]
    assert "already has an account" in mail.outbox[0].body


@pytest.mark.django_db
def test_sign_up_errors_show_beside_the_fields_and_keep_what_was_typed(client):
    make_user("taken")
    response = client.post(
        reverse("accounts:signup"),
        {"username": "taken", "email": "not-an-address", "password1": "password", "password2": "different"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("username", "email", "password2"):
        assert f'id="id_{field}_error"' in html, field
    assert 'value="not-an-address"' in html
    assert 'value="password"' not in html  # passwords are never sent back


@pytest.mark.django_db
def test_the_confirmation_link_can_be_asked_for_again(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), SIGNUP)
        first = client.post(reverse("accounts:resend_verification"), {"email": "NEWBIE@example.org"})
        unknown = client.post(reverse("accounts:resend_verification"), {"email": "nobody@example.org"})
    assert first.status_code == unknown.status_code == 200
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["newbie@example.org"]


@pytest.mark.django_db
def test_log_in_with_the_e_mail_address_and_log_out_by_post_only(client, member):
    response = client.post(
        reverse("accounts:login"), {"username": "MEMBER@example.org", "password": "pw-member-123456"}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(client, member):
    response = client.post(reverse("accounts:login"), {"username": "member", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_by_mail(client, member, settings):
    settings.SITE_URL = "https://deepcommons.example.org"
    response = client.post(reverse("accounts:password_reset"), {"email": member.email})
    assert response.status_code == 302
    link = _link(mail.outbox[0])
    assert link.startswith("https://deepcommons.example.org/accounts/password/reset/")
    response = client.get(_path(link), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "brand new passphrase 42", "new_password2": "brand new passphrase 42"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("brand new passphrase 42")


@pytest.mark.django_db
def test_login_url_is_the_portal_login_page(client, settings):
    assert settings.LOGIN_URL == "accounts:login"
    response = client.get(reverse("accounts:profile"))
    assert response.url == f"{reverse('accounts:login')}?next={reverse('accounts:profile')}"


@pytest.mark.django_db
def test_account_pages_exist_in_chinese_too(client):
    try:
        response = client.get("/zh-hans/accounts/login/")
        assert response.status_code == 200
        assert 'lang="zh-hans"' in response.content.decode()
    finally:
        translation.activate("en")


# --- profile ----------------------------------------------------------------------------------


def _contribute(user, moderator, number: int):
    channel = submissions.channel_submit(
        data={"name": f"Channel {user.pk}-{number}", "kind": "chat", "url": f"https://c{number}.example.org"},
        user=user,
        confirm=True,
    )
    guide = submissions.guide_submit(
        data={"title": f"Guide {user.pk}-{number}", "body": "x"}, user=user, confirm=True
    )
    paper = submissions.paper_submit(
        data={"title": f"Paper {user.pk}-{number}", "year": 2020, "authors": [f"Author {number}"]},
        user=user,
        confirm=True,
    )
    submission_approve(item=channel, moderator=moderator)
    submission_reject(item=guide, moderator=moderator, reason="no")
    published = f.PaperFactory()
    submissions.edit_suggest(item=published, changes={"title": f"Better {number}"}, user=user)
    submissions.report_create(item=published, reason="wrong", message="m", user=user)
    return channel, guide, paper


@pytest.mark.django_db
def test_the_profile_lists_my_submissions_with_their_status_and_my_edits_and_reports(
    member, member_client, moderator
):
    channel, guide, paper = _contribute(member, moderator, 1)
    other = make_user("other")
    submissions.channel_submit(
        data={"name": "Not mine", "kind": "chat", "url": "https://n.example.org"}, user=other
    )
    html = member_client.get(reverse("accounts:profile")).content.decode()
    assert f'<a href="{channel.get_absolute_url()}">{channel.name}</a>' in html  # published: linked
    assert guide.title in html and guide.get_absolute_url() not in html  # rejected: not linked
    assert paper.title in html
    for status in ("Published", "Rejected", "Pending review"):
        assert status in html
    assert "Better 1" not in html and "title" in html  # the edit names its fields
    assert "Wrong or outdated information" in html
    assert "Not mine" not in html


@pytest.mark.django_db
def test_the_profile_page_costs_the_same_for_one_contribution_as_for_many(
    member, member_client, moderator, many_submissions
):
    one, many = queries_for_one_and_many(
        member_client, reverse("accounts:profile"), lambda number: _contribute(member, moderator, number), 11
    )
    print(f"profile page: {one} queries for one round of contributions, {many} for eleven")
    assert one == many
    assert many <= 12


# --- deletion ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_the_account_keeps_the_contributions_without_a_name(member, member_client, moderator):
    channel, guide, paper = _contribute(member, moderator, 1)
    pk = member.pk
    # A history entry that recorded the account as a value (an importer writing created_by, say).
    ChangeRecord.objects.create(
        content_type=ContentType.objects.get_for_model(Channel),
        object_id=channel.pk,
        action="updated",
        changes={"created_by": [None, pk]},
    )
    url = reverse("accounts:delete")
    response = member_client.post(url, {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400 and 'id="id_password_error"' in response.content.decode()
    assert User.objects.filter(pk=pk).exists()

    response = member_client.post(url, {"password": "pw-member-123456", "confirm": "on"})
    assert response.status_code == 200 and "deleted" in response.content.decode()
    assert not User.objects.filter(pk=pk).exists()
    for item in (channel, guide, paper):
        item.refresh_from_db()
        assert item.created_by is None
    assert Channel.objects.get(pk=channel.pk).status == "published"
    assert EditSuggestion.objects.get().submitted_by is None
    assert Report.objects.get().reported_by is None
    assert not ChangeRecord.objects.filter(user_id=pk).exists()
    for record in ChangeRecord.objects.all():
        assert pk not in (record.changes.get("created_by") or [])
    # Logged out.
    assert member_client.get(reverse("accounts:profile")).status_code == 302
    assert Paper.objects.filter(pk=paper.pk).exists()


@pytest.mark.django_db
def test_deletion_needs_the_confirmation_box(member_client, member):
    response = member_client.post(reverse("accounts:delete"), {"password": "pw-member-123456"})
    assert response.status_code == 400
    assert User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_the_privacy_page_says_what_is_stored_and_how_to_delete_it(client):
    html = client.get(reverse("community:privacy")).content.decode()
    for words in ("e-mail address", "Deleting your account", "password"):
        assert words in html
    assert reverse("community:privacy") in client.get(reverse("community:home")).content.decode()


@pytest.mark.django_db
def test_account_pages_render_for_a_visitor(client):
    for name in ("signup", "login", "password_reset", "resend_verification"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 200, name
    assert client.get(reverse("accounts:delete")).status_code == 302
