"""Reading the Papers with Code archive (issue 14): every kind of file in every published form,
recognised by content; metric values in every spelling; bad input refused per record or for the whole
file with a reason. No database: the readers return plain rows."""

import gzip
import json
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from community.importers import ImportFileError, ParseFailure
from community.importers.pwc import ArchiveFile
from community.importers.pwc.records import CodeLinkRow, DatasetRow, MethodRow, PaperRow, ResultRow, TaskRow
from community.importers.pwc.values import metric_value
from community.seed import SEED_DIR

from . import pwc_files

EXPECTED = {
    "papers": {PaperRow: 5},
    "links": {CodeLinkRow: 5},
    "evaluation-tables": {TaskRow: 2, DatasetRow: 1, ResultRow: 6},
    "methods": {MethodRow: 1},
    "datasets": {DatasetRow: 1},
}


def _read(path):
    with open(path, "rb") as stream:
        archive = ArchiveFile(stream)
        rows = list(archive.rows())
    return archive, rows


def _count(rows) -> dict:
    counts: dict = {}
    for row in rows:
        counts[type(row)] = counts.get(type(row), 0) + 1
    return counts


@pytest.mark.parametrize("form", pwc_files.FORMS)
@pytest.mark.parametrize("kind", sorted(pwc_files.KINDS))
def test_each_kind_in_each_form_is_recognised_by_content(tmp_path, kind, form):
    records = pwc_files.KINDS[kind]()
    if form == "parquet" and kind == "evaluation-tables":
        # A Parquet column has one type: the generated tables write every value as text there.
        records = json.loads(json.dumps(records).replace("90.871", '"90.871"'))
    path = pwc_files.write(records, tmp_path, "archive-file", form)
    archive, rows = _read(path)
    assert (archive.kind, archive.form) == (kind, form)
    assert _count(rows) == EXPECTED[kind]


def test_the_real_sample_reads_with_its_quirks_and_counts_unused_fields():
    archive, rows = _read(SEED_DIR / "pwc" / "evaluation-tables.nlpprogress.json")
    counts = _count(rows)
    assert archive.kind == "evaluation-tables"
    assert counts[TaskRow] == 67 and counts[ResultRow] == 774
    failures = [row for row in rows if isinstance(row, ParseFailure)]
    assert {f.reason for f in failures} >= {"the row has no model_name"}
    assert archive.unused == {"dataset.dataset_links": 94, "task.source_link": 64}
    results = [row for row in rows if isinstance(row, ResultRow)]
    dashes = [row for row in results if row.value_text == "-"]
    assert dashes and all(row.value is None for row in dashes)
    # Subtasks name their parent, to any depth.
    tasks = {row.name: row for row in rows if isinstance(row, TaskRow)}
    assert tasks["Hypernym Discovery"].parent == "Taxonomy Learning"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (85.3, "85.3"),
        (90, "90"),
        ("90.871", "90.871"),
        ("85.3%", "85.3"),
        ("1,234.5", "1234.5"),
        ("12.3 ± 0.2", "12.3"),
        ("12.3 +/- 0.2", "12.3"),
        ("**92.1**", "92.1"),
        ("73.4*", "73.4"),
        ("340M", "340000000"),
        ("1.5e-3", "0.0015"),
        ("\u22120.4", "-0.4"),
        ("\ufeff27.3", "27.3"),
        ("--", None),
        ("-", None),
        ("?", None),
        ("85.1/86.0", None),
        ("**Precision**", None),
        (1e30, None),
    ],
)
def test_metric_values_in_every_spelling(raw, value):
    number, text = metric_value(raw)
    assert (str(number) if number is not None else None) == value
    assert text == (str(raw).replace("\ufeff", "") if not isinstance(raw, float) else repr(raw))


def test_a_json_number_keeps_its_exact_decimal():
    assert metric_value(Decimal("90.871")) == (Decimal("90.871"), "90.871")


