"""BibTeX import: LaTeX decoded, people matched, identifiers kept, a broken entry reported and the
good ones around it still imported, and a second run that changes nothing."""

import io
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from community.importers import ParseFailure
from community.importers.bibtex import parse_bibtex
from community.models import Authorship, ChangeRecord, ModerationStatus, Paper, Person
from community.services.imports import Outcome, bibtex_import
from tests.community import factories as f
from tests.community.services.imports.commands import failed_import_output

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "bibtex" / "papers.bib"


def _import(**kwargs):
    return bibtex_import(text=FIXTURE.read_text(encoding="utf-8"), source="papers.bib", **kwargs)


def _by_ref(report, key):
    return next(result for result in report.results if result.ref.startswith(key))


# --- reading -------------------------------------------------------------------------------------


def test_latex_accents_and_braces_become_unicode():
    records = {r.ref.split()[0]: r for r in parse_bibtex(FIXTURE.read_text(encoding="utf-8"))}
    vaswani = records["vaswani2017attention"]
    assert vaswani.authors[6] == "Łukasz Kaiser"  # Kaiser, {\L}ukasz
    assert vaswani.title == "Attention is All you Need"
    assert vaswani.pages == "5998–6008"
    mueller = records["mueller2019stability"]
    assert mueller.title == "Über die Stabilität tiefer Netze"
    # M{\"u}ller, J{\"{u}}rgen; Sch{\"o}n, Bj{\o}rn; a braced group name stays one name.
    assert mueller.authors == ("Jürgen Müller", "Bjørn Schön", "Deep Commons Study Group")
    # \emph and \% decoded, math kept for the page to render, paragraphs kept.
    assert mueller.abstract == (
        "We study stability of deep networks. It holds in 50% of the cases, for every $x^2$ term."
        "\n\nA second paragraph."
    )


def test_a_string_macro_resolves_into_the_venue_name():
    record = parse_bibtex(FIXTURE.read_text(encoding="utf-8"))[0]
    assert record.venue_name == "Advances in Neural Information Processing Systems"


def test_identifiers_are_normalised():
    records = {r.ref.split()[0]: r for r in parse_bibtex(FIXTURE.read_text(encoding="utf-8"))}
    assert records["vaswani2017attention"].arxiv_id == "1706.03762"  # eprint + archivePrefix arXiv
    assert records["he2016deep"].doi == "10.1109/cvpr.2016.90"  # from https://doi.org/10.1109/CVPR...
    # Google Scholar's "arXiv preprint arXiv:1412.6980" is an arXiv id, not a venue.
    assert records["kingma2014adam"].arxiv_id == "1412.6980"
    assert records["kingma2014adam"].venue_name == ""


def test_the_broken_entry_is_reported_with_its_key_and_line():
    items = parse_bibtex(FIXTURE.read_text(encoding="utf-8"))
    failures = [item for item in items if isinstance(item, ParseFailure)]
    assert len(failures) == 1
    assert failures[0].ref == "broken2015 (line 17)"
    assert "not valid BibTeX" in failures[0].reason
    assert len(items) == 5


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("@article{a, year={2020}}", "no title"),
        ("@article{a, title={T}}", "no year"),
        ("@article{a, title={T}, year={2020}, doi={not-a-doi}}", "is not a DOI"),
        (
            "@article{a, title={T}, year={2020}, eprint={nope}, archivePrefix={arXiv}}",
            "not an arXiv identifier",
        ),
        ("@article{a, title={T}, title={U}, year={2020}}", "given twice"),
        ("@article{a, title={T}, year={2020}}\n@article{a, title={U}, year={2021}}", "same key"),
    ],
)
def test_bad_entries_say_what_is_wrong(text, reason):
    failure = parse_bibtex(text)[-1]
    assert isinstance(failure, ParseFailure)
    assert reason in failure.reason


