"""The deadline sync (issue 15, item 4): the sources of DEADLINE_SOURCES fetched with conditional GETs,
timeouts and a size cap, what changed imported through the one import service with each change in the
item's history with its source, and the fields moderators edited left alone. Recorded answers only
(the trackers' real files from tests/fixtures/ccf_deadlines, served by `responses`): no internet."""

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
import requests
import responses
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import override_settings
from responses import matchers

from community import tasks
from community.models import AcceptanceRate, ChangeRecord, Edition, Provenance, SourceFetch, Venue
from community.services.deadline_sync import deadline_sources_sync
from community.services.field_edits import field_edits_record

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ccf_deadlines"
CONFERENCE = (FIXTURES / "conference" / "AI" / "emnlp.yml").read_bytes()
RATES = (FIXTURES / "accept_rates" / "AI" / "emnlp.yml").read_bytes()
RAW_URL = "https://raw.example.org/ccfddl/ccf-deadlines/main/conference/AI/emnlp.yml"
ARCHIVE_URL = "https://example.org/ccfddl/ccf-deadlines/archive/refs/heads/main.tar.gz"
ZIP_URL = "https://example.org/ccfddl/ccf-deadlines/archive/refs/heads/main.zip"
COMMIT = "0123456789abcdef0123456789abcdef01234567"

pytestmark = pytest.mark.django_db


def _tar_gz(files: dict[str, bytes], commit: str = COMMIT) -> bytes:
    """A repository archive as GitHub serves it: one top folder, the commit in the pax comment."""
    buffer = io.BytesIO()
    with tarfile.open(
        fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": commit}
    ) as tar:
        for path, content in files.items():
            info = tarfile.TarInfo(f"ccf-deadlines-main/{path}")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _zip(files: dict[str, bytes], commit: str = COMMIT) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in files.items():
            archive.writestr(f"ccf-deadlines-main/{path}", content)
        archive.comment = commit.encode()
    return buffer.getvalue()


REPOSITORY = {
    "accept_rates/AI/emnlp.yml": RATES,
    "conference/AI/emnlp.yml": CONFERENCE,
    ".github/workflows/deploy.yml": b"on: push\n",  # not a tracker file: left alone
}


def test_with_no_sources_listed_nothing_is_fetched():
    with responses.RequestsMock():  # any request would fail: none is registered
        report = deadline_sources_sync()
    assert report.sources == [] and SourceFetch.objects.count() == 0
    assert tasks.deadline_sources_sync() == {
        "sources": 0,
        "unchanged": 0,
        "updated": 0,
        "failed": 0,
        "records": {"created": 0, "updated": 0, "unchanged": 0, "failed": 0},
        "kept": [],
    }


@responses.activate
def test_a_raw_file_is_imported_then_a_304_changes_nothing():
    responses.get(
        RAW_URL, body=CONFERENCE, headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Dec 2025 10:00:00 GMT"}
    )
    with override_settings(DEADLINE_SOURCES=[RAW_URL]):
        summary = tasks.deadline_sources_sync()
    assert summary["updated"] == 1 and summary["records"]["failed"] == 0
    venue = Venue.objects.get(name="EMNLP")
    assert Edition.objects.filter(venue=venue).count() >= 3
    # Each change is in the item's history with the address it came from, and in its provenance.
    entries = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Venue),
        object_id=venue.pk,
        action=ChangeRecord.Action.IMPORTED,
    )
    assert entries.exists() and all(RAW_URL in entry.note for entry in entries)
    row = Provenance.objects.get(object_id=venue.pk, content_type=ContentType.objects.get_for_model(Venue))
    assert (row.source, row.file) == ("ccf-deadlines", "conference/AI/emnlp.yml")
    assert row.revision.startswith("fetched ")
    state = SourceFetch.objects.get(url=RAW_URL)
    assert (state.etag, state.last_modified) == ('"v1"', "Mon, 01 Dec 2025 10:00:00 GMT")

    history = ChangeRecord.objects.count()
    responses.replace(
        responses.GET,
        RAW_URL,
        status=304,
        match=[
            matchers.header_matcher(
                {"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 01 Dec 2025 10:00:00 GMT"}
            )
        ],
    )
    report = deadline_sources_sync(sources=[RAW_URL])
    assert [s.status for s in report.sources] == ["unchanged"] and report.sources[0].reports == []
    assert ChangeRecord.objects.count() == history


@responses.activate
def test_an_archive_imports_its_tracker_files_conferences_first_at_the_archives_commit():
    responses.get(ARCHIVE_URL, body=_tar_gz(REPOSITORY), headers={"ETag": '"a1"'})
    (result,) = deadline_sources_sync(sources=[ARCHIVE_URL]).sources
    assert result.status == "updated" and result.revision == COMMIT
    assert [r.source.split("#")[1] for r in result.reports] == [
        "conference/AI/emnlp.yml",
        "accept_rates/AI/emnlp.yml",
    ]
    assert all(r.failed == 0 for r in result.reports)
    assert AcceptanceRate.objects.filter(venue__name="EMNLP").count() >= 2
    assert set(Provenance.objects.values_list("revision", flat=True)) == {COMMIT}

    # A new ETag with the same files: fetched, but no file is imported again.
    responses.replace(responses.GET, ARCHIVE_URL, body=_tar_gz(REPOSITORY), headers={"ETag": '"a2"'})
    (again,) = deadline_sources_sync(sources=[ARCHIVE_URL]).sources
    assert (again.status, again.reports, again.files_unchanged) == ("unchanged", [], 2)


