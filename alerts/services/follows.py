"""Follows, saved searches and alert settings: what a reader changes on /account/follows/ and
through the API."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.timezones import valid_timezone
from community.models import FundingOpportunity, Topic, Venue

from .. import searches
from ..models import REMINDER_OFFSETS, AlertSettings, Follow, SavedSearch, offsets_mask

FOLLOWABLE = {"venue": Venue, "funding": FundingOpportunity, "topic": Topic}
MAX_SAVED_SEARCHES = 50


def followable(kind: str, slug: str):
    """The published venue, funding call or topic of `kind` with `slug`; ValidationError if none."""
    model = FOLLOWABLE.get(kind)
    if model is None:
        raise ValidationError({"kind": _("One can follow a venue, a funding call or a topic.")})
    item = model.objects.published().filter(slug=slug).first()
    if item is None:
        raise ValidationError(
            {"slug": _("There is no published %(kind)s “%(slug)s”.") % {"kind": kind, "slug": slug}}
        )
    return item


def follow_create(*, user, kind: str, slug: str) -> tuple[Follow, bool]:
    """Follows the item (idempotent): (the follow, whether it is new)."""
    item = followable(kind, slug)
    existing = Follow.objects.filter(user=user, **{kind: item}).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, **{kind: item}), True
    except IntegrityError:  # the same follow, made a moment ago by another request
        return Follow.objects.get(user=user, **{kind: item}), False


def follow_delete(*, user, kind: str | None = None, slug: str | None = None, pk: int | None = None) -> bool:
    """Stops following (by follow id, or by kind and slug); False if there was nothing to stop."""
    follows = Follow.objects.filter(user=user)
    if pk is not None:
        follows = follows.filter(pk=pk)
    elif kind in FOLLOWABLE and slug:
        follows = follows.filter(**{f"{kind}__slug": slug})
    else:
        return False
    deleted, _rows = follows.delete()
    return bool(deleted)


def saved_search_create(*, user, name: str, address: str) -> SavedSearch:
    """Saves a list page's address under a name the user chose; the address is checked by the
    page's own filters (searches.normalize)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the search a name.")})
    try:
        path, query = searches.normalize(address)
    except ValidationError as exc:
        raise ValidationError({"address": exc.messages}) from exc
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("You can keep at most %(count)d saved searches.") % {"count": MAX_SAVED_SEARCHES}
        )
    if SavedSearch.objects.filter(user=user, name=name).exists():
        raise ValidationError({"name": _("You already have a saved search with this name.")})
    search = SavedSearch(user=user, name=name, path=path, query=query)
    search.full_clean()
    search.save()
    return search


def saved_search_delete(*, user, pk: int) -> bool:
    deleted, _rows = SavedSearch.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


def alert_settings_update(
    *,
    user,
    language: str | None = None,
    timezone: str | None = None,
    offsets: list[int] | None = None,
    reminders_enabled: bool | None = None,
    digest_enabled: bool | None = None,
) -> AlertSettings:
    """Changes what is given (None: unchanged); a zone must be an IANA name, offsets from REMINDER_OFFSETS."""
    current = AlertSettings.objects.filter(user=user).first() or AlertSettings(user=user)
    if timezone is not None:
        if not valid_timezone(timezone):
            raise ValidationError(
                {"timezone": _("Unknown time zone; choose an IANA name such as Asia/Shanghai.")}
            )
        current.timezone = timezone
    if offsets is not None:
        unknown = [days for days in offsets if days not in REMINDER_OFFSETS]
        if unknown:
            raise ValidationError(
                {
                    "offsets": _("Reminders can be sent %(days)s days before.")
                    % {"days": ", ".join(map(str, REMINDER_OFFSETS))}
                }
            )
        current.reminder_mask = offsets_mask(offsets)
    if language is not None:
        current.language = language
    if reminders_enabled is not None:
        current.reminders_enabled = reminders_enabled
    if digest_enabled is not None:
        current.digest_enabled = digest_enabled
    current.full_clean()
    current.save()
    return current
