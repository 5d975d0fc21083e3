"""What the archive import does beyond writing rows (issue 14): likely duplicate authors go to the
moderators' queue, proceedings find their venue, a newer dump drops links it no longer gives, similar
papers are recomputed once, and a resumed import's report keeps one header."""

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from community.models import ChangeRecord, ModerationStatus, Paper, Person, PwcPaper, Report
from community.services.imports.pwc import pwc_import
from community.services.imports.pwc_people import initials_slug
from tests.community.importers import pwc_files

pytestmark = pytest.mark.django_db


def _import(path, **options):
    with open(path, "rb") as stream:
        return pwc_import(stream, source=path.name, **options)


def _counts(report) -> dict:
    return {kind: (c, u, n, r) for kind, c, u, n, r in report.counts.rows()}


def test_initials_slug():
    assert initials_slug("Yann André LeCun") == "y-a-lecun"
    assert initials_slug("Y. LeCun") == "y-lecun"
    assert initials_slug("Jean-Pierre Dupont") == "j-dupont"
    assert initials_slug("Plato") == ""


def test_likely_duplicate_authors_go_to_the_merge_queue_once(tmp_path):
    Person.objects.create(slug="yann-lecun", name="Yann LeCun", status=ModerationStatus.PUBLISHED)
    Person.objects.create(slug="g-hinton", name="G. Hinton", status=ModerationStatus.PUBLISHED)
    Person.objects.create(slug="ada-lovelace", name="Ada Lovelace", status=ModerationStatus.PUBLISHED)
    records = pwc_files.papers(3)
    records[0]["authors"] = ["Yann Lecun", "Ada Lovelace"]  # case only; the second is the same string
    records[1]["authors"] = ["Geoffrey Hinton", "Jürgen Schmidhuber"]  # initials of an existing one
    records[2]["authors"] = ["Jurgen Schmidhuber", "Someone Unrelated"]  # accents, within the import
    report = _import(pwc_files.write(records, tmp_path, "p", "json"))
    assert report.ok and _counts(report)["duplicate"] == (3, 0, 0, 0)
    reports = Report.objects.filter(reason=Report.Reason.DUPLICATE, content_type__model="person")
    flagged = {Person.objects.get(pk=r.object_id).name: r.message for r in reports}
    # Two new names of one batch: the one created second is reported, naming the first.
    first, second = Person.objects.filter(name__endswith="rgen Schmidhuber").order_by("pk")
    assert set(flagged) == {"Yann Lecun", "Geoffrey Hinton", second.name}
    assert "“Yann LeCun” (slug yann-lecun)" in flagged["Yann Lecun"]
    assert "“G. Hinton” (slug g-hinton)" in flagged["Geoffrey Hinton"]
    assert f"“{first.name}” (slug {first.slug})" in flagged[second.name]
    assert all(r.status == "pending" and r.reported_by is None for r in reports)
    # Nothing is merged by the import: five people of five names, plus the three there before.
    assert Person.objects.count() == 3 + 5
    again = _import(pwc_files.write(records, tmp_path, "p", "json"))
    assert "duplicate" not in _counts(again) and reports.count() == 3


def test_a_resumed_import_appends_to_its_report_with_one_header(tmp_path, monkeypatch):
    path = pwc_files.write(pwc_files.papers(6), tmp_path, "p", "json")
    pwc_files.fail_batch(monkeypatch, "papers", 2, DatabaseError("disk full"))
    args = [str(path), "--no-progress", "--report-dir", str(tmp_path), "--batch-size", "2"]
    with pytest.raises(Exception, match="could not be imported"):
        call_command("import_pwc", *args, stdout=io.StringIO())
    monkeypatch.undo()
    out = io.StringIO()
    call_command("import_pwc", *args, "--resume", stdout=out)
    assert "resuming after row 2" in out.getvalue()
    lines = (tmp_path / "p.json.report.csv").read_text().splitlines()
    assert lines[0] == "kind,record,outcome,reason,notes"
    assert lines.count(lines[0]) == 1
    papers = [line.split(",")[1] for line in lines if line.startswith("paper,")]
    assert papers == [f"record {i}" for i in range(1, 7)]


def test_similar_papers_are_recomputed_once_after_an_import_that_changed_papers(
    tmp_path, mocker, django_capture_on_commit_callbacks
):
    delay = mocker.patch("community.tasks.similar_papers_refresh.delay")
    path = pwc_files.write(pwc_files.papers(5), tmp_path, "p", "json")
    with django_capture_on_commit_callbacks(execute=True):
        _import(path, batch_size=2)  # three batches, one refresh
    delay.assert_called_once_with()
    delay.reset_mock()
    with django_capture_on_commit_callbacks(execute=True):
        _import(path)  # nothing changed
        _import(pwc_files.write(pwc_files.links(5), tmp_path, "l", "json"))  # no paper changed
    delay.assert_not_called()
    newer = pwc_files.papers(5)
    newer[0]["abstract"] = "Revised."
    with django_capture_on_commit_callbacks(execute=True):
        _import(pwc_files.write(newer, tmp_path, "p", "json"))
    delay.assert_called_once_with()


def _catalogue() -> str:
    out = io.StringIO()
    call_command("dumpdata", "community", stdout=out, indent=None)
    return out.getvalue()


