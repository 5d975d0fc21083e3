"""An import of a Papers with Code archive file started from the admin (issue 14, items 1 and 7): which
file, who started it, where it stands (queued, running, done, failed), its progress and counts, the
checkpoint a failed job resumes from, the error and the per-record report (CSV). Written by
community.services.imports.pwc_jobs; the worker's task (community.tasks) runs it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import user_link


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Origin(models.TextChoices):
        UPLOAD = "upload", _("uploaded")
        FOLDER = "folder", _("import folder")

    file_name = models.CharField(_("file"), max_length=255)
    path = models.CharField(_("stored at"), max_length=1000, editable=False)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    revision = models.CharField(_("dump date"), max_length=100, blank=True)
    created_by = user_link()
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.BigIntegerField(_("done"), default=0)
    total = models.BigIntegerField(_("of"), default=0)
    progress_at = models.DateTimeField(_("progress written"), null=True, blank=True)
    checkpoint = models.BigIntegerField(
        _("rows stored"), default=0, help_text=_("a failed job resumes after this row")
    )
    kind = models.CharField(_("kind of file"), max_length=40, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    error = models.TextField(_("error"), blank=True)
    report_path = models.CharField(_("report file"), max_length=1000, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("archive import")
        verbose_name_plural = _("archive imports")
        permissions = [("import_pwc", _("Can import files of the Papers with Code archive"))]
        indexes = [models.Index(fields=["status"], name="importjob_status")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int | None:
        return min(100, self.done * 100 // self.total) if self.total else None