def test_and_others_is_not_a_person():
    (record,) = parse_bibtex("@article{a, title={T}, year={2020}, author={Doe, Jane and others}}")
    assert record.authors == ("Jane Doe",)
    assert "and others" in record.notes[0]


# --- writing -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_good_entries_are_imported_and_the_broken_one_reported():
    report = _import()
    assert report.counts == {"created": 4, "updated": 0, "unchanged": 0, "failed": 1}
    assert _by_ref(report, "broken2015").outcome == Outcome.FAILED
    assert Paper.objects.count() == 4
    assert not Person.objects.filter(name__contains="Nobody").exists()
    paper = Paper.objects.get(arxiv_id="1706.03762")
    names = [a.person.name for a in paper.authorships.order_by("position")]
    assert names[6] == "Łukasz Kaiser"
    assert len(names) == 8
    assert paper.status == ModerationStatus.PUBLISHED
    assert paper.created_by is None
    assert Paper.objects.get(doi="10.1109/cvpr.2016.90").pages == "770–778"


@pytest.mark.django_db
def test_importing_the_same_file_twice_creates_nothing_the_second_time():
    _import()
    counts = (Paper.objects.count(), Person.objects.count(), Authorship.objects.count())
    history = ChangeRecord.objects.count()
    stamps = dict(Paper.objects.values_list("pk", "updated_at"))

    report = _import()
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 4, "failed": 1}
    assert (Paper.objects.count(), Person.objects.count(), Authorship.objects.count()) == counts
    assert ChangeRecord.objects.count() == history
    assert dict(Paper.objects.values_list("pk", "updated_at")) == stamps


@pytest.mark.django_db
def test_authors_are_matched_to_existing_people_by_normalised_name():
    kaiser = f.PersonFactory(name="Lukasz Kaiser")  # entered without the Ł
    gomez = f.PersonFactory(name="aidan n. gomez")
    _import()
    paper = Paper.objects.get(arxiv_id="1706.03762")
    people = [a.person_id for a in paper.authorships.order_by("position")]
    assert people[5] == gomez.pk
    assert people[6] == kaiser.pk
    assert Person.objects.filter(name__icontains="kaiser").count() == 1


@pytest.mark.django_db
def test_venues_are_matched_by_short_or_full_name_and_the_rest_are_reported():
    neurips = f.VenueFactory(name="NeurIPS", full_name="advances in neural information processing systems")
    edition = f.EditionFactory(venue=neurips, year=2017)
    cvpr = f.VenueFactory(name="CVPR", full_name="Computer Vision and Pattern Recognition")
    report = _import()
    vaswani = Paper.objects.get(arxiv_id="1706.03762")
    assert (vaswani.venue, vaswani.edition) == (neurips, edition)
    # "Proceedings of the IEEE Conference on ... (CVPR)": the abbreviation in parentheses.
    assert Paper.objects.get(doi="10.1109/cvpr.2016.90").venue == cvpr
    assert Paper.objects.get(title__startswith="Über").venue is None
    assert "Journal of Imaginary Results" in _by_ref(report, "mueller2019stability").notes[0]
    assert not _by_ref(report, "kingma2014adam").notes  # an arXiv preprint has no venue to miss


@pytest.mark.django_db
def test_a_known_paper_is_found_by_title_and_year_and_completed():
    existing = f.PaperFactory(title="Attention Is All You Need", year=2017, arxiv_id="", doi="", abstract="")
    report = _import()
    assert _by_ref(report, "vaswani2017attention").outcome == Outcome.UPDATED
    existing.refresh_from_db()
    assert existing.arxiv_id == "1706.03762"
    assert existing.authorships.count() == 8
    assert Paper.objects.filter(year=2017).count() == 1


@pytest.mark.django_db
def test_a_known_doi_is_updated_not_duplicated():
    existing = f.PaperFactory(title="ResNet", year=2016, doi="10.1109/cvpr.2016.90", arxiv_id="")
    _import()
    existing.refresh_from_db()
    assert existing.title == "Deep Residual Learning for Image Recognition"
    history = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Paper), object_id=existing.pk
    ).get()
    assert history.action == "imported"
    assert history.changes["title"] == ["ResNet", "Deep Residual Learning for Image Recognition"]


