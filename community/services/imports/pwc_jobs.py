"""Archive imports started from the admin (issue 14, items 1 and 7): a job per file, run on a worker.

`import_job_from_upload` keeps an uploaded file (already on disk, within PWC_UPLOAD_MAX_BYTES:
community.uploads) in PWC_JOB_DIR; `import_job_from_folder` takes a file by its name inside
PWC_IMPORT_DIR, and nothing else (no other server path can be named, `..` or a link out included).
Either makes a queued ImportJob and asks for it to run once the transaction commits: services do not
know Celery, so they send `job_requested`, whose receiver in community.tasks enqueues the task.

`import_job_run(job_id)` moves the job queued -> running with a guarded UPDATE (a task delivered twice
runs it once), imports the file through `pwc_import`, writing progress at most once a second and the
checkpoint after each batch, and ends it done or failed with the counts, the summary, the error and the
per-record report (CSV); an uploaded file is deleted once its job is done. `import_job_resume` queues
a failed job again, or a running one whose worker died: it continues after its checkpoint, appending to
the same report.
"""

import logging
import shutil
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import ImportJob

from .pwc import BATCH_SIZE, pwc_import

logger = logging.getLogger(__name__)
PROGRESS_EVERY_S = 1.0
# A running job writes its progress after every batch (seconds apart); one silent this long lost its worker.
STALE_AFTER = timedelta(minutes=15)
job_requested = Signal()  # sender=ImportJob, job_id=...


def import_files() -> list[str]:
    """The names of the files in PWC_IMPORT_DIR that a job may import (regular files, not hidden, not
    links: a link could lead out of the folder)."""
    folder = Path(settings.PWC_IMPORT_DIR)
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
    )


def _inside_import_dir(name: str) -> Path:
    folder = Path(settings.PWC_IMPORT_DIR).resolve()
    path = (folder / name).resolve()
    if name not in import_files() or path.parent != folder:
        raise ValidationError(_("%(name)s is not a file of the import folder.") % {"name": name})
    return path


def _job_dir() -> Path:
    folder = Path(settings.PWC_JOB_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _queue(*, path: Path, name: str, origin: str, user, revision: str) -> ImportJob:
    job = ImportJob(file_name=name[:255], path=str(path), origin=origin, created_by=user, revision=revision)
    job.full_clean()
    job.save()
    _request_run(job)
    return job


def _request_run(job: ImportJob) -> None:
    if not job_requested.send(sender=ImportJob, job_id=job.pk):
        raise ImproperlyConfigured(
            "No receiver for community.services.imports.pwc_jobs.job_requested: is community.tasks loaded?"
        )


@transaction.atomic
def import_job_from_upload(*, upload, user, revision: str = "") -> ImportJob:
    """Keep `upload` (a Django UploadedFile) in PWC_JOB_DIR under a name of its own and queue its import."""
    name = Path(upload.name or "upload").name
    path = _job_dir() / f"upload-{uuid.uuid4().hex}-{name}"
    temporary = getattr(upload, "temporary_file_path", None)
    if temporary is not None:
        upload.file.flush()
        shutil.copyfile(temporary(), path)
    else:
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return _queue(path=path, name=name, origin=ImportJob.Origin.UPLOAD, user=user, revision=revision)


@transaction.atomic
def import_job_from_folder(*, name: str, user, revision: str = "") -> ImportJob:
    """Queue the import of the file `name` of PWC_IMPORT_DIR; ValidationError for any other name."""
    path = _inside_import_dir(name)
    return _queue(path=path, name=name, origin=ImportJob.Origin.FOLDER, user=user, revision=revision)


@transaction.atomic
def import_job_resume(*, job: ImportJob) -> bool:
    """Queue a failed job again (it continues after its checkpoint), or a running one whose worker has
    written nothing for STALE_AFTER (it died with the job); False for any other job."""
    stale = Q(status=ImportJob.Status.RUNNING, progress_at__lt=timezone.now() - STALE_AFTER)
    resumed = ImportJob.objects.filter(Q(status=ImportJob.Status.FAILED) | stale, pk=job.pk).update(
        status=ImportJob.Status.QUEUED, error="", finished_at=None
    )
    if resumed:
        _request_run(job)
    return bool(resumed)


def import_job_resumable(job: ImportJob) -> bool:
    """Whether `import_job_resume` would queue `job` again (the job page offers it then)."""
    if job.status == ImportJob.Status.RUNNING:
        return job.progress_at is not None and job.progress_at < timezone.now() - STALE_AFTER
    return job.status == ImportJob.Status.FAILED


def _counts(counts) -> dict:
    return {kind: [c, u, n, r] for kind, c, u, n, r in counts.rows()}


def import_job_run(*, job_id: int, batch_size: int = BATCH_SIZE) -> ImportJob | None:
    """Run a queued job (see the module); None when it was not queued (already taken, or gone)."""
    now = timezone.now()
    taken = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=now, progress_at=now
    )
    if not taken:
        return None
    job = ImportJob.objects.get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job_id)
    report_path = Path(job.report_path) if job.report_path else _job_dir() / f"job-{job.pk}.report.csv"
    resume_from = job.checkpoint
    written = [0.0]

    def progress(done: int, total: int, counts) -> None:
        now = timezone.now()
        if now.timestamp() - written[0] >= PROGRESS_EVERY_S:
            written[0] = now.timestamp()
            jobs.update(done=done, total=total, counts=_counts(counts), progress_at=now)

    def checkpoint(rows: int) -> None:
        jobs.update(checkpoint=rows)

    fields = {"report_path": str(report_path), "finished_at": None}
    try:
        with (
            open(job.path, "rb") as stream,
            report_path.open("a" if resume_from else "w", newline="", encoding="utf-8") as report_file,
        ):
            report = pwc_import(
                stream,
                source=job.file_name,
                revision=job.revision,
                batch_size=batch_size,
                resume_from=resume_from,
                progress=progress,
                checkpoint=checkpoint,
                report_file=report_file,
            )
    except OSError as exc:
        fields.update(status=ImportJob.Status.FAILED, error=_("The file could not be read: %(error)s") % {
            "error": exc.strerror or exc})  # fmt: skip
    except Exception as exc:  # a job never stays "running" after its task has ended
        logger.exception("archive import job %s failed", job_id)
        fields.update(
            status=ImportJob.Status.FAILED, error=_("The import stopped: %(error)s") % {"error": exc}
        )
    else:
        fields.update(
            status=ImportJob.Status.DONE if report.ok else ImportJob.Status.FAILED,
            error=report.error,
            kind=report.kind,
            counts=_counts(report.counts),
            summary="\n".join(report.lines()),
        )
        if report.ok:
            fields["done"] = F("total")
    fields["finished_at"] = timezone.now()
    jobs.update(**fields)
    if fields["status"] == ImportJob.Status.DONE and job.origin == ImportJob.Origin.UPLOAD:
        Path(job.path).unlink(missing_ok=True)  # an upload is kept only while a resume may need it
    return ImportJob.objects.get(pk=job_id)
