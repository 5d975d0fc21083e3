"""What every catalogue item shares: a slug, timestamps, a moderation status and its creator."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


# What forms and moderation pages call the relation fields that have no verbose_name: the words
# Django derives from the field name, made translatable here. (A verbose_name on the field would be
# a migration that changes no schema, and the other fields all have one.)
RELATION_LABELS = {
    "venue": _("venue"),
    "venues": _("venues"),
    "edition": _("edition"),
    "topics": _("topics"),
    "organization": _("organization"),
    "organizations": _("organizations"),
    "funder": _("funder"),
    "affiliation": _("affiliation"),
    "parent": _("parent"),
    "papers": _("papers"),
    "projects": _("projects"),
}


def field_label(field: models.Field) -> str:
    """The field's verbose name in the active language, lower case as Django keeps it."""
    if field.verbose_name == field.name.replace("_", " ") and field.name in RELATION_LABELS:
        return str(RELATION_LABELS[field.name])
    return str(field.verbose_name)


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value (model instances by primary key, dates as ISO text)."""
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def field_values(item: models.Model) -> dict[str, Any]:
    """The item's concrete, user-facing field values (no timestamps) in that JSON-friendly form: what
    the history records and an edit suggestion stores, and what the moderation diff compares."""
    skip = {"id", "created_at", "updated_at"}
    return {
        f.name: _plain(getattr(item, f.attname)) for f in item._meta.concrete_fields if f.name not in skip
    }


def user_link(related_name: str = "+", **options) -> models.ForeignKey:
    """A link to the user who did something; it outlives the account (set to NULL when it is deleted)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **options,
    )


class CatalogueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ModerationStatus.PUBLISHED)


class CatalogueItem(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    status = models.CharField(
        max_length=16, choices=ModerationStatus.choices, default=ModerationStatus.PENDING, db_index=True
    )
    created_by = user_link(help_text=_("Empty for items loaded by the seed data or an importer."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == ModerationStatus.PUBLISHED
