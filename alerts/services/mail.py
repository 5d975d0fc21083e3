"""Alert mails: in the reader's language, times in the reader's zone, each with a signed one-click
unsubscribe link (in the text and in the List-Unsubscribe header, RFC 8058)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from common.timezones import valid_timezone

from ..models import AlertSettings

UNSUBSCRIBE_SALT = "alerts.unsubscribe"
# What an unsubscribe link stops: reminders, the digest, or every alert mail.
UNSUBSCRIBE_WHAT = ("reminders", "digest", "all")


def settings_for(user) -> AlertSettings:
    try:
        return user.alert_settings
    except AlertSettings.DoesNotExist:
        return AlertSettings(user=user)


def unsubscribe_token(user, what: str, language: str) -> str:
    return signing.dumps({"u": user.pk, "w": what, "l": language}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_payload(token: str) -> dict | None:
    """The signed content of an unsubscribe link, or None if it was altered or made up."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or data.get("w") not in UNSUBSCRIBE_WHAT
        or not isinstance(data.get("u"), int)
    ):
        return None
    return data


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def alert_mail(*, user, what: str, template: str, context: dict) -> EmailMessage:
    """The mail `template` (alerts/email/<template>_subject.txt and .txt) for `user`, rendered in
    their language with `zone` (their ZoneInfo) in the context."""
    prefs = settings_for(user)
    language = prefs.language if prefs.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    zone = ZoneInfo(valid_timezone(prefs.timezone) or "UTC")
    with translation.override(language):
        # Unprefixed: a one-click POST from a mail program must not meet the language redirect.
        unsubscribe = absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(user, what, language)]))
        full = {
            **context,
            "user": user,
            "zone": zone,
            "zone_name": zone.key,
            "unsubscribe_url": unsubscribe,
            "follows_url": absolute(reverse("follows:follows")),
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(render_to_string(f"alerts/email/{template}_subject.txt", full).split())
        body = render_to_string(f"alerts/email/{template}.txt", full)
    return EmailMessage(
        subject=subject,
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