def test_a_newer_dump_removes_the_links_it_no_longer_gives_with_history(tmp_path):
    (tmp_path / "june").mkdir(), (tmp_path / "july").mkdir()
    records = pwc_files.papers(3)
    records[0]["tasks"] = ["Image Classification", "Object Detection"]
    records[0]["methods"].append({"name": "ReLU", "full_name": "Rectified Linear Unit", "description": ""})
    _import(pwc_files.write(records, tmp_path / "june", "p", "json"), revision="2025-06")
    paper = Paper.objects.get(arxiv_id="2101.00000")
    landmark = Paper.objects.get(arxiv_id="2101.00001")
    PwcPaper.objects.filter(paper=landmark).update(created_by_archive=False)  # the catalogue's own
    records[0]["tasks"] = ["object detection", "Semantic Segmentation"]  # one kept (case aside), one new
    records[0]["methods"] = records[0]["methods"][1:]  # Dropout no longer named
    records[1]["tasks"] = ["Speech Recognition"]  # a paper the catalogue had first only gains links
    records[2]["tasks"] = []  # an empty list never empties a paper's links
    path = pwc_files.write(records, tmp_path / "july", "p", "json")
    report = _import(path, revision="2025-07")
    assert _counts(report)["paper"] == (0, 1, 2, 0)
    assert sorted(paper.tasks.values_list("name", flat=True)) == ["Object Detection", "Semantic Segmentation"]
    assert list(paper.methods.values_list("name", flat=True)) == ["ReLU"]
    assert sorted(landmark.tasks.values_list("name", flat=True)) == [
        "Image Classification",
        "Speech Recognition",
    ]
    assert Paper.objects.get(arxiv_id="2101.00002").tasks.count() == 1
    history = ChangeRecord.objects.get(object_id=paper.pk, content_type__model="paper")
    assert history.changes == {
        "tasks": [
            ["Image Classification", "Object Detection"],
            ["object detection", "Semantic Segmentation"],
        ],
        "methods": [["Dropout", "ReLU"], ["ReLU"]],
    }
    before = _catalogue()
    again = _import(path, revision="2025-07")
    assert _counts(again)["paper"] == (0, 0, 3, 0)
    assert _catalogue() == before


def test_proceedings_find_the_catalogues_venue_and_edition(tmp_path):
    from tests.community import factories as f

    neurips = f.VenueFactory(name="NeurIPS", full_name="Conference on Neural Information Processing Systems")
    nips2019 = f.EditionFactory(venue=neurips, year=2019)
    icml = f.VenueFactory(name="ICML", full_name="International Conference on Machine Learning")
    records = pwc_files.papers(5)
    for record, proceeding in zip(
        records, ["NeurIPS 2019 12", "icml 2020 7", "NIPS 2017 12", "Some Workshop 2021 3", None], strict=True
    ):
        record["proceeding"] = proceeding
    path = pwc_files.write(records, tmp_path, "p", "json")
    _import(path)
    papers = {p.arxiv_id: p for p in Paper.objects.select_related("pwc")}
    assert (papers["2101.00000"].venue, papers["2101.00000"].edition) == (neurips, nips2019)
    assert (papers["2101.00001"].venue, papers["2101.00001"].edition) == (icml, None)  # no 2020 edition
    assert papers["2101.00002"].venue == neurips  # the name the archive still used for 2017
    assert (
        papers["2101.00003"].venue is None and papers["2101.00003"].pwc.proceeding == "Some Workshop 2021 3"
    )
    assert papers["2101.00004"].venue is None and papers["2101.00004"].pwc.proceeding == ""
    before = _catalogue()
    assert _counts(_import(path))["paper"] == (0, 0, 5, 0)
    assert _catalogue() == before
    # A newer dump moves a paper to another proceeding: venue and text change, with history.
    records[3]["proceeding"] = "ICML 2021 7"
    report = _import(pwc_files.write(records, tmp_path, "p", "json"))
    assert _counts(report)["paper"] == (0, 1, 4, 0)
    moved = Paper.objects.select_related("pwc").get(arxiv_id="2101.00003")
    assert (moved.venue, moved.pwc.proceeding) == (icml, "ICML 2021 7")
    history = ChangeRecord.objects.get(object_id=moved.pk, content_type__model="paper")
    assert history.changes == {
        "venue_id": [None, icml.pk],
        "proceeding": ["Some Workshop 2021 3", "ICML 2021 7"],
    }


def test_the_samples_arxiv_papers_become_catalogue_papers_with_their_results(client):
    from community.models import Provenance, Result
    from community.services.imports.pwc_sample import pwc_sample_load

    (report,) = pwc_sample_load()
    created = _counts(report)["paper"][0]
    papers = Paper.objects.all()
    assert created == papers.count() > 90  # the sample's distinct arXiv papers with a title
    assert all(p.arxiv_id and p.url == f"https://arxiv.org/abs/{p.arxiv_id}" for p in papers)
    dann = Paper.objects.get(arxiv_id="1505.07818")
    assert (dann.title, dann.year) == ("Domain-Adversarial Training of Neural Networks", 2015)
    assert dann.claimed_results.exists()
    source = Provenance.objects.get(object_id=dann.pk, content_type__model="paper")
    assert (source.source, source.licence) == ("pwc-archive", "CC BY-SA 4.0")
    page = client.get(dann.get_absolute_url()).content.decode()
    assert "Claimed results" in page and "From the Papers with Code archive (CC BY-SA 4.0)" in page
    # A row whose title is a citation mark makes no paper; its result stays unlinked.
    assert not Paper.objects.filter(title__startswith="[").exists()
    assert Result.objects.filter(paper_title="[8]", paper__isnull=True).exists()
    (again,) = pwc_sample_load()
    assert "paper" not in _counts(again) and Paper.objects.count() == created
