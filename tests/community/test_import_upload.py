"""/moderation/import/: only moderators; the upload runs the same services as the commands."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from community.models import ChangeRecord, Edition, ModerationStatus, Paper
from community.permissions import MODERATORS_GROUP
from community.views import imports as import_views
from tests.community.arxiv_api import arxiv_api_fixture  # noqa: F401 - the recorded arXiv API

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
URL = "/moderation/import/"


@pytest.fixture
def moderator(db, django_user_model):
    person = django_user_model.objects.create_user("mo", "mo@example.org", "pw-mo-123456")
    person.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return person


def _upload(name: str, folder: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / folder / name).read_bytes())


def test_the_address():
    assert reverse("community:import-upload") == URL


@pytest.mark.django_db
@override_settings(LOGIN_URL="/accounts/login/")
def test_anonymous_people_are_sent_to_log_in(client):
    for response in (client.get(URL), client.post(URL, {"format": "arxiv", "ids": "1706.03762"})):
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/moderation/import/"
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_people_who_are_not_moderators_are_refused(client, user):
    client.force_login(user)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"format": "bibtex", "file": _upload("papers.bib", "bibtex")})
    assert response.status_code == 403
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_moderators_and_staff_see_the_form(client, moderator, staff_user):
    for person in (moderator, staff_user):
        client.force_login(person)
        response = client.get(URL)
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' in response.content.decode()


@pytest.mark.django_db
def test_a_bibtex_upload_is_imported_and_reported(client, moderator):
    client.force_login(moderator)
    response = client.post(URL, {"format": "bibtex", "file": _upload("papers.bib", "bibtex")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "4 created, 0 updated, 0 unchanged, 1 failed." in page
    assert "broken2015 (line 17)" in page
    assert Paper.objects.count() == 4
    paper = Paper.objects.get(arxiv_id="1706.03762")
    assert f'href="{paper.get_absolute_url()}"' in page
    record = ChangeRecord.objects.get(content_type__model="paper", object_id=paper.pk)
    assert (record.action, record.user) == ("imported", moderator)


@pytest.mark.django_db
def test_a_deadlines_upload_can_leave_everything_pending(client, moderator):
    client.force_login(moderator)
    upload = _upload("conferences.yml", "deadlines")
    response = client.post(URL, {"format": "deadlines", "file": upload, "pending": "on"})
    assert response.status_code == 200
    assert set(Edition.objects.values_list("status", flat=True)) == {ModerationStatus.PENDING}


@pytest.mark.django_db
def test_arxiv_ids_are_imported(client, moderator, arxiv_api):
    client.force_login(moderator)
    response = client.post(URL, {"format": "arxiv", "ids": "1706.03762\n arXiv:1412.6980v9"})
    assert "2 created" in response.content.decode()
    assert Paper.objects.count() == 2


@pytest.mark.django_db
def test_a_missing_file_is_a_form_error(client, moderator):
    client.force_login(moderator)
    response = client.post(URL, {"format": "bibtex"})
    assert response.status_code == 200
    assert "Choose the file to import." in response.content.decode()
    response = client.post(URL, {"format": "arxiv", "ids": "  "})
    assert "Give at least one arXiv id." in response.content.decode()


@pytest.mark.django_db
def test_a_file_too_large_is_refused(client, moderator, monkeypatch):
    monkeypatch.setattr(import_views, "MAX_UPLOAD_BYTES", 100)
    client.force_login(moderator)
    response = client.post(URL, {"format": "bibtex", "file": _upload("papers.bib", "bibtex")})
    assert "Split it." in response.content.decode()
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_the_report_escapes_what_the_file_says(client, moderator):
    client.force_login(moderator)
    upload = SimpleUploadedFile(
        "x.bib",
        b"@article{<img/src=x/onerror=alert(1)>, year={2020}}\n@article{ok, title={<b>T</b>}, year={2020}}",
    )
    page = client.post(URL, {"format": "bibtex", "file": upload}).content.decode()
    assert "1 created, 0 updated, 0 unchanged, 1 failed." in page
    assert "<img" not in page
    assert "<code>&lt;img/src= (line 1)</code>" in page
    assert "<b>T</b>" not in page
    assert "&lt;b&gt;T&lt;/b&gt;" in page
