"""Archive imports as jobs (issue 14, items 1 and 7): queued by the service, run by the Celery task
(eagerly here), once even when delivered twice; progress, counts and the per-record report are kept;
a truncated file fails the job with a clear error and no half-written item; a failed job resumes after
its checkpoint; only files of the import folder can be named."""

import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError

from community import tasks
from community.models import Authorship, ImportJob, Paper, PwcPaper
from community.services.imports import pwc as pwc_service
from community.services.imports import pwc_jobs
from tests.community.importers import pwc_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(monkeypatch, django_capture_on_commit_callbacks):
    """The task runs eagerly (apply) when the transaction that queued its job commits."""
    ran = []

    def delay(job_id):
        ran.append(job_id)
        return tasks.pwc_import_job_run.apply(args=[job_id])

    monkeypatch.setattr(tasks.pwc_import_job_run, "delay", delay)

    def start(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job = pwc_jobs.import_job_from_folder(**kwargs)
        return job

    start.ran = ran
    return start


def test_a_folder_file_is_imported_by_the_task_with_progress_counts_and_report(pwc_folders, worker, user):
    pwc_files.write(pwc_files.papers(12), pwc_folders, "dump", "json")
    job = worker(name="dump.json", user=user, revision="2025-07-24")
    assert worker.ran == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.kind == "papers" and not job.error
    assert job.counts["paper"] == [12, 0, 0, 0] and job.checkpoint == 12
    assert job.total > 0 and job.done == job.total and job.percent == 100
    assert job.started_at and job.finished_at and job.created_by == user
    assert "paper      created      12" in job.summary
    report = Path(job.report_path).read_text(encoding="utf-8").splitlines()
    assert report[0] == "kind,record,outcome,reason,notes" and len(report) > 12
    assert Paper.objects.count() == 12
    assert set(PwcPaper.objects.values_list("paper__provenance__revision", flat=True)) == {"2025-07-24"}


def test_a_task_delivered_twice_imports_once(pwc_folders, worker, user):
    pwc_files.write(pwc_files.papers(3), pwc_folders, "dump", "json")
    job = worker(name="dump.json", user=user)
    assert tasks.pwc_import_job_run.apply(args=[job.pk]).get() == "not queued"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.counts["paper"] == [3, 0, 0, 0]


@pytest.mark.parametrize(("every_s", "distinct"), [(3600, 1), (0, 11)])
def test_progress_is_written_at_most_once_a_period(pwc_folders, user, monkeypatch, every_s, distinct):
    pwc_files.write(pwc_files.papers(30), pwc_folders, "dump", "json")
    job = pwc_jobs.import_job_from_folder(name="dump.json", user=user)  # not run: no commit here
    seen, run_import = [], pwc_jobs.pwc_import

    def spying_import(stream, *, progress, **kwargs):
        def spy(done, total, counts):
            progress(done, total, counts)
            seen.append(ImportJob.objects.values_list("progress_at", "done").get(pk=job.pk))

        return run_import(stream, progress=spy, **kwargs)

    monkeypatch.setattr(pwc_jobs, "pwc_import", spying_import)
    monkeypatch.setattr(pwc_jobs, "PROGRESS_EVERY_S", every_s)
    pwc_jobs.import_job_run(job_id=job.pk, batch_size=3)
    # 10 batches of 3 and the last (empty) flush; each call of the second run writes
    assert len(seen) == 11 and len(set(seen)) == distinct and seen[0][1] > 0


def test_a_truncated_gzip_fails_the_job_clearly_and_writes_nothing_half(pwc_folders, worker, user):
    whole = pwc_files.write(pwc_files.papers(50), pwc_folders, "whole", "gzip").read_bytes()
    (pwc_folders / "cut.json.gz").write_bytes(whole[:300])
    job = worker(name="cut.json.gz", user=user)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "truncated or corrupt" in job.error
    assert Paper.objects.count() == 0 and not Authorship.objects.exists()


def test_a_failed_job_resumes_after_its_checkpoint(
    pwc_folders, user, monkeypatch, django_capture_on_commit_callbacks
):
    pwc_files.write(pwc_files.papers(10), pwc_folders, "dump", "json")
    write = pwc_service.WRITERS["papers"]
    pwc_files.fail_batch(monkeypatch, "papers", 2, DatabaseError("disk full"))
    job = pwc_jobs.import_job_from_folder(name="dump.json", user=user)
    pwc_jobs.import_job_run(job_id=job.pk, batch_size=4)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "disk full" in job.error and job.checkpoint == 4
    assert Paper.objects.count() == 4

    monkeypatch.setitem(pwc_service.WRITERS, "papers", write)
    assert pwc_jobs.import_job_run(job_id=job.pk) is None  # a failed job is not run again by a task
    with django_capture_on_commit_callbacks() as queued:
        assert pwc_jobs.import_job_resume(job=job)
    assert len(queued) == 1
    assert not pwc_jobs.import_job_resume(job=job)  # already queued
    pwc_jobs.import_job_run(job_id=job.pk, batch_size=4)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.counts["paper"] == [6, 0, 0, 0]
    assert Paper.objects.count() == 10


@pytest.mark.parametrize("name", ["../secret.json", "/etc/passwd", "sub/../../secret.json", "", ".hidden"])
def test_only_files_of_the_import_folder_can_be_named(pwc_folders, user, name):
    (pwc_folders.parent / "secret.json").write_text("[]")
    (pwc_folders / ".hidden").write_text("[]")
    with pytest.raises(ValidationError):
        pwc_jobs.import_job_from_folder(name=name, user=user)
    assert not ImportJob.objects.exists()


def test_a_link_out_of_the_import_folder_is_refused(pwc_folders, user):
    (pwc_folders.parent / "secret.json").write_text("[]")
    os.symlink(pwc_folders.parent / "secret.json", pwc_folders / "link.json")
    assert pwc_jobs.import_files() == []
    with pytest.raises(ValidationError):
        pwc_jobs.import_job_from_folder(name="link.json", user=user)
