"""Where imported data came from (DESIGN.md, "Imported data keeps its origin"): one row per item and
source file, for any kind of item, written by the import services (community.services.imports)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import user_link


class Provenance(models.Model):
    """An item as one source gives it: the source (a tracker, an archive), the file or URL, the
    revision (a commit, or the date it was fetched) and the licence the source is under. An item that
    two sources give has two rows; a rerun of the same file finds its row and changes nothing."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    source = models.CharField(_("source"), max_length=64, help_text=_("e.g. ccf-deadlines, ai-deadlines"))
    file = models.CharField(_("file or URL"), max_length=500)
    revision = models.CharField(
        _("revision"), max_length=100, blank=True, help_text=_("a commit, or a fetch date")
    )
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    attribution = models.CharField(_("attribution"), max_length=300, blank=True)
    first_imported_at = models.DateTimeField(_("first imported"), auto_now_add=True)

    class Meta:
        ordering = ["source", "file"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="provenance_item")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source", "file"],
                name="provenance_unique_item_source_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.file}"


class FieldEdit(models.Model):
    """A field of an item that a moderator set by hand (the admin's change form, an approved edit
    suggestion): a later import leaves that field as the moderator left it, and its report says so.
    One row per item and field, moved to the latest edit; a translated field is recorded by its base
    name (`description`, not `description_zh_hans`)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=100)
    edited_by = user_link()
    edited_at = models.DateTimeField(_("edited at"))

    class Meta:
        ordering = ["content_type", "object_id", "field"]
        verbose_name = _("field edited by a moderator")
        verbose_name_plural = _("fields edited by moderators")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"], name="fieldedit_unique_item_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}: {self.field}"


class SourceFetch(models.Model):
    """What the deadline sync (community.services.deadline_sync) last heard from one address of
    settings.DEADLINE_SOURCES: the validators for a conditional GET (ETag, Last-Modified), when it
    last asked and when the answer last changed, the revision it carried (a commit, else the fetch
    date), each file's hash (a file that did not change is not imported again) and the last error."""

    url = models.URLField(_("address"), max_length=500, unique=True)
    etag = models.CharField(_("ETag"), max_length=300, blank=True)
    last_modified = models.CharField(_("Last-Modified"), max_length=100, blank=True)
    checked_at = models.DateTimeField(_("last asked"), null=True, blank=True)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    revision = models.CharField(_("revision"), max_length=100, blank=True)
    file_hashes = models.JSONField(_("file hashes"), default=dict, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("synced deadline source")
        verbose_name_plural = _("synced deadline sources")

    def __str__(self) -> str:
        return self.url
