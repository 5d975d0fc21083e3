"""The admin's import of the Papers with Code archive (issue 14, items 1 and 7), from outside: who may
start one, an upload within and over its own cap, a file of the import folder and no other path, the
job's page with its progress (polled by a static script: no inline script), its counts, summary and
per-record report once done, and the resume button of a failed job."""

import gzip
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import tasks
from community.models import ImportJob, Paper
from tests.community.importers import pwc_files

pytestmark = pytest.mark.django_db
START = reverse("admin:community_importjob_start")
LIST = reverse("admin:community_importjob_changelist")


@pytest.fixture
def worker(monkeypatch):
    """The worker's task, run here (eagerly) when the job's transaction commits."""
    monkeypatch.setattr(
        tasks.pwc_import_job_run, "delay", lambda job_id: tasks.pwc_import_job_run.apply(args=[job_id])
    )


def _staff(name: str, *, allowed: bool):
    person = get_user_model().objects.create_user(name, f"{name}@example.org", "pw-123456-abc", is_staff=True)
    if allowed:
        person.user_permissions.add(Permission.objects.get(codename="import_pwc"))
    return person


def _papers_upload(n: int = 4, name: str = "dump.json.gz") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, gzip.compress(json.dumps(pwc_files.papers(n)).encode()))


def _job_urls(job) -> list[str]:
    return [
        reverse("admin:community_importjob_change", args=[job.pk]),
        reverse("admin:community_importjob_status", args=[job.pk]),
        reverse("admin:community_importjob_report", args=[job.pk]),
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("member", 302), ("staff without", 403), ("staff with", 200), ("superuser", 200)],
)
def test_only_staff_with_the_permission_may_start_or_see_imports(
    client, pwc_folders, user, staff_user, who, expected
):
    logins = {
        "member": user,
        "staff without": _staff("sam", allowed=False),
        "staff with": _staff("ida", allowed=True),
        "superuser": staff_user,
    }
    if who in logins:
        client.force_login(logins[who])
    job = ImportJob.objects.create(file_name="x.json", path=str(pwc_folders / "x.json"), origin="folder")
    for url in (START, LIST, *_job_urls(job)[:2]):
        response = client.get(url)
        assert response.status_code == expected, url
        if expected == 302:
            assert response.url.startswith(reverse("admin:login"))
    response = client.post(START, {"upload": _papers_upload()})
    assert response.status_code == (302 if expected == 200 else expected)
    assert ImportJob.objects.count() == (2 if expected == 200 else 1)
    if who in ("staff without", "staff with"):
        index = client.get(reverse("admin:index")).content.decode()
        assert (LIST in index) is (who == "staff with")


