"""Deadline-tracker YAML import: timezones to UTC instants, editions keyed by the tracker's id, one
bad edition failing alone, and the imported deadline where the calendar and the page show it."""

import datetime as dt
import textwrap
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from common.timezones import normalize_timezone_label, zone_for_label
from community.importers import ImportFileError, ParseFailure
from community.importers.deadlines import parse_deadlines
from community.models import ChangeRecord, Deadline, Edition, ModerationStatus, Venue
from community.services.imports import Outcome, deadlines_import
from tests.community import factories as f
from tests.community.services.imports.commands import failed_import_output

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "deadlines" / "conferences.yml"
NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def _one(yaml_text: str):
    (item,) = parse_deadlines(textwrap.dedent(yaml_text))
    return item


def _edition(deadline_line: str, timezone_line: str = "") -> str:
    return f"- title: Conf\n  year: 2027\n  id: conf27\n  {deadline_line}\n" + (
        f"  {timezone_line}\n" if timezone_line else ""
    )


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


# --- timezones -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "label", "instant"),
    [
        ("AoE", "AoE", utc(2027, 5, 16, 11, 59, 59)),  # UTC-12
        ("aoe", "AoE", utc(2027, 5, 16, 11, 59, 59)),
        ("UTC-12", "UTC-12", utc(2027, 5, 16, 11, 59, 59)),
        ("UTC+8", "UTC+8", utc(2027, 5, 15, 15, 59, 59)),  # eight hours ahead of UTC
        ("GMT+08:00", "UTC+8", utc(2027, 5, 15, 15, 59, 59)),
        ("UTC", "UTC", utc(2027, 5, 15, 23, 59, 59)),
        ("PST", "PST", utc(2027, 5, 16, 7, 59, 59)),  # UTC-8 even in May: the label is the offset
        ("PDT", "PDT", utc(2027, 5, 16, 6, 59, 59)),
        ("Etc/PST", "PST", utc(2027, 5, 16, 7, 59, 59)),
        ("EDT", "EDT", utc(2027, 5, 16, 3, 59, 59)),
        ("EST", "EST", utc(2027, 5, 16, 4, 59, 59)),  # also IANA's EST: a fixed UTC-5
        ("CEST", "CEST", utc(2027, 5, 15, 21, 59, 59)),
        ("CET", "UTC+1", utc(2027, 5, 15, 22, 59, 59)),  # IANA's CET would follow summer time
        ("KST", "KST", utc(2027, 5, 15, 14, 59, 59)),
        ("JST", "JST", utc(2027, 5, 15, 14, 59, 59)),
        ("America/Los_Angeles", "America/Los_Angeles", utc(2027, 5, 16, 6, 59, 59)),  # PDT in May
        ("Asia/Shanghai", "Asia/Shanghai", utc(2027, 5, 15, 15, 59, 59)),
        ("Etc/GMT+8", "Etc/GMT+8", utc(2027, 5, 16, 7, 59, 59)),  # IANA's sign: UTC-8
    ],
)
def test_timezones_give_the_utc_instant_and_keep_their_label(zone, label, instant):
    record = _one(_edition("deadline: '2027-05-15 23:59:59'", f"timezone: {zone}"))
    (deadline,) = record.deadlines
    assert (deadline.timezone_label, deadline.due_at) == (label, instant)
    # The site reads the stored label back to the same instant ("announced as 23:59 PST").
    assert instant.astimezone(zone_for_label(label)).replace(tzinfo=None) == dt.datetime(
        2027, 5, 15, 23, 59, 59
    )


def test_no_timezone_means_aoe():
    (deadline,) = _one(_edition("deadline: '2027-05-15 23:59:59'")).deadlines
    assert (deadline.timezone_label, deadline.due_at) == ("AoE", utc(2027, 5, 16, 11, 59, 59))