@pytest.mark.django_db
def test_a_paper_moderators_rejected_is_not_imported_again():
    f.PaperFactory(doi="10.1109/cvpr.2016.90", status=ModerationStatus.REJECTED)
    result = _by_ref(_import(), "he2016deep")
    assert result.outcome == Outcome.FAILED
    assert "rejected" in result.reason


@pytest.mark.django_db
def test_a_record_that_fails_validation_leaves_nothing_behind():
    text = (
        "@article{long, title={" + "x" * 401 + "}, year={2020}, author={Unique, Zebediah}}\n"
        "@article{fine, title={Fine}, year={2020}, author={Unique, Zebedee}}\n"
    )
    report = bibtex_import(text=text)
    assert [r.outcome for r in report.results] == [Outcome.FAILED, Outcome.CREATED]
    assert "title" in report.results[0].reason
    # The failed record's new author was rolled back with it.
    assert not Person.objects.filter(name="Zebediah Unique").exists()
    assert Person.objects.filter(name="Zebedee Unique").exists()


@pytest.mark.django_db
def test_history_names_the_uploading_moderator(staff_user):
    _import(user=staff_user)
    paper = Paper.objects.get(arxiv_id="1706.03762")
    record = ChangeRecord.objects.get(
        content_type=ContentType.objects.get_for_model(Paper), object_id=paper.pk
    )
    assert (record.action, record.user) == ("imported", staff_user)
    assert paper.created_by is None


@pytest.mark.django_db
def test_pending_sends_new_items_to_the_moderation_queue():
    known = f.PersonFactory(name="Jimmy Ba")
    _import(pending=True)
    assert set(Paper.objects.values_list("status", flat=True)) == {ModerationStatus.PENDING}
    assert Person.objects.get(name="Łukasz Kaiser").status == ModerationStatus.PENDING
    known.refresh_from_db()
    assert known.status == ModerationStatus.PUBLISHED


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_one_failure():
    report = bibtex_import(stream=io.BytesIO("@article{a, title={Caf\xe9}, year={2020}}".encode("latin-1")))
    assert report.counts["failed"] == 1
    assert "UTF-8" in report.results[0].reason
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_the_command_reports_every_record_and_exits_non_zero_when_one_failed():
    text = failed_import_output("import_bibtex", FIXTURE)
    assert "created    vaswani2017attention (line 4)" in text
    assert "failed     broken2015 (line 17)" in text
    assert "papers.bib: 4 created, 0 updated, 0 unchanged, 1 failed" in text
    assert Paper.objects.count() == 4


@pytest.mark.django_db
def test_the_command_succeeds_when_every_record_is_imported(tmp_path):
    path = tmp_path / "one.bib"
    path.write_text("@article{a, title={Only one}, year={2020}, author={Doe, Jane}}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_bibtex", str(path), "--pending", stdout=out)
    assert "1 created" in out.getvalue()
    assert Paper.objects.get().status == ModerationStatus.PENDING


@pytest.mark.django_db
def test_a_missing_file_is_reported(tmp_path):
    assert "cannot read the file" in failed_import_output("import_bibtex", tmp_path / "nope.bib")


@pytest.mark.django_db
def test_a_bad_link_is_left_out_rather_than_failing_the_paper():
    report = bibtex_import(text="@misc{a, title={T}, year={2020}, url={www.example.org/paper}}")
    (result,) = report.results
    assert result.outcome == Outcome.CREATED
    assert "is not a web address" in result.notes[0]
    assert Paper.objects.get().url == ""


@pytest.mark.django_db
def test_nul_characters_are_dropped():
    report = bibtex_import(text="@misc{a, title={Nul\x00 title}, year={2020}}")
    assert report.results[0].outcome == Outcome.CREATED
    assert Paper.objects.get().title == "Nul title"
