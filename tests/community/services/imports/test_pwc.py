"""Importing the Papers with Code archive (issue 14): everything importable is written, the rest is
reported; a second import of the same files changes nothing; a newer dump updates and records history;
the catalogue's own papers merge; a moderator's field survives; a failing batch rolls back alone."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError

from community.models import (
    ChangeRecord,
    Dataset,
    Method,
    ModerationStatus,
    Paper,
    PaperCode,
    Person,
    Project,
    Provenance,
    PwcPaper,
    Result,
    Task,
)
from community.services.field_edits import field_edits_record
from community.services.imports import pwc as pwc_service
from community.services.imports.pwc import pwc_import
from community.services.imports.pwc_sample import SAMPLE_DIR, pwc_sample_load
from tests.community.importers import pwc_files

pytestmark = pytest.mark.django_db
SAMPLE = SAMPLE_DIR / "evaluation-tables.nlpprogress.json"


def _import(path, **options):
    with open(path, "rb") as stream:
        return pwc_import(stream, source=path.name, **options)


def _catalogue() -> str:
    out = io.StringIO()
    call_command("dumpdata", "community", stdout=out, indent=None)
    return out.getvalue()


def _counts(report) -> dict:
    return {kind: (c, u, n, r) for kind, c, u, n, r in report.counts.rows()}


def test_the_real_sample_imports_everything_importable_and_a_rerun_changes_nothing():
    (report,) = pwc_sample_load()
    assert report.ok and report.kind == "evaluation-tables"
    counts = _counts(report)
    assert counts["task"][0] == 64 and counts["result"] == (774, 0, 0, 0)
    assert counts["table row"][3] == len(report.rejections) == 34
    assert Result.objects.count() == 774
    dash = Result.objects.filter(value_text="-").first()
    assert dash is not None and dash.value is None
    hypernyms = Task.objects.get(name="Hypernym Discovery")
    assert hypernyms.parent.name == "Taxonomy Learning"
    general = Dataset.objects.get(name="SemEval 2018 (General)")
    assert general.variant_of.name == "SemEval 2018" and hypernyms in general.tasks.all()
    source = Provenance.objects.get(object_id=hypernyms.pk, content_type__model="task")
    assert (source.source, source.licence, source.revision) == ("pwc-archive", "CC BY-SA 4.0", "2022-03")
    before = _catalogue()
    (again,) = pwc_sample_load()
    assert all(c == u == 0 for c, u, _, _ in _counts(again).values())
    assert _catalogue() == before


@pytest.mark.parametrize("form", pwc_files.FORMS)
def test_generated_papers_links_and_tables_import_and_a_second_run_changes_nothing(tmp_path, form):
    tables = pwc_files.evaluation_tables()
    if form == "parquet":
        tables = json.loads(json.dumps(tables).replace("90.871", '"90.871"'))
    files = [
        pwc_files.write(pwc_files.papers(20), tmp_path, "a", form),
        pwc_files.write(pwc_files.links(20), tmp_path, "b", form),
        pwc_files.write(tables, tmp_path, "c", form),
        pwc_files.write(pwc_files.methods(), tmp_path, "d", form),
        pwc_files.write(pwc_files.datasets(), tmp_path, "e", form),
    ]
    reports = [_import(path, batch_size=7) for path in files]
    assert all(report.ok for report in reports), [r.error for r in reports]
    assert _counts(reports[0])["paper"] == (20, 0, 0, 0)
    assert Paper.objects.filter(status=ModerationStatus.PUBLISHED).count() == 20
    paper = Paper.objects.get(arxiv_id="2101.00001")
    assert [a.person.name for a in paper.authorships.select_related("person")] == ["Author 1", "Author 4"]
    assert paper.pwc.url == "https://paperswithcode.com/paper/generated-1"
    assert set(paper.tasks.values_list("name", flat=True)) == {"Image Classification"}
    assert set(paper.methods.values_list("name", flat=True)) == {"Dropout"}
    code = PaperCode.objects.get(paper__arxiv_id="2101.00002")
    assert (code.project.repository_url, code.is_official, code.framework) == (
        "https://github.com/generated/repo-2", True, "pytorch")  # fmt: skip
    assert paper.projects.count() == 1
    net_b = Result.objects.get(model_name="Net B", metric="Top 1 Accuracy")
    assert (net_b.value, net_b.paper, net_b.uses_additional_data) == (
        Decimal("90.871"),
        Paper.objects.get(arxiv_id="2101.00002"),
        True,
    )
    assert Result.objects.get(model_name="Net C", metric="Top 1 Accuracy").value is None
    method = Method.objects.get(name="Generated Dropout")
    assert method.paper == paper and method.collections == [
        {"collection": "Regularization", "area": "General"}
    ]
    cifar = Dataset.objects.get(name="Generated CIFAR")
    assert cifar.variants.get().name == "Generated CIFAR (40 labels)"
    assert (
        Provenance.objects.filter(source="pwc-archive", content_type__model="person").count()
        == Person.objects.count()
    )

    before = _catalogue()
    again = [_import(path, batch_size=7) for path in files]
    for report in again:
        assert all(c == u == 0 for c, u, _, _ in _counts(report).values()), report.lines()
    assert _catalogue() == before


def test_the_catalogues_own_papers_merge_and_keep_what_they_have(tmp_path):
    by_arxiv = Paper.objects.create(slug="attention", title="Attention Is All You Need", year=2017,
                                    arxiv_id="2101.00001", abstract="The seed's own words.",
                                    status=ModerationStatus.PUBLISHED)  # fmt: skip
    by_title = Paper.objects.create(slug="gen-3", title="Generated Paper Number 3.", year=2021,
                                    status=ModerationStatus.PUBLISHED)  # fmt: skip
    report = _import(pwc_files.write(pwc_files.papers(5), tmp_path, "p", "json"))
    assert _counts(report)["paper"] == (3, 2, 0, 0)
    assert Paper.objects.count() == 5
    by_arxiv.refresh_from_db()
    by_title.refresh_from_db()
    assert (by_arxiv.title, by_arxiv.abstract) == ("Attention Is All You Need", "The seed's own words.")
    assert by_arxiv.pwc.url.endswith("generated-1") and not by_arxiv.pwc.created_by_archive
    assert by_title.arxiv_id == "2101.00003" and by_title.abstract  # empty fields filled
    before = _catalogue()
    _import(pwc_files.write(pwc_files.papers(5), tmp_path, "p", "json"))
    assert _catalogue() == before


def test_a_newer_dump_updates_what_changed_records_history_and_spares_a_moderators_field(tmp_path):
    records = pwc_files.papers(3)
    (tmp_path / "june").mkdir(), (tmp_path / "july").mkdir()
    _import(pwc_files.write(records, tmp_path / "june", "papers", "json"), revision="2025-06")
    edited = Paper.objects.get(arxiv_id="2101.00002")
    edited.title = "A moderator's title"
    edited.save()
    field_edits_record(item=edited, fields=["title"], user=None)
    records[2]["abstract"] = "A better abstract."
    records[2]["title"] = "The archive's new title"
    records[0]["authors"] = ["Someone Else"]
    report = _import(pwc_files.write(records, tmp_path / "july", "papers", "json"), revision="2025-07")
    assert _counts(report)["paper"] == (0, 2, 1, 0)
    assert report.kept == [("record 3", "title")]
    edited.refresh_from_db()
    assert (edited.title, edited.abstract) == ("A moderator's title", "A better abstract.")
    history = ChangeRecord.objects.get(object_id=edited.pk, content_type__model="paper")
    assert history.action == ChangeRecord.Action.IMPORTED and set(history.changes) == {"abstract"}
    first = Paper.objects.get(arxiv_id="2101.00000")
    assert [a.person.name for a in first.authorships.all()] == ["Someone Else"]
    assert (
        Provenance.objects.filter(object_id=first.pk, content_type__model="paper").get().revision == "2025-07"
    )


def test_code_links_merge_with_an_existing_project(tmp_path):
    _import(pwc_files.write(pwc_files.papers(2), tmp_path, "p", "json"))
    project = Project.objects.create(slug="repo-1", name="Repo one", kind=Project.Kind.LIBRARY,
                                     repository_url="https://github.com/generated/repo-1",
                                     status=ModerationStatus.PUBLISHED)  # fmt: skip
    records = pwc_files.links(2)
    records[1]["repo_url"] = "http://www.GitHub.com/Generated/Repo-1.git/"
    records.append({**records[0], "paper_url": "https://paperswithcode.com/paper/unknown", "paper_arxiv_id": "",
                    "paper_title": "Nobody has it"})  # fmt: skip
    report = _import(pwc_files.write(records, tmp_path, "l", "json"))
    assert _counts(report)["code link"] == (2, 0, 0, 1)
    assert Project.objects.count() == 2
    assert PaperCode.objects.get(paper__arxiv_id="2101.00001").project == project
    project.refresh_from_db()
    assert project.name == "Repo one"


def test_bad_records_are_rejected_and_nothing_half_written(tmp_path):
    records = pwc_files.papers(2)
    records.append(
        {**records[0], "paper_url": "https://paperswithcode.com/paper/z", "arxiv_id": "", "title": ""}
    )
    records.append({**records[1], "paper_url": "https://paperswithcode.com/paper/w", "arxiv_id": "2101.99999",
                    "abstract": "x" * 10_000_000})  # fmt: skip
    records.append(dict(records[0]))
    report = _import(pwc_files.write(records, tmp_path, "p", "json"))
    assert _counts(report)["paper"] == (2, 0, 0, 3)
    assert Paper.objects.count() == 2 and not Paper.objects.filter(arxiv_id="2101.99999").exists()


def test_an_unreadable_file_writes_nothing(tmp_path):
    path = tmp_path / "papers.json.gz"
    path.write_bytes(pwc_files.write(pwc_files.papers(50), tmp_path, "p", "gzip").read_bytes()[:300])
    report = _import(path)
    assert "truncated or corrupt" in report.error
    assert Paper.objects.count() == 0 and Provenance.objects.count() == 0


def test_a_file_broken_in_the_middle_keeps_the_rows_before_the_break(tmp_path):
    text = json.dumps(pwc_files.papers(5))
    path = tmp_path / "papers.json"
    path.write_text(text[:-1] + ', {"paper_url": "https://paperswithcode.com/paper/cut", "title": ', "utf-8")
    report = _import(path, batch_size=2)
    assert "the 5 rows before it were imported" in report.error
    assert Paper.objects.count() == 5 and PwcPaper.objects.count() == 5


def test_an_archive_page_another_paper_holds_is_not_given_twice(tmp_path):
    """A record whose arXiv id finds one paper and whose archive page another paper already has:
    the paper is imported, the page stays with the paper that had it."""
    _import(pwc_files.write(pwc_files.papers(1), tmp_path, "first", "json"))
    own = Paper.objects.create(slug="own", title="A paper of the catalogue", year=2020, arxiv_id="2001.00001",
                               status=ModerationStatus.PUBLISHED)  # fmt: skip
    record = {**pwc_files.papers(1)[0], "arxiv_id": "2001.00001", "title": "A paper of the catalogue"}
    report = _import(pwc_files.write([record], tmp_path, "second", "json"))
    assert report.ok and _counts(report)["paper"][3] == 0
    page = PwcPaper.objects.get(url="https://paperswithcode.com/paper/generated-0")
    assert page.paper.arxiv_id == "2101.00000" and not PwcPaper.objects.filter(paper=own).exists()


def test_a_failing_batch_rolls_back_to_the_last_finished_one_and_resume_continues(tmp_path, monkeypatch):
    path = pwc_files.write(pwc_files.papers(10), tmp_path, "p", "json")
    write = pwc_service.WRITERS["papers"]
    pwc_files.fail_batch(monkeypatch, "papers", 2, DatabaseError("disk full"))
    checkpoints = []
    report = _import(path, batch_size=4, checkpoint=checkpoints.append)
    assert "disk full" in report.error and checkpoints == [4]
    assert Paper.objects.count() == 4 and PwcPaper.objects.count() == 4
    monkeypatch.setitem(pwc_service.WRITERS, "papers", write)
    report = _import(path, batch_size=4, resume_from=4)
    assert report.ok and _counts(report)["paper"] == (6, 0, 0, 0)
    assert Paper.objects.count() == 10


def test_the_command_shows_counts_and_writes_the_per_record_report(tmp_path):
    path = pwc_files.write(pwc_files.links(2) and pwc_files.papers(3), tmp_path, "p", "parquet")
    out = io.StringIO()
    call_command("import_pwc", str(path), "--no-progress", "--report-dir", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "paper      created       3" in text
    report = (tmp_path / "p.parquet.report.csv").read_text()
    assert report.splitlines()[0] == "kind,record,outcome,reason,notes" and "record 3,created" in report


def test_a_large_batch_reads_back_as_written_and_a_rerun_changes_nothing(tmp_path):
    """Batches of 100 or more go in by COPY on PostgreSQL (ids from the sequence, updates through a
    staging table): the rows read back whole, with their authors, links, sources and history."""
    path = pwc_files.write(pwc_files.papers(150), tmp_path, "p", "json")
    report = _import(path)
    assert _counts(report)["paper"] == (150, 0, 0, 0)
    paper = Paper.objects.get(arxiv_id="2101.00120")
    assert (paper.title, paper.year, paper.status) == ("Generated paper number 120", 2021, "published")
    assert paper.slug == "generated-paper-number-120" and paper.created_at is not None
    assert [a.person.name for a in paper.authorships.order_by("position")] == ["Author 1", "Author 2"]
    assert Provenance.objects.filter(content_type__model="paper").count() == 150
    before = _catalogue()
    assert _counts(_import(path))["paper"] == (0, 0, 150, 0)
    assert _catalogue() == before
    newer = pwc_files.papers(150)
    for record in newer:
        record["abstract"] += " Revised."
    report = _import(pwc_files.write(newer, tmp_path, "p", "json"))
    assert _counts(report)["paper"] == (0, 150, 0, 0)
    paper.refresh_from_db()
    assert paper.abstract == "The abstract of generated paper 120. Revised."
    assert ChangeRecord.objects.filter(content_type__model="paper", action="imported").count() == 150


def test_the_samples_results_find_a_landmark_paper_the_catalogue_has():
    attention = Paper.objects.create(slug="attention-is-all-you-need", title="Attention Is All You Need",
                                     year=2017, arxiv_id="1706.03762", status=ModerationStatus.PUBLISHED)  # fmt: skip
    pwc_sample_load()
    # Merged with the catalogue's paper, not made again (the sample's other arXiv papers are made).
    assert Paper.objects.filter(title__iexact="Attention Is All You Need").count() == 1
    claimed = attention.claimed_results.filter(model_name="Transformer Big", metric="BLEU")
    assert sorted(claimed.values_list("value", flat=True)) == [Decimal("28.4"), Decimal("41.0")]