def _bad_papers():
    good = pwc_files.papers(3)
    missing_title = {**good[0], "paper_url": "https://paperswithcode.com/paper/x", "arxiv_id": "2101.99999",
                     "title": "  "}  # fmt: skip
    huge = {**good[1], "paper_url": "https://paperswithcode.com/paper/y", "arxiv_id": "2101.99998",
            "abstract": "a" * 10_000_000}  # fmt: skip
    html = {**good[2], "title": "<script>alert(1)</script><b>Bold</b> title"}
    return [good[0], missing_title, huge, html, dict(good[0])]


def test_bad_records_are_refused_one_by_one_with_a_reason(tmp_path):
    path = pwc_files.write(_bad_papers(), tmp_path, "papers", "json")
    _, rows = _read(path)
    kinds = [type(row).__name__ for row in rows]
    assert kinds == ["PaperRow", "ParseFailure", "ParseFailure", "PaperRow", "ParseFailure"]
    assert rows[1].reason == "it has no title"
    assert "abstract is 10000000 characters long" in rows[2].reason
    assert rows[3].title.startswith("<script>")  # kept as text: pages escape it
    assert rows[4].reason == "a repeat of record 1"


def test_a_repo_url_that_is_not_a_repository_is_refused(tmp_path):
    records = pwc_files.links(3)
    records[1]["repo_url"] = "https://arxiv.org/abs/2101.00001"
    records[2]["repo_url"] = "not a url at all"
    _, rows = _read(pwc_files.write(records, tmp_path, "links", "json"))
    assert isinstance(rows[0], CodeLinkRow) and rows[0].repo_url == "https://github.com/generated/repo-0"
    assert [type(row) for row in rows[1:]] == [ParseFailure, ParseFailure]
    assert "is not a repository address" in rows[1].reason


def test_metric_values_that_are_not_numbers_are_kept_as_text(tmp_path):
    _, rows = _read(pwc_files.write(pwc_files.evaluation_tables(), tmp_path, "tables", "json"))
    values = {
        (row.model_name, row.metric): (row.value, row.value_text)
        for row in rows
        if isinstance(row, ResultRow)
    }
    assert values[("Net A", "Top 1 Accuracy")] == (Decimal("85.3"), "85.3%")
    assert values[("Net B", "Top 1 Accuracy")] == (Decimal("90.871"), "90.871")
    assert values[("Net C", "Top 1 Accuracy")] == (None, "--")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (json.dumps({"papers": []}).encode(), "an object, not a JSON list"),
        (b"hello", "not JSON, not a JSON list"),
        (b"", "the file is empty"),
        (b"[]", "holds no records"),
        (b"[1, 2]", "records are not objects"),
        (json.dumps([{"colour": "red"}]).encode(), "none of the archive's kinds"),
    ],
)
def test_files_that_are_no_archive_file_are_refused_whole(tmp_path, content, message):
    path = tmp_path / "file.json"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        _read(path)


def test_a_truncated_gzip_is_refused_before_anything_is_read(tmp_path):
    whole = gzip.compress(json.dumps(pwc_files.papers(200)).encode())
    path = tmp_path / "papers.json.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ImportFileError, match="truncated or corrupt"):
        _read(path)


def test_a_parquet_file_of_another_schema_is_refused(tmp_path):
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"colour": ["red"], "size": [3]}), path)
    with pytest.raises(ImportFileError, match=r"columns \(colour, size\) are none of the archive's kinds"):
        _read(path)


def test_json_broken_in_the_middle_stops_with_an_error(tmp_path):
    text = json.dumps(pwc_files.papers(3))
    path = tmp_path / "papers.json"
    path.write_text(text[: len(text) - 40])
    with open(path, "rb") as stream:
        archive = ArchiveFile(stream)
        with pytest.raises(ImportFileError, match="malformed|ends early"):
            list(archive.rows())
