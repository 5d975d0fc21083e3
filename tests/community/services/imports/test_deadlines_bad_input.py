"""Bad input to the deadline importer (issue 15, "Bad input"): alias bombs, oversized and binary files,
unknown timezones, impossible dates, rates outside [0, 1] and negative counts. Each is a clear
per-file or per-record error, within bounded memory and time, and nothing of a failed record or file
is stored."""

import io
import textwrap

import pytest

from community.importers.deadlines import MAX_FILE_CHARS
from community.models import AcceptanceRate, Deadline, Edition, Provenance, Venue
from community.services.imports import Outcome, deadlines_import

GOOD = """\
- title: GoodConf
  year: 2031
  id: goodconf31
  deadline: '2031-05-15 23:59:59'
  timezone: AoE
"""


def _import(text: str, source: str = "bad.yml"):
    return deadlines_import(text=textwrap.dedent(text), source=source)


def _stored():
    return (
        Venue.objects.count(),
        Edition.objects.count(),
        Deadline.objects.count(),
        AcceptanceRate.objects.count(),
        Provenance.objects.count(),
    )


def _file_failure(report) -> str:
    (result,) = report.results
    assert result.outcome == Outcome.FAILED
    return result.reason


@pytest.mark.django_db
def test_a_billion_laughs_file_fails_at_its_first_alias_and_stores_nothing():
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    bomb = "- title: Laughs\n  year: 2031\n  id: laughs31\n  " + "\n  ".join(levels) + "\n  deadline: *a9\n"
    reason = _file_failure(deadlines_import(text=bomb, source="bomb.yml"))
    assert "aliases" in reason and "line 5" in reason
    assert _stored() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_a_merge_key_alias_is_refused_too():
    text = "- &base {title: A, year: 2031, id: a31}\n- <<: *base\n  id: b31\n"
    assert "aliases" in _file_failure(deadlines_import(text=text, source="merge.yml"))
    assert _stored() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_a_5_mb_file_is_refused_whole_before_it_is_parsed():
    entry = GOOD.replace("goodconf31", "x")
    text = entry * (5 * 1024 * 1024 // len(entry) + 1)
    assert len(text) > MAX_FILE_CHARS
    reason = _file_failure(deadlines_import(text=text, source="huge.yml"))
    assert "at most" in reason and "Split" in reason
    # Uploaded as bytes: the same refusal.
    assert "at most" in _file_failure(deadlines_import(stream=io.BytesIO(text.encode()), source="huge.yml"))
    assert _stored() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_a_stream_far_past_the_limit_is_not_read_to_its_end():
    stream = io.BytesIO(b"#" * (MAX_FILE_CHARS * 4 + 10_000))
    reason = _file_failure(deadlines_import(stream=stream, source="endless.yml"))
    assert "larger than" in reason
    assert stream.tell() == MAX_FILE_CHARS * 4 + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "not UTF-8"),
        (b"\x01\x02\x03- title: x\x07", "not valid YAML"),
        ("[" * 100_000 + "]" * 100_000, "nest too deeply"),
    ],
    ids=["png", "control-characters", "deep-nesting"],
)
def test_binary_and_pathological_files_are_one_clear_file_error(data, expected):
    stream = io.BytesIO(data if isinstance(data, bytes) else data.encode())
    assert expected in _file_failure(deadlines_import(stream=stream, source="odd.yml"))
    assert _stored() == (0, 0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("  deadline: '2031-05-15 23:59:59'\n  timezone: Mars/Olympus_Mons\n", "Mars/Olympus_Mons"),
        ("  deadline: 2031-02-30\n  timezone: AoE\n", "2031-02-30"),
        ("  deadline: '2031-02-30 23:59:59'\n  timezone: AoE\n", "2031-02-30"),
        ("  deadline: 2031-13-01 12:00:00\n  timezone: UTC\n", "2031-13-01"),
    ],
    ids=["unknown-timezone", "february-30", "february-30-quoted", "month-13"],
)
def test_a_bad_edition_fails_alone_with_its_reason_and_the_next_one_is_imported(bad, expected):
    text = "- title: BadConf\n  year: 2031\n  id: badconf31\n" + bad + GOOD
    report = deadlines_import(text=text, source="mixed.yml")
    bad_result, good_result = report.results
    assert bad_result.outcome == Outcome.FAILED and expected in bad_result.reason
    assert good_result.outcome == Outcome.CREATED
    assert not Edition.objects.filter(external_id="badconf31").exists()
    assert not Venue.objects.filter(name="BadConf").exists()
    assert Edition.objects.filter(external_id="goodconf31").exists()


CONFERENCE = """\
- title: RateConf
  description: A conference
  sub: AI
  rank: {ccf: B, core: A, thcpl: N}
  dblp: rateconf
  confs: []
"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("{year: 2021, submitted: 100, accepted: 20, rate: 1.4}", "not between 0 and 1"),
        ("{year: 2021, submitted: 100, accepted: 20, rate: -0.2}", "not between 0 and 1"),
        ("{year: 2021, submitted: -100, accepted: 20, rate: 0.2}", "not a count"),
        ("{year: 2021, submitted: 100, accepted: -20, rate: 0.2}", "not a count"),
    ],
    ids=["rate-above-1", "rate-below-0", "negative-submitted", "negative-accepted"],
)
def test_a_bad_acceptance_rate_fails_alone(row, expected):
    _import(CONFERENCE, source="conference/AI/rateconf.yml")
    text = f"- title: RateConf\n  accept_rates:\n    - {row}\n    - {{year: 2022, submitted: 100, accepted: 25, rate: 0.25}}\n"
    report = deadlines_import(text=text, source="accept_rates/AI/rateconf.yml")
    bad, good = report.results
    assert bad.outcome == Outcome.FAILED and expected in bad.reason
    assert good.outcome == Outcome.CREATED
    assert list(AcceptanceRate.objects.values_list("year", flat=True)) == [2022]