@responses.activate
def test_a_zip_archive_reads_the_same():
    responses.get(ZIP_URL, body=_zip(REPOSITORY))
    (result,) = deadline_sources_sync(sources=[ZIP_URL]).sources
    assert result.status == "updated" and result.revision == COMMIT and len(result.reports) == 2


@responses.activate
def test_a_field_a_moderator_edited_is_left_and_the_report_says_so(moderator):
    responses.get(RAW_URL, body=CONFERENCE, headers={"ETag": '"v1"'})
    deadline_sources_sync(sources=[RAW_URL])
    venue = Venue.objects.get(name="EMNLP")
    venue.ccf_rank = "A"
    venue.save()
    field_edits_record(item=venue, fields=["ccf_rank"], user=moderator)

    changed = CONFERENCE.replace(b"core: A*", b"core: A").replace(b"ccf: B", b"ccf: C")
    responses.replace(responses.GET, RAW_URL, body=changed, headers={"ETag": '"v2"'})
    with override_settings(DEADLINE_SOURCES=[RAW_URL]):
        summary = tasks.deadline_sources_sync()
    venue.refresh_from_db()
    assert (venue.ccf_rank, venue.core_rank) == ("A", "A")
    assert len(summary["kept"]) == 1 and summary["kept"][0].endswith("venue.ccf_rank")
    assert RAW_URL in summary["kept"][0]
    latest = ChangeRecord.objects.filter(
        object_id=venue.pk, content_type=ContentType.objects.get_for_model(Venue)
    )
    assert latest.first().changes.get("core_rank") == ["A*", "A"] and "ccf_rank" not in latest.first().changes


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"status": 500}, "answered 500"),
        ({"body": requests.exceptions.ConnectTimeout("timed out")}, "could not fetch"),
        ({"body": b"x" * 5000}, "larger than"),
        ({"body": b"x" * 10, "headers": {"Content-Length": "999999999"}}, "larger than"),
    ],
    ids=["server-error", "timeout", "too-large", "declared-too-large"],
)
@override_settings(DEADLINE_SYNC_MAX_BYTES=4096)
@responses.activate
def test_a_failed_fetch_is_reported_stores_nothing_and_is_retried(answer, expected):
    responses.get(RAW_URL, **answer)
    (result,) = deadline_sources_sync(sources=[RAW_URL]).sources
    assert result.status == "failed" and expected in result.reason
    state = SourceFetch.objects.get(url=RAW_URL)
    assert expected in state.last_error and (state.etag, state.file_hashes) == ("", {})
    assert Venue.objects.count() == 0


@responses.activate
def test_a_broken_archive_or_one_past_the_bounds_fails_whole(monkeypatch):
    responses.get(ARCHIVE_URL, body=b"\x1f\x8b" + b"not really gzip")
    (result,) = deadline_sources_sync(sources=[ARCHIVE_URL]).sources
    assert result.status == "failed" and "broken" in result.reason

    monkeypatch.setattr("community.importers.tracker_archive.MAX_ARCHIVE_BYTES", 1000)
    responses.replace(responses.GET, ARCHIVE_URL, body=_tar_gz(REPOSITORY))
    (result,) = deadline_sources_sync(sources=[ARCHIVE_URL]).sources
    assert result.status == "failed" and "larger than" in result.reason
    assert Venue.objects.count() == 0


@responses.activate
def test_a_file_with_a_failed_record_is_tried_again_next_time():
    broken_rates = RATES.replace(b"submitted: 3242", b"submitted: -3242")
    responses.get(
        ARCHIVE_URL,
        body=_tar_gz({**REPOSITORY, "accept_rates/AI/emnlp.yml": broken_rates}),
        headers={"ETag": '"a1"'},
    )
    (first,) = deadline_sources_sync(sources=[ARCHIVE_URL]).sources
    assert first.reports[1].failed == 1
    state = SourceFetch.objects.get(url=ARCHIVE_URL)
    assert state.etag == "" and "accept_rates/AI/emnlp.yml" not in state.file_hashes
    responses.replace(responses.GET, ARCHIVE_URL, body=_tar_gz(REPOSITORY), headers={"ETag": '"a2"'})
    (second,) = deadline_sources_sync(sources=[ARCHIVE_URL]).sources
    assert [r.source.split("#")[1] for r in second.reports] == ["accept_rates/AI/emnlp.yml"]
    assert second.reports[0].failed == 0 and SourceFetch.objects.get(url=ARCHIVE_URL).etag == '"a2"'


def test_the_command_says_when_there_is_nothing_to_fetch():
    out = io.StringIO()
    call_command("sync_deadlines", stdout=out)
    assert "nothing fetched" in out.getvalue()


@responses.activate
def test_the_command_syncs_the_addresses_given_and_fails_on_a_failed_source(client, staff_user):
    responses.get(RAW_URL, body=CONFERENCE, headers={"ETag": '"v1"'})
    out = io.StringIO()
    call_command("sync_deadlines", RAW_URL, stdout=out)
    assert f"{RAW_URL}: updated" in out.getvalue() and "1 updated" in out.getvalue()
    client.force_login(staff_user)
    listing = client.get("/admin/community/sourcefetch/")
    assert listing.status_code == 200 and RAW_URL in listing.content.decode()

    responses.replace(responses.GET, RAW_URL, status=503)
    with pytest.raises(CommandError):
        call_command("sync_deadlines", RAW_URL, stdout=io.StringIO())
