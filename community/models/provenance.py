"""Where imported data came from (DESIGN.md, "Imported data keeps its origin"): one row per item and
source file, for any kind of item, written by the import services (community.services.imports)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


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
