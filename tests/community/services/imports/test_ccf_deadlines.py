"""ccf-deadlines files (conference and acceptance-rate layouts) through `import_deadlines`, the upload
page and the venue page and API: real files from the tracker (tests/fixtures/ccf_deadlines, copied
unchanged from ../shared/data/deadlines) and hand-written ones with the quirks real files have."""

import datetime as dt
import io
import textwrap
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from community.models import AcceptanceRate, ChangeRecord, Deadline, Edition, Provenance, Report, Venue
from community.services.imports import Outcome, deadlines_import
from tests.community import factories as f
from tests.community.services.imports.commands import failed_import_output, import_output

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "ccf_deadlines"
EMNLP = FIXTURES / "conference" / "AI" / "emnlp.yml"
EMNLP_RATES = FIXTURES / "accept_rates" / "AI" / "emnlp.yml"
WACV = FIXTURES / "conference" / "AI" / "wacv.yml"
ALL_FILES = [
    *sorted((FIXTURES / "conference").rglob("*.yml")),
    *sorted((FIXTURES / "accept_rates").rglob("*.yml")),
]
UPLOAD_URL = "/moderation/import/"


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def _command(*paths) -> str:
    return import_output("import_deadlines", *paths)


def _import(text: str, source: str = "quirks.yml"):
    return deadlines_import(text=textwrap.dedent(text), source=source)


def _state():
    return (
        list(Venue.objects.order_by("pk").values()),
        list(Edition.objects.order_by("pk").values()),
        list(Deadline.objects.order_by("pk").values()),
        list(AcceptanceRate.objects.order_by("pk").values()),
        list(Provenance.objects.order_by("pk").values()),
        ChangeRecord.objects.count(),
    )


# --- the real files --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_imports_real_conference_and_rate_files_with_ranks(client):
    text = _command(*ALL_FILES)
    assert "failed " not in text
    emnlp = Venue.objects.get(name="EMNLP")
    assert (emnlp.ccf_rank, emnlp.core_rank, emnlp.thcpl_rank, emnlp.ccf_field, emnlp.dblp_key) == (
        "B",
        "A*",
        "A",
        "AI",
        "emnlp",
    )
    assert emnlp.full_name == "The annual Conference on Empirical Methods in Natural Language Processing"
    edition = Edition.objects.get(external_id="emnlp25")
    assert (edition.venue, edition.year, edition.city, edition.country) == (emnlp, 2025, "Suzhou", "China")
    assert (edition.start_date, edition.end_date) == (dt.date(2025, 11, 5), dt.date(2025, 11, 9))
    paper = edition.deadlines.get(kind=Deadline.Kind.PAPER)
    assert (paper.due_at, paper.timezone_label) == (utc(2025, 5, 20, 11, 59, 59), "UTC-12")
    # 2022 had an abstract and a paper deadline in one round.
    assert set(Edition.objects.get(external_id="emnlp22").deadlines.values_list("kind", flat=True)) == {
        "abstract",
        "paper",
    }
    rate = AcceptanceRate.objects.get(venue=emnlp, year=2022)
    assert (rate.submitted, rate.accepted, rate.source_url) == (
        3242,
        715,
        "https://github.com/lixin4ever/Conference-Acceptance-Rate",
    )
    assert rate.rate == pytest.approx(0.2205, abs=1e-4)

    page = client.get(emnlp.get_absolute_url()).content.decode()
    assert "CCF rank" in page and '<dd class="rank-ccf">B</dd>' in page
    assert '<dd class="rank-core">A*</dd>' in page
    assert 'href="https://dblp.org/db/conf/emnlp/"' in page
    assert "Acceptance rates" in page
    assert "22.1%" in page and "21.3%" in page  # 715/3242 and 1047/4909
    assert 'href="https://csconfstats.xoveexu.com/"' in page


