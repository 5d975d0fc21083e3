"""The private calendar's secret: made (or made anew), revoked, and looked up by its hash."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from ..models import CalendarToken

# Written at most this often (seconds), not on every fetch of a calendar.
LAST_USED_EVERY_S = 3600


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, user) -> str:
    """A new secret for the user's calendar and feeds (the old one stops working); returned once,
    only its hash is stored."""
    key = secrets.token_urlsafe(32)
    CalendarToken.objects.filter(user=user).delete()
    CalendarToken.objects.create(user=user, digest=_digest(key))
    return key


def calendar_token_revoke(*, user) -> bool:
    deleted, _rows = CalendarToken.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_owner(key: str):
    """The active user whose calendar secret is `key`, or None (wrong, revoked, or the account gone)."""
    if not key or len(key) > 100:
        return None
    token = CalendarToken.objects.select_related("user").filter(digest=_digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > LAST_USED_EVERY_S:
        CalendarToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
