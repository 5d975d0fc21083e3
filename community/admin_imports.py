"""The admin's import of the Papers with Code archive (issue 14, items 1 and 7).

Staff with the permission `community.import_pwc` (superusers have it) start a job from "Archive
imports" → "Import a file": an upload (streamed to disk, stopped at PWC_UPLOAD_MAX_BYTES:
community.uploads) or a file of PWC_IMPORT_DIR chosen from the list of its files (no other path can be
named). The job runs on a worker (community.services.imports.pwc_jobs); its page shows the progress,
which static/js/import-job.js polls from the job's status JSON (no inline script: CSP), and once the
job is over its counts, summary and error, the per-record report to download, and for a failed job a
button that resumes it after its last stored batch. Imported by CommunityConfig.ready.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from community.models import ImportJob
from community.services.imports import pwc_jobs
from community.uploads import import_upload_view, upload_refused_form, upload_too_large

PERMISSION = "community.import_pwc"


def pwc_upload_max_bytes() -> int:
    return settings.PWC_UPLOAD_MAX_BYTES


class ImportJobForm(forms.Form):
    upload = forms.FileField(label=_("Upload a file"), required=False)
    folder_file = forms.ChoiceField(label=_("or choose a file of the import folder"), required=False)
    revision = forms.CharField(
        label=_("Dump date"),
        required=False,
        max_length=100,
        help_text=_("The date of the archive's dump, e.g. 2025-07-24 (kept as each item's source revision)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _(
            "Papers with abstracts, links between papers and code, evaluation tables, methods or datasets, "
            "as .json, .json.gz or .parquet; at most %(limit)s."
        ) % {"limit": filesizeformat(pwc_upload_max_bytes())}
        self.fields["folder_file"].choices = [("", "---------")] + [(n, n) for n in pwc_jobs.import_files()]
        self.fields["folder_file"].help_text = _("The files in %(folder)s on the server.") % {
            "folder": settings.PWC_IMPORT_DIR
        }

    def clean(self):
        data = super().clean()
        if bool(data.get("upload")) == bool(data.get("folder_file")) and not self.errors:
            raise ValidationError(_("Upload a file or choose one of the import folder (one of the two)."))
        return data


def _status(job: ImportJob) -> dict:
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "counts": job.counts,
        "error": job.error,
        "finished": job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED),
    }


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("file_name", "kind", "status", "percent", "created_by", "created_at", "finished_at")
    list_filter = ("status", "origin")
    list_select_related = ("created_by",)
    search_fields = ("file_name",)
    list_per_page = 50

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_perm(PERMISSION)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        name = "community_importjob"
        start = import_upload_view(self.start_view, max_bytes=pwc_upload_max_bytes)
        return [
            path("start/", view(start), name=f"{name}_start"),
            path("<int:pk>/status/", view(self.status_view), name=f"{name}_status"),
            path("<int:pk>/report/", view(self.report_view), name=f"{name}_report"),
            path("<int:pk>/resume/", view(require_POST(self.resume_view)), name=f"{name}_resume"),
            *super().get_urls(),
        ]

    def _job(self, request, pk) -> ImportJob:
        if not self._allowed(request):
            raise PermissionDenied
        return get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:community_importjob_start"))

    def start_view(self, request):
        if not self._allowed(request):
            raise PermissionDenied
        status = 200
        if request.method == "POST":
            form = ImportJobForm(request.POST, request.FILES)
            if upload_too_large(request):
                form = upload_refused_form(ImportJobForm, request, "upload", pwc_upload_max_bytes())
                status = 413
            elif form.is_valid():
                data = form.cleaned_data
                try:
                    if data["upload"]:
                        job = pwc_jobs.import_job_from_upload(
                            upload=data["upload"], user=request.user, revision=data["revision"]
                        )
                    else:
                        job = pwc_jobs.import_job_from_folder(
                            name=data["folder_file"], user=request.user, revision=data["revision"]
                        )
                except ValidationError as exc:
                    form.add_error("folder_file", exc)
                else:
                    return HttpResponseRedirect(reverse("admin:community_importjob_change", args=[job.pk]))
        else:
            form = ImportJobForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a file of the Papers with Code archive"),
            "form": form,
        }
        return TemplateResponse(request, "admin/community/importjob/start.html", context, status=status)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self._job(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(job),
            "job": job,
            "status": _status(job),
            "counts": [(kind, *numbers) for kind, numbers in sorted(job.counts.items())],
            "has_report": bool(job.report_path) and Path(job.report_path).is_file(),
            "resumable": pwc_jobs.import_job_resumable(job),
        }
        return TemplateResponse(request, "admin/community/importjob/job.html", context)

    def status_view(self, request, pk):
        return JsonResponse(_status(self._job(request, pk)))

    def report_view(self, request, pk):
        job = self._job(request, pk)
        report = Path(job.report_path) if job.report_path else None
        if (
            report is None
            or not report.is_file()
            or report.resolve().parent != Path(settings.PWC_JOB_DIR).resolve()
        ):
            raise Http404(_("This job has no report."))
        return FileResponse(
            report.open("rb"),
            as_attachment=True,
            filename=f"{job.file_name}.report.csv",
            content_type="text/csv",
        )

    def resume_view(self, request, pk):
        job = self._job(request, pk)
        if pwc_jobs.import_job_resume(job=job):
            self.message_user(
                request, _("The import continues after row %(rows)s.") % {"rows": job.checkpoint}
            )
        else:
            self.message_user(
                request,
                _("Only a failed import, or one whose worker stopped, can be resumed."),
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:community_importjob_change", args=[job.pk]))