def test_an_unquoted_yaml_datetime_reads_like_a_quoted_one():
    quoted = _one(_edition("deadline: '2027-05-15 23:59:59'", "timezone: UTC+8")).deadlines
    unquoted = _one(_edition("deadline: 2027-05-15 23:59:59", "timezone: UTC+8")).deadlines
    assert quoted == unquoted


def test_a_yaml_datetime_with_an_offset_is_that_instant():
    (deadline,) = _one(_edition("deadline: 2027-05-15 23:59:59+02:00", "timezone: Europe/Berlin")).deadlines
    assert deadline.due_at == utc(2027, 5, 15, 21, 59, 59)


@pytest.mark.parametrize("value", ["'2027-05-15'", "2027-05-15"])
def test_a_date_without_a_time_means_the_end_of_that_day(value):
    (deadline,) = _one(_edition(f"deadline: {value}", "timezone: AoE")).deadlines
    assert deadline.due_at == utc(2027, 5, 16, 11, 59, 59)


def test_pyyaml_keeps_the_last_of_a_duplicated_key():
    # What the reader relies on, checked against PyYAML itself.
    assert yaml.safe_load("timezone: UTC+8\ntimezone: UTC-7\n") == {"timezone": "UTC-7"}
    record = _one(_edition("deadline: '2027-05-15 23:59:59'", "timezone: UTC+8\n  timezone: UTC-7"))
    assert record.deadlines[0].due_at == utc(2027, 5, 16, 6, 59, 59)


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        ("CST", "more than one zone"),
        ("UTC+5:30", "minutes"),
        ("UTC+15", "far from UTC"),
        ("Mars/Olympus_Mons", "unknown timezone"),
    ],
)
def test_timezones_that_cannot_be_read_fail_the_edition_with_a_reason(zone, message):
    failure = _one(_edition("deadline: '2027-05-15 23:59:59'", f"timezone: {zone}"))
    assert isinstance(failure, ParseFailure)
    assert message in failure.reason
    assert failure.ref == "conf27 (line 1)"


@pytest.mark.parametrize(
    ("raw", "label", "winter", "summer"),
    [
        ("AoE", "AoE", -12, -12),
        ("UTC+8", "UTC+8", 8, 8),
        ("UTC-12", "UTC-12", -12, -12),
        ("PST", "PST", -8, -8),
        ("CEST", "CEST", 2, 2),
        ("CET", "UTC+1", 1, 1),
        ("Europe/Paris", "Europe/Paris", 1, 2),
        ("EST", "EST", -5, -5),
    ],
)
def test_normalize_timezone_label_gives_a_label_zone_for_label_reads(raw, label, winter, summer):
    # The stored label, and the offset from UTC that label means in January and in July.
    assert normalize_timezone_label(raw) == label
    zone = zone_for_label(label)
    assert dt.datetime(2027, 1, 15, 12, tzinfo=zone).utcoffset() == dt.timedelta(hours=winter)
    assert dt.datetime(2027, 7, 15, 12, tzinfo=zone).utcoffset() == dt.timedelta(hours=summer)


def test_a_date_not_known_yet_is_skipped_with_a_note():
    record = _one(_edition("deadline: TBA"))
    assert record.deadlines == ()
    assert "no date yet (TBA)" in record.notes[0]


def test_the_deadlines_list_format():
    record = _one(
        """
        - title: ACL
          year: 2027
          id: acl27
          timezone: UTC-12
          deadlines:
            - type: abstract
              label: ARR submission
              date: '2027-02-15 23:59:59'
            - type: rebuttal_start
              date: '2027-03-01 23:59:59'
              timezone: UTC+1
            - type: rebuttal_end
              date: '2027-03-08 23:59:59'
            - type: paper
              date: '2027-02-20'
        """
    )
    found = {(d.kind, d.label): (d.due_at, d.timezone_label) for d in record.deadlines}
    assert found == {
        ("abstract", "ARR submission"): (utc(2027, 2, 16, 11, 59, 59), "UTC-12"),
        ("rebuttal", "rebuttal start"): (utc(2027, 3, 1, 22, 59, 59), "UTC+1"),
        ("rebuttal", "rebuttal end"): (utc(2027, 3, 9, 11, 59, 59), "UTC-12"),
        ("paper", ""): (utc(2027, 2, 21, 11, 59, 59), "UTC-12"),
    }


