"""The history of catalogue items: every service that changes an item records what it did here."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from community.models import ChangeRecord

# With the models (the moderation selectors read it too); the services import it from here.
from community.models.base import field_values as field_values


def diff_values(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for every field whose value differs."""
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def history_record(
    *, item: models.Model, user, action: str, changes: dict | None = None, note: str = ""
) -> ChangeRecord:
    """Append one entry to the item's history."""
    return ChangeRecord.objects.create(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        changes=changes or {},
        note=note,
    )


def history_for(item: models.Model):
    """The item's history, newest first, with the users attached in the same query."""
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    ).select_related("user")