def test_an_upload_is_imported_on_the_worker_and_its_page_shows_counts_and_report(
    client, pwc_folders, staff_user, worker, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    assert "at most 2.0\xa0GB" in client.get(START).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(START, {"upload": _papers_upload(4), "revision": "2025-07-24"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == _job_urls(job)[0]
    assert (job.origin, job.file_name, job.created_by, job.status) == (
        "upload",
        "dump.json.gz",
        staff_user,
        "done",
    )
    assert job.path.startswith(str(pwc_folders.parent / "jobs")) and Paper.objects.count() == 4
    assert not Path(job.path).exists()  # the upload is deleted once its job is done
    page = client.get(response.url).content.decode()
    assert "paper      created       4" in page and "Download the per-record report (CSV)" in page
    assert "import-job.js" not in page  # over: nothing to poll
    assert "<script>" not in page
    status = client.get(_job_urls(job)[1]).json()
    assert status["finished"] and status["status"] == "done" and status["counts"]["paper"] == [4, 0, 0, 0]
    report = client.get(_job_urls(job)[2])
    assert report["Content-Type"] == "text/csv" and "attachment" in report["Content-Disposition"]
    assert b"".join(report.streaming_content).startswith(b"kind,record,outcome,reason,notes")


def test_a_running_job_page_polls_its_status_from_a_static_script(client, pwc_folders, staff_user):
    client.force_login(staff_user)
    job = ImportJob.objects.create(
        file_name="big.json.gz", path="x", origin="folder", status="running", done=30, total=120
    )
    page = client.get(_job_urls(job)[0]).content.decode()
    assert 'src="/static/js/import-job.js"' in page and "<script>" not in page
    assert f'data-status-url="{_job_urls(job)[1]}"' in page and 'value="25"' in page
    assert client.get(_job_urls(job)[1]).json() == {
        "status": "running", "status_label": "running", "done": 30, "total": 120, "percent": 25,
        "counts": {}, "error": "", "finished": False,
    }  # fmt: skip
    assert client.get(_job_urls(job)[2]).status_code == 404  # no report yet


@pytest.mark.parametrize("over", [1, 600 * 1024], ids=["just-over", "far-over"])
def test_an_upload_over_its_cap_is_refused_and_nothing_is_kept(
    client, pwc_folders, staff_user, settings, over
):
    settings.PWC_UPLOAD_MAX_BYTES = 300 * 1024
    client.force_login(staff_user)
    upload = SimpleUploadedFile("big.json", b"[" + b" " * (300 * 1024 + over) + b"]")
    response = client.post(START, {"upload": upload})
    assert response.status_code == 413
    assert "The file is larger than 300.0\xa0KB" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not (pwc_folders.parent / "jobs").exists() or not any((pwc_folders.parent / "jobs").iterdir())


def test_the_upload_cap_is_its_own_not_the_other_imports(client, pwc_folders, staff_user, settings, worker):
    settings.IMPORT_UPLOAD_MAX_BYTES = 1024  # the moderators' BibTeX/YAML import cap
    client.force_login(staff_user)
    upload = _papers_upload(200)
    assert upload.size > 4 * 1024
    response = client.post(START, {"upload": upload})
    assert response.status_code == 302 and ImportJob.objects.count() == 1


def test_a_truncated_gzip_upload_fails_its_job_with_a_clear_error(
    client, pwc_folders, staff_user, worker, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    cut = _papers_upload(50).read()[:300]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(START, {"upload": SimpleUploadedFile("cut.json.gz", cut)})
    job = ImportJob.objects.get()
    assert job.status == "failed" and "truncated or corrupt" in job.error
    assert not Paper.objects.exists()
    page = client.get(_job_urls(job)[0]).content.decode()
    assert "truncated or corrupt" in page and "Resume after row 0" in page


def test_a_file_of_the_import_folder_is_listed_and_imported(client, pwc_folders, staff_user, worker):
    pwc_files.write(pwc_files.papers(3), pwc_folders, "papers", "parquet")
    client.force_login(staff_user)
    assert "papers.parquet" in client.get(START).content.decode()
    response = client.post(START, {"folder_file": "papers.parquet"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and (job.origin, job.file_name) == ("folder", "papers.parquet")


@pytest.mark.parametrize("name", ["../secret.json", "/etc/passwd", "incoming/../../secret.json"])
def test_no_other_server_path_can_be_named(client, pwc_folders, staff_user, name):
    (pwc_folders.parent / "secret.json").write_text("[]")
    pwc_files.write(pwc_files.papers(1), pwc_folders, "papers", "json")
    client.force_login(staff_user)
    response = client.post(START, {"folder_file": name})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_one_of_upload_or_folder_file(client, pwc_folders, staff_user):
    pwc_files.write(pwc_files.papers(1), pwc_folders, "papers", "json")
    client.force_login(staff_user)
    for data in ({}, {"folder_file": "papers.json", "upload": _papers_upload()}):
        response = client.post(START, data)
        assert "Upload a file or choose one of the import folder" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_start_form_keeps_its_csrf_check(pwc_folders, staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.post(START, {"upload": _papers_upload()}).status_code == 403
    assert not ImportJob.objects.exists()


def test_a_failed_job_is_resumed_from_its_page(
    client, pwc_folders, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    job = ImportJob.objects.create(
        file_name="x.json", path="x", origin="folder", status="failed", checkpoint=4000
    )
    resume = reverse("admin:community_importjob_resume", args=[job.pk])
    assert client.get(resume).status_code == 405
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(resume, follow=True)
    assert "The import continues after row 4000." in response.content.decode() and len(queued) == 1
    job.refresh_from_db()
    assert job.status == "queued"
    response = client.post(resume, follow=True)
    assert "Only a failed import, or one whose worker stopped, can be resumed." in response.content.decode()


def test_the_list_and_a_job_page_take_a_bounded_number_of_queries(
    client, pwc_folders, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    for n in range(30):
        ImportJob.objects.create(file_name=f"{n}.json", path="x", origin="folder", created_by=staff_user)
    job = ImportJob.objects.first()
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(_job_urls(job)[0]).status_code == 200


def test_a_running_job_whose_worker_stopped_can_be_resumed(client, pwc_folders, staff_user):
    client.force_login(staff_user)
    now = timezone.now()
    alive = ImportJob.objects.create(
        file_name="a", path="x", origin="folder", status="running", progress_at=now
    )
    dead = ImportJob.objects.create(
        file_name="b", path="x", origin="folder", status="running", progress_at=now - timedelta(hours=1)
    )
    assert "Resume after row" not in client.get(_job_urls(alive)[0]).content.decode()
    assert "Resume after row" in client.get(_job_urls(dead)[0]).content.decode()
    for job in (alive, dead):
        client.post(reverse("admin:community_importjob_resume", args=[job.pk]))
    assert list(ImportJob.objects.order_by("pk").values_list("status", flat=True)) == ["running", "queued"]