def test_flat_keys_for_the_other_dates():
    record = _one(
        _edition(
            "deadline: '2027-05-15 23:59:59'\n  rebuttal_period_end: '2027-07-30'\n"
            "  review_release_date: '2027-07-20'\n  final_decision_date: '2027-09-20'"
        )
    )
    assert {(d.kind, d.label) for d in record.deadlines} == {
        ("paper", ""),
        ("rebuttal", "end of the rebuttal period"),
        ("other", "reviews released"),
        ("notification", ""),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- title: Conf\n  year: 2027\n", "no id"),
        ("- id: x\n  year: 2027\n", "no title"),
        ("- title: Conf\n  id: x\n  year: soon\n", "not a year"),
        ("- title: Conf\n  id: x\n  year: 2027\n  start: June\n", "start"),
        ("- title: Conf\n  id: x\n  year: 2027\n  deadline: next week\n", "is not a date"),
        ("- just a string\n", "expected an edition"),
    ],
)
def test_bad_editions_say_what_is_wrong(text, message):
    (failure,) = parse_deadlines(text)
    assert isinstance(failure, ParseFailure)
    assert message in failure.reason


@pytest.mark.parametrize("text", ["- title: [unclosed\n", "just a sentence\n"])
def test_a_file_that_is_not_a_list_of_editions_is_refused(text):
    with pytest.raises(ImportFileError):
        parse_deadlines(text)


# --- writing -------------------------------------------------------------------------------------


def _import(**kwargs):
    return deadlines_import(text=FIXTURE.read_text(encoding="utf-8"), source="conferences.yml", **kwargs)


@pytest.mark.django_db
def test_editions_venues_and_deadlines_are_created():
    report = _import()
    assert report.counts == {"created": 4, "updated": 0, "unchanged": 0, "failed": 1}
    neurips = Edition.objects.get(external_id="neurips27")
    assert (neurips.venue.name, neurips.year, neurips.city, neurips.status) == (
        "NeurIPS",
        2027,
        "Vancouver",
        ModerationStatus.PUBLISHED,
    )
    assert neurips.start_date == dt.date(2027, 12, 6)
    assert neurips.website == "https://neurips.cc/Conferences/2027"
    assert neurips.venue.full_name == "Conference on Neural Information Processing Systems"
    assert neurips.venue.website == "https://neurips.cc/"
    assert neurips.venue.kind == Venue.Kind.CONFERENCE
    paper = neurips.deadlines.get(kind=Deadline.Kind.PAPER)
    assert (paper.due_at, paper.timezone_label) == (utc(2027, 5, 16, 11, 59, 59), "AoE")
    assert paper.note.startswith("Abstracts must be registered")
    kdd = Edition.objects.get(external_id="kdd27")
    assert (kdd.city, kdd.country) == ("Toronto", "Canada")  # from the older `place`
    assert kdd.deadlines.get().due_at == utc(2027, 2, 9, 7, 59, 59)  # 8 Feb, 23:59:59 PST
    assert ChangeRecord.objects.filter(action="imported").count() == 8  # 4 venues + 4 editions


@pytest.mark.django_db
def test_one_bad_edition_fails_alone():
    report = _import()
    failed = [result for result in report.results if result.outcome == Outcome.FAILED]
    assert [result.ref for result in failed] == ["collas27 (line 41)"]
    assert "Mars/Olympus_Mons" in failed[0].reason
    assert not Venue.objects.filter(name="CoLLAs").exists()
    assert Edition.objects.filter(external_id__in=["neurips27", "icml27", "kdd27", "acl27"]).count() == 4


