"""/moderation/import/: only moderators; the upload runs the same services as the commands."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from community.models import ChangeRecord, Edition, ModerationStatus, Paper
from community.permissions import MODERATORS_GROUP
from tests.community.arxiv_api import arxiv_api_fixture  # noqa: F401 - the recorded arXiv API

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
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


# --- the size of an import: its own cap (IMPORT_UPLOAD_MAX_BYTES), not the 1 MB of ordinary forms ---


def _padded_bibtex(size: int) -> SimpleUploadedFile:
    """The fixture's entries after `size` bytes of BibTeX comments, as a reference manager may export."""
    line = "% " + "x" * 97 + "\n"
    body = line * (size // len(line)) + (FIXTURES / "bibtex" / "papers.bib").read_text(encoding="utf-8")
    return SimpleUploadedFile("big.bib", body.encode())


@pytest.mark.django_db
def test_the_form_states_the_real_limit(client, moderator, settings):
    client.force_login(moderator)
    assert "at most 20.0\xa0MB" in client.get(URL).content.decode()
    settings.IMPORT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    assert "at most 5.0\xa0MB" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_a_file_over_one_megabyte_within_the_cap_is_imported(client, moderator):
    client.force_login(moderator)
    upload = _padded_bibtex(1536 * 1024)
    assert upload.size > 1536 * 1024
    response = client.post(URL, {"format": "bibtex", "file": upload})
    assert response.status_code == 200
    assert "4 created, 0 updated, 0 unchanged, 1 failed." in response.content.decode()
    assert Paper.objects.count() == 4


@pytest.mark.django_db
def test_a_deadlines_file_over_one_megabyte_is_imported(client, moderator):
    client.force_login(moderator)
    yaml = (FIXTURES / "deadlines" / "conferences.yml").read_text(encoding="utf-8")
    body = ("# " + "x" * 97 + "\n") * 16000 + yaml
    upload = SimpleUploadedFile("big.yml", body.encode())
    response = client.post(URL, {"format": "deadlines", "file": upload})
    assert response.status_code == 200
    assert Edition.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("over", [1, 600 * 1024], ids=["just-over", "far-over"])
def test_a_file_over_the_cap_gets_a_clear_message_and_nothing_is_stored(client, moderator, settings, over):
    settings.IMPORT_UPLOAD_MAX_BYTES = 300 * 1024
    client.force_login(moderator)
    upload = _padded_bibtex(300 * 1024)  # the entries come last: a cut file would still import some
    upload = SimpleUploadedFile("big.bib", upload.read() + b"%" * over)
    response = client.post(URL, {"format": "bibtex", "file": upload})
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is larger than 300.0\xa0KB, the most that can be imported at once." in page
    assert "Nothing was imported" in page
    assert page.index("The file is larger") > page.index('name="file"')  # shown at the file field
    assert "Choose the file to import." not in page
    assert not Paper.objects.exists()
    assert not ChangeRecord.objects.exists()


@pytest.mark.django_db
def test_the_import_keeps_its_csrf_check(moderator):
    """The view is csrf_exempt only so the upload handler can go in first; the check runs inside."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = client.post(URL, {"format": "bibtex", "file": _upload("papers.bib", "bibtex")})
    assert response.status_code == 403
    assert not Paper.objects.exists()
    # With the form's token, as a browser sends it (first, before the file), the import runs.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(URL).content.decode())[1]
    data = {"csrfmiddlewaretoken": token, "format": "bibtex", "file": _padded_bibtex(1536 * 1024)}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert Paper.objects.count() == 4


@pytest.mark.django_db
def test_other_forms_keep_the_one_megabyte_cap(client, moderator):
    client.force_login(moderator)
    # A big multipart POST to an ordinary form, and a big urlencoded POST to the import address.
    upload = SimpleUploadedFile("big.bib", b"%" * (1536 * 1024))
    response = client.post(reverse("community:submit-kind", args=["guide"]), {"title": "T", "file": upload})
    assert response.status_code == 413
    assert "at most 1.0 MB" in response.content.decode()
    response = client.post(
        URL, "format=arxiv&ids=" + "1" * (1536 * 1024), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "at most 1.0 MB" in response.content.decode()
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
