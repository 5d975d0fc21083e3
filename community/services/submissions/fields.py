"""Plain values in, model values out: a kind's editable fields (community.kinds) set on an item.

Callers send related items as instances or primary keys, dates as objects or ISO text; what is not
published is refused here, with the field's name, before anything is validated or saved.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from modeltranslation.utils import get_language as translation_language

from community.kinds import kind_for
from community.models import ChangeRecord, ModerationStatus
from community.rules import add_errors
from community.services.history import field_values, history_record
from community.translation import language_columns, per_language_keys, translated_fields

PENDING = ModerationStatus.PENDING
PUBLISHED = ModerationStatus.PUBLISHED
REJECTED = ModerationStatus.REJECTED


def merge_errors(errors: dict[str, list], exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, items in exc.error_dict.items():
            add_errors(errors, field, items)
    else:
        add_errors(errors, NON_FIELD_ERRORS, exc.error_list)


def author_user(user):
    """The account to record as the creator: None for an anonymous caller (a command)."""
    return user if getattr(user, "is_authenticated", False) else None


def clean_text(value: Any) -> Any:
    """Strip text and normalise line ends (a browser sends \\r\\n); refuse NUL, which PostgreSQL cannot store."""
    if not isinstance(value, str):
        return value
    if "\x00" in value:
        raise ValidationError(_("Null characters are not allowed."), code="null_characters_not_allowed")
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def model_name(model: type[models.Model], *, plural: bool = False) -> str:
    """A model's name inside a message: the kind's translated noun, else its verbose name."""
    kind = kind_for(model)
    noun = (kind.plural if plural else kind.noun) if kind else None
    return str(noun or (model._meta.verbose_name_plural if plural else model._meta.verbose_name))


def published(model: type[models.Model], value: Any) -> models.Model | None:
    """The published `model` item `value` names (an instance or a primary key); '' and None: None."""
    if value in (None, ""):
        return None
    if isinstance(value, model) and value.pk and value.status == PUBLISHED:
        return value
    pk = value.pk if isinstance(value, models.Model) else value
    try:
        return model.objects.published().get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError(
            _("Choose a published %(model)s."),
            code="invalid_choice",
            params={"model": model_name(model)},
        ) from exc


def _published_many(model: type[models.Model], values: Any, *, kept: set = frozenset()) -> list[models.Model]:
    """The items `values` names (instances or primary keys): published ones, or ones in `kept`."""
    if values in (None, ""):
        return []
    if isinstance(values, str | int | models.Model):
        values = [values]
    chosen, pks = [], []
    for value in values:
        if isinstance(value, model) and value.pk and value.status == PUBLISHED:
            chosen.append(value)
        else:
            pks.append(value.pk if isinstance(value, models.Model) else value)
    if pks:
        try:
            found = model.objects.filter(Q(status=PUBLISHED) | Q(pk__in=kept)).in_bulk(pks)
        except (ValueError, TypeError) as exc:
            raise ValidationError(_("Give the ids of published items."), code="invalid_choice") from exc
        missing = [str(pk) for pk in pks if _as_pk(pk) not in found]
        if missing:
            raise ValidationError(
                _("These are not published %(model)s: %(missing)s."),
                code="invalid_choice",
                params={"model": model_name(model, plural=True), "missing": ", ".join(missing)},
            )
        chosen.extend(found[_as_pk(pk)] for pk in pks)
    unique = {item.pk: item for item in chosen}
    return list(unique.values())


def _as_pk(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def assign(item: models.Model, data: dict, *, fields: Iterable[str]) -> tuple[dict, dict[str, list]]:
    """Set `data`'s values for `fields` on `item` (in memory). Returns (many-to-many values, errors)."""
    errors: dict[str, list] = {}
    m2m: dict[str, list[models.Model]] = {}
    for name in fields:
        if name not in data or name == "authors":
            continue
        value = data[name]
        field = item._meta.get_field(name)
        try:
            if field.many_to_many:
                # Links an existing item already has may stay even if they are not published (yet):
                # only what is added must be.
                kept = set(getattr(item, name).values_list("pk", flat=True)) if item.pk else set()
                m2m[name] = _published_many(field.related_model, value, kept=kept)
            elif field.many_to_one:
                current = getattr(item, field.attname)
                if item.pk and current is not None and _as_pk(getattr(value, "pk", value)) == current:
                    continue  # unchanged, whatever its status
                setattr(item, name, published(field.related_model, value))
            else:
                value = clean_text(value)
                if value is None and field.empty_strings_allowed and not field.null:
                    value = ""
                setattr(item, field.attname, value)
        except ValidationError as exc:
            add_errors(errors, name, exc.error_list)
    errors.update(_assign_languages(item, data, fields=fields))
    return m2m, errors


def _assign_languages(item: models.Model, data: dict, *, fields: Iterable[str]) -> dict[str, list]:
    """Set the per-language columns `data` names (`description_zh_hans`) of the translated fields
    among `fields`: each text goes to its own language whatever language the request is in, and an
    empty one stays empty (the page then shows the other language, marked as such)."""
    errors: dict[str, list] = {}
    active = translation_language()
    for name in translated_fields(type(item)):
        if name not in fields:
            continue
        for column, code in language_columns(name):
            if column not in data:
                continue
            try:
                value = clean_text(data[column])
            except ValidationError as exc:
                add_errors(errors, column, exc.error_list)
                continue
            if not value and name in data and code == active:
                continue  # `description` already says this language's text; an empty copy is silent
            if not value and getattr(item, column) is None:
                continue  # no text in that language before, none now: nothing to change
            setattr(item, column, value or "")
    return errors


def check_keys(data: dict, allowed: Iterable[str], *, model: type[models.Model] | None = None) -> None:
    """Refuse keys outside `allowed` and, for `model`, its translated fields' language columns."""
    allowed = {*allowed, *(per_language_keys(model) if model is not None else ())}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationError(
            {key: [ValidationError(_("Unknown field."), code="unknown")] for key in unknown}
        )


def history_snapshot(item: models.Model, m2m: dict | None = None) -> dict[str, list]:
    """{field: [None, value]} for a new item. No creator: who submitted is the record's user, which
    is removed (not kept as text) when the account is deleted."""
    values = field_values(item)
    values.pop("created_by", None)
    changes = {name: [None, value] for name, value in values.items() if value not in (None, "")}
    for name, related in (m2m or {}).items():
        if related:
            changes[name] = [None, sorted(obj.pk for obj in related)]
    return changes


def record_submitted(
    item: models.Model, *, user, m2m: dict | None = None, extra=None, note: str = ""
) -> None:
    """The history entry of a new item: its values (and many-to-many links, and `extra`)."""
    changes = history_snapshot(item, m2m)
    changes.update(extra or {})
    history_record(item=item, user=user, action=ChangeRecord.Action.SUBMITTED, changes=changes, note=note)