@pytest.mark.django_db
def test_rounds_named_by_their_comment_are_separate_deadlines():
    _command(WACV)
    edition = Edition.objects.get(external_id="wacv27")
    assert sorted(edition.deadlines.values_list("kind", "label")) == [
        ("abstract", "First round"),
        ("abstract", "Second round"),
        ("paper", "First round"),
        ("paper", "Second round"),
    ]


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    _command(*ALL_FILES)
    before = _state()
    text = _command(*ALL_FILES)
    assert "created " not in text and "updated " not in text
    assert _state() == before


@pytest.mark.django_db
def test_a_rate_file_before_its_conference_file_fails_per_record_and_says_what_to_do():
    text = failed_import_output("import_deadlines", EMNLP_RATES)
    assert "no venue EMNLP in the catalogue; import its conference file first." in text
    assert not AcceptanceRate.objects.exists()


@pytest.mark.django_db
def test_the_venue_api_gives_ranks_and_acceptance_rates(client):
    _command(EMNLP, EMNLP_RATES)
    slug = Venue.objects.get(name="EMNLP").slug
    data = client.get(f"/api/v1/venues/{slug}/").json()
    assert (data["ccf_rank"], data["core_rank"], data["thcpl_rank"], data["ccf_field"], data["dblp_key"]) == (
        "B",
        "A*",
        "A",
        "AI",
        "emnlp",
    )
    assert [(r["year"], r["submitted"], r["accepted"]) for r in data["acceptance_rates"]] == [
        (2022, 3242, 715),
        (2023, 4909, 1047),
    ]
    (edition,) = [e for e in data["editions"] if e["year"] == 2025]
    assert [d["sources"] for d in edition["deadlines"]] == [
        [
            {
                "source": "ccf-deadlines",
                "file": "conference/AI/emnlp.yml",
                "revision": "",
                "licence": "MIT",
                "attribution": "ccf-deadlines, Copyright (c) 2021 CCFDDL",
            }
        ]
    ]
    listed = client.get("/api/v1/venues/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["ccf_rank"] for row in rows if row["name"] == "EMNLP"] == ["B"]


# --- the quirks of hand-edited files --------------------------------------------------------------

QUIRKY_CONFERENCE = """\
- title: QConf
  description: Quirky Conference
  sub: AI
  rank:
    ccf: A
    core: Z
    thcpl: N
  dblp: qconf
  confs:
    - year: 2026
      id: qconf26
      link: https://qconf.org/2026
      timeline:
        - deadline: TBD
      timezone: AoE
      date: TBD
    - year: 2025
      id: qconf25
      link: https://qconf.org/2025
      timeline:
        - abstract_deadline: '2025-03-01 23:59:59'
      timezone: UTC+8
      date: sometime in summer
    - year: 2024
      id: qconf24
      timeline:
        - deadline: '2024-02-30 23:59:59'
      timezone: UTC-12
    - year: 2023
      id: qconf23
      timeline:
        - deadline: '2023-03-01 23:59:59'
      timezone: Mars/Olympus
    - year: 2022
      id: qconf22
      timeline:
        - deadline: '2022-03-01 23:59:59'
          comment: Long papers
        - deadline: '2022-03-08 23:59:59'
      timezone: UTC
      date: June 1-3, 2022
      place: Lyon, France
"""


@pytest.mark.django_db
def test_each_quirk_is_a_report_line_and_the_good_records_land():
    report = _import(QUIRKY_CONFERENCE)
    by_ref = {result.ref.split(" (line")[0]: result for result in report.results}
    venue = by_ref["QConf"]
    assert venue.outcome == Outcome.CREATED
    assert any("rank core: 'Z' is not one of" in note for note in venue.notes)
    assert Venue.objects.get(name="QConf").core_rank == ""
    assert Venue.objects.get(name="QConf").ccf_rank == "A"

    tbd = by_ref["QConf qconf26"]
    assert tbd.outcome == Outcome.CREATED
    assert any("no date yet (TBD), skipped" in note for note in tbd.notes)
    assert any("place: not given yet" in note for note in tbd.notes)

    abstract_only = by_ref["QConf qconf25"]
    assert abstract_only.outcome == Outcome.CREATED
    assert any("only an abstract deadline" in note for note in abstract_only.notes)
    assert any("is not a date range" in note for note in abstract_only.notes)
    only = Edition.objects.get(external_id="qconf25").deadlines.get()
    assert (only.kind, only.due_at, only.timezone_label) == ("abstract", utc(2025, 3, 1, 15, 59, 59), "UTC+8")

    assert by_ref["QConf qconf24"].outcome == Outcome.FAILED
    assert "2024-02-30" in by_ref["QConf qconf24"].reason
    assert by_ref["QConf qconf23"].outcome == Outcome.FAILED
    assert "unknown timezone 'Mars/Olympus'" in by_ref["QConf qconf23"].reason
    assert not Edition.objects.filter(external_id__in=["qconf24", "qconf23"]).exists()

    rounds = Edition.objects.get(external_id="qconf22")
    assert sorted(rounds.deadlines.values_list("label", flat=True)) == ["Long papers", "round 2"]
    assert (rounds.city, rounds.country, rounds.start_date) == ("Lyon", "France", dt.date(2022, 6, 1))


QUIRKY_RATES = """\
- title: QConf
  accept_rates:
    - year: 2022
      submitted: 1000
      accepted: 220
      str: 22,0%(220/1000 22')
      rate: '0,22'
      source: https://example.org/qconf-2022
    - year: 2021
      submitted: 1000
      accepted: 250
      rate: 1.25
      source: https://example.org/qconf-2021
    - year: 2020
      submitted: -5
      accepted: 2
      rate: 0.4
    - year: 2019
      submitted: 500
      accepted: 100
      source: not a link
"""


@pytest.mark.django_db
def test_rates_with_a_decimal_comma_out_of_range_or_negative_are_reported_per_year():
    _import(QUIRKY_CONFERENCE)
    report = _import(QUIRKY_RATES, source="rates.yml")
    by_year = {result.ref.split(" (line")[0]: result for result in report.results}
    comma = by_year["QConf 2022"]
    assert comma.outcome == Outcome.CREATED
    assert any("decimal comma" in note for note in comma.notes)
    assert by_year["QConf 2021"].outcome == Outcome.FAILED
    assert "not between 0 and 1" in by_year["QConf 2021"].reason
    assert by_year["QConf 2020"].outcome == Outcome.FAILED
    assert "submitted: -5 is not a count" in by_year["QConf 2020"].reason
    computed = by_year["QConf 2019"]
    assert computed.outcome == Outcome.CREATED
    assert any("computed from accepted / submitted" in note for note in computed.notes)
    rates = {r.year: r for r in AcceptanceRate.objects.filter(venue__name="QConf")}
    assert set(rates) == {2022, 2019}
    assert rates[2022].rate == pytest.approx(0.22)
    assert rates[2019].rate == pytest.approx(0.2)
    assert rates[2019].source_url == ""


@pytest.mark.parametrize(
    "text",
    [
        "- title: Broken\n  confs: [unclosed\n",  # not YAML
        "just a sentence",  # not a list
    ],
)
@pytest.mark.django_db
def test_a_whole_file_mistake_is_one_failed_line_and_stores_nothing(text):
    report = _import(text)
    assert [result.outcome for result in report.results] == [Outcome.FAILED]
    assert not Venue.objects.exists()


@pytest.mark.django_db
def test_confs_that_is_not_a_list_fails_but_the_venue_and_its_ranks_land():
    report = _import(
        "- title: Solo\n  sub: DB\n  rank: {ccf: C, core: B, thcpl: N}\n  dblp: solo\n  confs: 2025\n"
    )
    assert [result.outcome for result in report.results] == [Outcome.CREATED, Outcome.FAILED]
    assert "confs: expected a list of editions" in report.results[1].reason
    assert Venue.objects.get(name="Solo").ccf_field == "DB"


# --- matching existing venues ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_existing_venue_is_matched_by_dblp_key_then_by_normalised_name():
    by_key = f.VenueFactory(name="Empirical Methods in NLP", dblp_key="emnlp")
    by_name = f.VenueFactory(name="W.A.C.V.")
    _command(EMNLP, WACV)
    assert Venue.objects.count() == 2
    by_key.refresh_from_db()
    by_name.refresh_from_db()
    assert by_key.ccf_rank == "B" and by_key.editions.filter(external_id="emnlp25").exists()
    assert by_name.dblp_key == "wacv" and by_name.editions.filter(external_id="wacv27").exists()


@pytest.mark.django_db
def test_both_trackers_give_one_venue_and_one_edition_and_a_disagreement_is_reported():
    ai_emnlp = FIXTURES / "ai-deadlines" / "emnlp.yml"
    _command(EMNLP)
    report = deadlines_import(text=ai_emnlp.read_text(encoding="utf-8"), source="emnlp.yml")
    assert Venue.objects.filter(name="EMNLP").count() == 1
    assert Edition.objects.filter(venue__name="EMNLP", year=2026).count() == 1
    edition = Edition.objects.get(venue__name="EMNLP", year=2026)
    # The same paper deadline (25 May 2026 AoE) under ai-deadlines' label is not stored twice.
    assert edition.deadlines.filter(kind="paper").count() == 1
    notes = [note for result in report.results for note in result.notes]
    assert any("already listed at the same time" in note for note in notes)
    # A second run of both changes nothing.
    before = _state()
    _command(EMNLP)
    deadlines_import(text=ai_emnlp.read_text(encoding="utf-8"), source="emnlp.yml")
    assert _state() == before


@pytest.mark.django_db
def test_a_deadline_the_trackers_disagree_on_is_kept_twice_and_reported(moderator_client):
    _command(EMNLP)
    other = textwrap.dedent(
        """\
        - title: EMNLP
          year: 2026
          id: emnlp26
          deadlines:
            - type: paper
              label: Paper submission deadline
              date: '2026-05-26 23:59:59'
              timezone: AoE
        """
    )
    report = deadlines_import(text=other, source="ai.yml")
    (result,) = report.results
    assert any("disagrees with" in note and "both kept" in note for note in result.notes)
    paper = Edition.objects.get(external_id="emnlp26").deadlines.filter(kind="paper")
    assert sorted(paper.values_list("label", flat=True)) == [
        "ARR Submission; commitment deadline: 2026-08-02",
        "Paper submission deadline",
    ]
    # Reported to moderators once: the queue lists it, and a rerun adds no second report.
    deadlines_import(text=other, source="ai.yml")
    (report,) = Report.objects.all()
    assert report.item == Edition.objects.get(external_id="emnlp26")
    assert "disagrees with" in report.message and "ai.yml" in report.message
    page = moderator_client.get("/moderation/").content.decode()
    assert f"/moderation/reports/{report.pk}/" in page


# --- the upload page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_upload_form_recognises_the_ccf_layout_by_content(moderator_client):
    # The name says nothing about the layout: the content does.
    for name, path, created in (("upload-1.yml", EMNLP, 6), ("upload-2.yml", EMNLP_RATES, 2)):
        upload = SimpleUploadedFile(name, path.read_bytes(), content_type="application/x-yaml")
        response = moderator_client.post(UPLOAD_URL, {"format": "deadlines", "file": upload})
        assert response.status_code == 200
        assert f"{created} created, 0 updated, 0 unchanged, 0 failed." in response.content.decode()
    assert Venue.objects.get(name="EMNLP").ccf_rank == "B"
    assert AcceptanceRate.objects.filter(venue__name="EMNLP").count() == 2


@pytest.mark.django_db
def test_a_deadline_both_trackers_give_keeps_both_sources_and_the_page_names_them(client):
    ai_emnlp = FIXTURES / "ai-deadlines" / "emnlp.yml"
    out = io.StringIO()
    call_command("import_deadlines", str(EMNLP), "--revision", "5f8dce347bc1", stdout=out)
    call_command("import_deadlines", str(ai_emnlp), str(EMNLP_RATES), stdout=out)
    paper = Edition.objects.get(external_id="emnlp26").deadlines.get(kind="paper")
    assert sorted(paper.provenance.values_list("source", "file", "revision", "licence")) == [
        ("ai-deadlines", "emnlp.yml", "", "MIT"),
        ("ccf-deadlines", "conference/AI/emnlp.yml", "5f8dce347bc1", "MIT"),
    ]
    venue = Venue.objects.get(name="EMNLP")
    assert set(venue_sources(venue)) == {"ai-deadlines", "ccf-deadlines"}
    page = client.get(venue.get_absolute_url()).content.decode()
    assert "Source: <span" in page
    assert "ccf-deadlines</span> (<bdi>conference/AI/emnlp.yml</bdi>, 5f8dce347bc1)" in page
    assert "ai-deadlines</span> (<bdi>emnlp.yml</bdi>)" in page
    assert "Acceptance rates and ranks from ccf-deadlines, Copyright (c) 2021 CCFDDL, MIT License." in page


def venue_sources(venue):
    return Provenance.objects.filter(object_id=venue.pk, content_type__model="venue").values_list(
        "source", flat=True
    )


@pytest.mark.django_db
def test_ai_deadlines_first_then_ccf_deadlines_gives_one_venue_and_times_to_the_minute_are_one_deadline():
    # Real CoRL files: ai-deadlines announces 2026's deadlines at 11:59 UTC, ccf-deadlines at 23:59:59 AoE.
    _command(FIXTURES / "ai-deadlines" / "corl.yml")
    _command(FIXTURES / "conference" / "AI" / "corl.yml")
    venue = Venue.objects.get()
    assert (venue.name, venue.dblp_key, venue.ccf_rank, venue.core_rank) == ("CoRL", "corl", "N", "N")
    edition = Edition.objects.get(venue=venue, year=2026)
    assert sorted(edition.deadlines.values_list("kind", flat=True)) == ["abstract", "paper"]
    for deadline in edition.deadlines.all():
        assert sorted(deadline.provenance.values_list("source", flat=True)) == [
            "ai-deadlines",
            "ccf-deadlines",
        ]
    assert Edition.objects.filter(venue=venue).count() == 3  # 2024 from ccf-deadlines only


@pytest.mark.django_db
def test_every_import_uses_the_same_provenance_bibtex_included():
    from community.models import Paper
    from community.services.imports import bibtex_import

    bib = (FIXTURES.parent / "bibtex" / "papers.bib").read_text(encoding="utf-8")
    bibtex_import(text=bib, source="/somewhere/papers.bib")
    bibtex_import(text=bib, source="papers.bib")  # a rerun from elsewhere finds the same rows
    papers = Paper.objects.all()
    assert papers.exists()
    for paper in papers:
        assert list(
            Provenance.objects.filter(object_id=paper.pk, content_type__model="paper").values_list(
                "source", "file"
            )
        ) == [("bibtex", "papers.bib")]


@pytest.mark.django_db
def test_trackers_that_name_one_edition_differently_share_it_and_reruns_change_nothing():
    other = (
        "- title: EMNLP\n  year: 2026\n  id: emnlp-2026\n  deadline: '2026-05-25 23:59:59'\n  timezone: AoE\n"
    )
    _command(EMNLP)
    deadlines_import(text=other, source="ai.yml")
    edition = Edition.objects.get(venue__name="EMNLP", year=2026)
    assert edition.external_id == "emnlp26"
    before = _state()
    _command(EMNLP)
    report = deadlines_import(text=other, source="ai.yml")
    assert [result.outcome for result in report.results] == [Outcome.UNCHANGED]
    assert _state() == before
