"""Fields a moderator set by hand, which imports leave alone (DESIGN.md, "Imported data keeps its origin").

Every write path where a moderator decides a field's value records it here: the admin's change forms
(community.admin), an approved edit suggestion (community.services.moderation). Every import asks
`protected_fields` once for a batch of items and keeps those fields as they are; the import report
names each field it left alone (community.services.imports.writer.Writer._save).
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from community.models import FieldEdit


def base_field_name(model: type[models.Model], name: str) -> str:
    """The field an import sets for `name`: a translated column (`description_zh_hans`) is its base
    field (`description`); an unknown name stays as it is."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only name
        return name
    translated = getattr(field, "translated_field", None)
    return translated.name if translated is not None else field.name


def field_edits_record(*, item: models.Model, fields: Iterable[str], user) -> None:
    """Record that `user` (a moderator) set `fields` of `item` by hand, now: one row per item and
    field, moved to this edit when the field was edited before."""
    model = type(item)
    names = {base_field_name(model, name) for name in fields} - {"id", "created_at", "updated_at"}
    if not names or item.pk is None:
        return
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    user = user if getattr(user, "is_authenticated", False) else None
    FieldEdit.objects.bulk_create(
        [
            FieldEdit(content_type=content_type, object_id=item.pk, field=name, edited_by=user, edited_at=now)
            for name in sorted(names)
        ],
        update_conflicts=True,
        unique_fields=["content_type", "object_id", "field"],
        update_fields=["edited_by", "edited_at"],
    )


def protected_fields(model: type[models.Model], ids: Iterable[int] | None = None) -> dict[int, set[str]]:
    """{item id: the fields a moderator set by hand} for these ids of `model` (every item of the
    model with `ids=None`): one query for the whole batch. Items with no such field are left out."""
    rows = FieldEdit.objects.filter(content_type=ContentType.objects.get_for_model(model))
    if ids is not None:
        ids = list(ids)
        if not ids:
            return {}
        rows = rows.filter(object_id__in=ids)
    found: dict[int, set[str]] = defaultdict(set)
    for object_id, field in rows.values_list("object_id", "field"):
        found[object_id].add(field)
    return dict(found)


def without_protected(
    item: models.Model, values: dict[str, Any], protected: set[str]
) -> tuple[dict[str, Any], list[str]]:
    """Split an import's `values` for `item` into what it may set and the names of the protected
    fields (`protected`: base names, from `protected_fields`) it would have changed: those stay as
    the moderator left them, and the import's report names them. A protected field the import gives
    the same value is neither set nor named."""
    allowed: dict[str, Any] = {}
    kept: list[str] = []
    model = type(item)
    for name, value in values.items():
        if base_field_name(model, name) not in protected:
            allowed[name] = value
        elif _differs(item, name, value):
            kept.append(name)
    return allowed, kept


def _differs(item: models.Model, name: str, value: Any) -> bool:
    field = item._meta.get_field(name)
    if field.is_relation:
        return getattr(item, field.attname) != (value.pk if isinstance(value, models.Model) else value)
    try:
        value = field.to_python(value)
    except ValidationError:  # a value the field refuses differs (the import's validation says why)
        return True
    return getattr(item, name) != value
