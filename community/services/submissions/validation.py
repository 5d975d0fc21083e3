"""Validation shared by submissions and edits: the duplicate answers, the model's own checks plus the
kind's rules, uniqueness last, and a save that turns a lost race into a message instead of a 500.

Duplicates (community.services.duplicates): the same identifier as an existing item is refused with
`DuplicateItem` (code "duplicate", the existing item in `params["item"]` and in `.item`); a
near-identical title is held back with `NearDuplicate` (code "near_duplicate", the similar items in
`params["items"]` and `.items`) until the caller submits again with `confirm=True`.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from common.timezones import to_utc
from community.rules import add_errors
from community.services.duplicates import DuplicateCheck
from community.translation import language_columns, translated_fields

from .fields import clean_text, merge_errors

MAX_AUTHORS = 500
MAX_DEADLINES = 12
MAX_MESSAGE_LENGTH = 5000


class DuplicateItem(ValidationError):
    """Refused: `item` already has the identifier in `field` (arXiv id, DOI, repository, name)."""

    def __init__(self, *, field: str, item: models.Model):
        self.item = item
        self.field = field
        error = ValidationError(
            _("“%(item)s” is already in the catalogue with the same %(what)s."),
            code="duplicate",
            params={"item": item, "what": _field_label(type(item), field)},
        )
        super().__init__({field: [error]})


class NearDuplicate(ValidationError):
    """Held back: `items` have a near-identical title. Submitting again with confirm=True accepts it."""

    def __init__(self, *, field: str, items: Iterable[models.Model]):
        self.items = list(items)
        self.field = field
        error = ValidationError(
            _(
                "Items with a very similar title are already in the catalogue. Check them; if yours is a "
                "different one, confirm that and submit again."
            ),
            code="near_duplicate",
            params={"items": self.items},
        )
        super().__init__({field: [error]})


def _field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def raise_duplicates(check: DuplicateCheck, *, field: str, confirm: bool) -> None:
    if check.exact is not None:
        raise DuplicateItem(field=check.exact_field, item=check.exact)
    if check.similar and not confirm:
        raise NearDuplicate(field=field, items=check.similar)


def full_clean(
    item: models.Model, errors: dict[str, list], *, check=None, exclude: Iterable[str] = ()
) -> None:
    """Field validation and the model's clean(), then `check(item, errors)` on the converted values;
    raises every error found. Uniqueness comes later, after the duplicate check, whose answer (with a
    link to the existing item) is more useful than "already exists"."""
    try:
        item.full_clean(exclude=[*errors, *exclude], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        merge_errors(errors, exc)
    if check is not None:
        check(item, errors)
    if errors:
        raise ValidationError(errors)


def validate_unique(item: models.Model) -> None:
    _language_duplicate(item)
    errors: dict[str, list] = {}
    for check in (item.validate_unique, item.validate_constraints):
        try:
            check()
        except ValidationError as exc:
            merge_errors(errors, exc)
    if errors:
        raise ValidationError(errors)


def _language_duplicate(item: models.Model) -> None:
    """A unique per-language text (a topic's name in Chinese) another item already has is a
    duplicate, refused with that item as a same name is, not a bare "already exists". The kind's
    duplicate check compares the request's language only."""
    model = type(item)
    for name in translated_fields(model):
        for column, _code in language_columns(name):
            value = getattr(item, column)
            if value in (None, "") or not model._meta.get_field(column).unique:
                continue
            other = model._default_manager.filter(**{column: value}).exclude(pk=item.pk).first()
            if other is not None:
                raise DuplicateItem(field=column, item=other)


def save(item: models.Model, **kwargs) -> None:
    # Two submissions of the same identifier at the same moment both pass the checks above; the
    # database's unique constraint then refuses the second, which is told so instead of a 500.
    try:
        with transaction.atomic():
            item.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError(
            _("Someone saved the same item a moment ago. Reload the page and check before submitting again."),
            code="conflict",
        ) from exc


def funding_deadline(data: dict) -> dict[str, list]:
    """Turn `deadline_local` + `deadline_timezone` into the stored `deadline` (UTC)."""
    errors: dict[str, list] = {}
    if "deadline_local" not in data:
        return errors
    local = data.pop("deadline_local")
    label = (data.get("deadline_timezone") or "UTC").strip()
    data["deadline_timezone"] = label
    try:
        data["deadline"] = to_utc(local, label)
    except LookupError:
        error = ValidationError(
            _("Unknown time zone: use AoE, UTC, UTC+8, UTC-5 or an IANA name such as Europe/Berlin."),
            code="invalid_timezone",
        )
        add_errors(errors, "deadline_timezone", [error])
    except ValueError:
        add_errors(errors, "deadline_local", [ValidationError(_("Enter a date and time."), code="invalid")])
    return errors


def clean_message(value, *, field: str, errors: dict[str, list]) -> str:
    """Free text a person writes to the moderators (an edit's comment, a report's details): cleaned,
    at most MAX_MESSAGE_LENGTH characters; a problem goes to `errors[field]`."""
    try:
        value = clean_text(value or "")
    except ValidationError as exc:
        add_errors(errors, field, exc.error_list)
        return ""
    if len(value) > MAX_MESSAGE_LENGTH:
        add_errors(errors, field, [ValidationError(_("At most 5000 characters."), code="max_length")])
    return value