@pytest.mark.django_db
def test_importing_the_same_file_twice_creates_nothing_the_second_time():
    _import()
    counts = (Venue.objects.count(), Edition.objects.count(), Deadline.objects.count())
    history = ChangeRecord.objects.count()
    report = _import()
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 4, "failed": 1}
    assert (Venue.objects.count(), Edition.objects.count(), Deadline.objects.count()) == counts
    assert ChangeRecord.objects.count() == history


@pytest.mark.django_db
def test_a_moved_deadline_updates_the_same_row():
    _import()
    before = Deadline.objects.get(edition__external_id="neurips27", kind="paper")
    moved = FIXTURE.read_text(encoding="utf-8").replace("'2027-05-15 23:59:59'", "'2027-05-22 23:59:59'")
    report = deadlines_import(text=moved)
    assert report.results[0].outcome == Outcome.UPDATED
    after = Deadline.objects.get(edition__external_id="neurips27", kind="paper")
    assert after.pk == before.pk  # so the calendar UID stays and subscribers see the event move
    assert after.due_at == utc(2027, 5, 23, 11, 59, 59)


@pytest.mark.django_db
def test_an_existing_venue_and_edition_are_matched_not_duplicated():
    venue = f.VenueFactory(name="neurips", full_name="")  # matched case-insensitively
    edition = f.EditionFactory(venue=venue, year=2027, external_id="")
    topic = f.TopicFactory(slug="machine-learning")
    _import()
    assert Venue.objects.filter(name__iexact="neurips").count() == 1
    edition.refresh_from_db()
    assert edition.external_id == "neurips27"  # adopted
    venue.refresh_from_db()
    assert venue.full_name == "Conference on Neural Information Processing Systems"  # a blank filled
    assert list(venue.topics.all()) == [topic]  # from the tags


@pytest.mark.django_db
def test_an_edition_id_under_another_venue_fails():
    f.EditionFactory(venue=f.VenueFactory(name="ICLR"), year=2027, external_id="neurips27")
    result = _import().results[0]
    assert result.outcome == Outcome.FAILED
    assert "under ICLR" in result.reason


@pytest.mark.django_db
def test_pending_sends_new_venues_and_editions_to_review():
    _import(pending=True)
    assert set(Edition.objects.values_list("status", flat=True)) == {ModerationStatus.PENDING}
    assert set(Venue.objects.values_list("status", flat=True)) == {ModerationStatus.PENDING}
    assert not Deadline.objects.public().exists()


@pytest.mark.django_db
def test_the_command_exits_non_zero_and_imports_the_rest():
    text = failed_import_output("import_deadlines", FIXTURE)
    assert "created    neurips27 (line 2): NeurIPS 2027" in text
    assert "failed     collas27 (line 41)" in text
    assert "note: deadlines item 3 (camera_ready): no date yet (TBA), skipped" in text
    assert Edition.objects.count() == 4


# --- the done-when check: the imported deadline in the calendar and on the page -------------------


@pytest.mark.django_db
def test_an_aoe_deadline_reaches_the_calendar_and_the_page_at_its_utc_instant(client, frozen_now):
    _import()
    calendar = Calendar.from_ical(client.get("/deadlines.ics").content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    event = events["NeurIPS 2027: Paper deadline"]
    assert event.decoded("DTSTART") == utc(2027, 5, 16, 11, 59, 59)
    assert event.to_ical().decode().count("DTSTART:20270516T115959Z") == 1
    assert str(event["URL"]) == "https://neurips.cc/Conferences/2027"

    page = client.get(reverse("community:deadline-list")).content.decode()
    assert 'datetime="2027-05-16T11:59:59Z"' in page
    assert "announced as 15 May 2027 23:59 AoE" in page
