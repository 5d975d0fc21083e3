"""Accounts: sign-up with a confirmed e-mail address, and deleting an account.

A new account is inactive until its owner follows the signed link mailed to them, so nobody can
submit under an address that is not theirs. Deleting an account keeps what the person contributed
(the catalogue needs it) but nothing that names them: their items, edits, reports and history
entries lose the link to the account, and the account row itself is deleted.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from community.kinds import CATALOGUE_MODELS
from community.models import ChangeRecord, EditSuggestion, Report
from community.services.notifications import absolute_url, mail_user_on_commit
from community.services.tokens import api_tokens_revoke_all


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Signed, expiring (PASSWORD_RESET_TIMEOUT, three days) and single-use: the hash covers
    `is_active`, which the first use flips."""

    key_salt = "community.services.accounts.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


activation_token = ActivationTokenGenerator()


def _unconfirmed(user) -> bool:
    # Never logged in and inactive: waiting for its first confirmation (an account an administrator
    # deactivated has logged in before, and must not be reactivated by a link).
    return not user.is_active and user.last_login is None


def _send_verification(user) -> None:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:verify", kwargs={"uidb64": uidb64, "token": activation_token.make_token(user)})
    mail_user_on_commit(user=user, template="accounts/email/verify", context={"url": absolute_url(path)})


@transaction.atomic
def account_signup(*, username: str, email: str, password: str):
    """Create an inactive account and mail the confirmation link; returns it.

    If the address already has a confirmed account, nothing is created (None is returned) and the
    address is told instead that it has an account. The page the person sees is the same either way,
    so the sign-up form cannot be used to find out who has an account here.

    An account still waiting for its confirmation proves nothing about the address, so a new sign-up
    for that address replaces it (deleted, with anything hanging off it): the mail carries the link of
    the account just asked for, never the waiting one's. Otherwise whoever signed up first with
    someone else's address would get their account confirmed by the owner's click.
    """
    User = get_user_model()
    email = User.objects.normalize_email((email or "").strip())
    same_address = User.objects.filter(email__iexact=email).order_by("pk") if email else User.objects.none()
    confirmed = next((user for user in same_address if not _unconfirmed(user)), None)
    if confirmed is not None:
        mail_user_on_commit(
            user=confirmed,
            template="accounts/email/already_registered",
            context={"url": absolute_url(reverse("accounts:password_reset"))},
        )
        return None
    # Deleted before the new account is checked, so it may take the waiting one's username; a refused
    # sign-up raises, and the transaction puts the waiting account back.
    for waiting in same_address:
        account_delete(user=waiting)
    user = User(username=(username or "").strip(), email=email, is_active=False)
    user.set_password(password)
    errors = {}
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password1"] = exc.error_list
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if not email:
        errors["email"] = [ValidationError(_("Enter your e-mail address."), code="required")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ValidationError({"username": [_("A user with that username already exists.")]}) from exc
    _send_verification(user)
    return user


def account_verification_resend(*, email: str) -> None:
    """Mail the confirmation link again to an account at `email` still waiting for it (else nothing)."""
    User = get_user_model()
    for user in User.objects.filter(
        email__iexact=(email or "").strip(), is_active=False, last_login__isnull=True
    ):
        _send_verification(user)


@transaction.atomic
def account_verify(*, uidb64: str, token: str):
    """Activate the account the link names; returns it, or None if the link is wrong, used or expired."""
    User = get_user_model()
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.select_for_update().get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if not _unconfirmed(user) or not activation_token.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def account_password_changed(*, user) -> int:
    """After a password reset or change: revoke every API token of the account; returns how many.

    The account's other sessions end by themselves: each session holds a hash of the password it
    logged in with, and Django drops one whose hash no longer matches (the page that changed the
    password keeps its own session with update_session_auth_hash).
    """
    return api_tokens_revoke_all(user=user)


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete the account; what the person contributed stays, with no link to them.

    Done here explicitly rather than left to the foreign keys' SET_NULL, so it stays true if one of
    them changes; history entries that recorded the account's id as a value lose it too.
    """
    pk = user.pk
    for model in CATALOGUE_MODELS:
        model.objects.filter(created_by=user).update(created_by=None)
    EditSuggestion.objects.filter(submitted_by=user).update(submitted_by=None)
    Report.objects.filter(reported_by=user).update(reported_by=None)
    ChangeRecord.objects.filter(user=user).update(user=None)
    for record in ChangeRecord.objects.filter(changes__has_key="created_by"):
        values = record.changes.get("created_by")
        if isinstance(values, list) and pk in values:
            record.changes["created_by"] = [None if value == pk else value for value in values]
            record.save(update_fields=["changes"])
    user.delete()
