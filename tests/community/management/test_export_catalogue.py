"""export_catalogue: the published catalogue as one JSON file or one CSV file per type."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from community.models import ModerationStatus
from community.services.exports import EXPORT_TYPES
from tests.community import factories as f


@pytest.fixture
def catalogue(db):
    paper = f.fully_linked_paper(title="Published, with a comma")
    f.PaperFactory(title="Under review", status=ModerationStatus.PENDING)
    hidden = f.PersonFactory(name="Hidden author", status=ModerationStatus.PENDING)
    f.AuthorshipFactory(paper=paper, person=hidden, position=9)
    f.linked_deadline()
    f.linked_funding()
    return paper


def test_json_holds_every_published_item(catalogue, tmp_path):
    out = io.StringIO()
    call_command("export_catalogue", "--format", "json", "--output", str(tmp_path), stdout=out)
    document = json.loads((tmp_path / "catalogue.json").read_text(encoding="utf-8"))
    assert set(document) == {"exported_at", *(name for name, _ in EXPORT_TYPES)}
    (paper,) = document["papers"]
    assert paper["title"] == "Published, with a comma"
    assert paper["slug"] == catalogue.slug
    assert paper["venue"] == catalogue.venue.slug
    assert paper["authors"] == [a.person.name for a in catalogue.authorships.order_by("position")][:2]
    assert sorted(paper["topics"]) == sorted(t.slug for t in catalogue.topics.all())
    assert "status" not in paper and "created_by" not in paper
    (deadline,) = document["deadlines"]
    assert deadline["due_at"].endswith("Z")
    assert document["funding"][0]["amount_min"] == "10000.00"
    assert "catalogue.json" in out.getvalue()


def test_json_to_a_directory_not_made_yet(catalogue, tmp_path):
    call_command("export_catalogue", "--format", "json", "--output", f"{tmp_path}/new/", stdout=io.StringIO())
    assert json.loads((tmp_path / "new" / "catalogue.json").read_text(encoding="utf-8"))["papers"]


def test_json_to_a_named_file(catalogue, tmp_path):
    target = tmp_path / "dump" / "all.json"
    call_command("export_catalogue", "--format", "json", "--output", str(target), stdout=io.StringIO())
    assert json.loads(target.read_text(encoding="utf-8"))["papers"]


def test_csv_writes_one_file_per_type(catalogue, tmp_path):
    call_command(
        "export_catalogue", "--format", "csv", "--output", str(tmp_path / "csv"), stdout=io.StringIO()
    )
    assert {p.name for p in (tmp_path / "csv").iterdir()} == {f"{name}.csv" for name, _ in EXPORT_TYPES}
    with (tmp_path / "csv" / "papers.csv").open(encoding="utf-8", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert row["title"] == "Published, with a comma"
    assert row["authors"].count(";") == 1  # two published authors; the one under review left out
    assert "Hidden author" not in row["authors"]
    with (tmp_path / "csv" / "jobs.csv").open(encoding="utf-8") as stream:
        assert stream.readline().startswith("slug,")


def test_csv_needs_a_directory(catalogue, tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("")
    with pytest.raises(CommandError, match="CSV needs a directory"):
        call_command("export_catalogue", "--format", "csv", "--output", str(target), stdout=io.StringIO())


def test_csv_cells_a_spreadsheet_would_run_are_quoted_and_numbers_stay_numbers(db, tmp_path):
    """An approved organisation named like a formula must not run when the export is opened in a
    spreadsheet (OWASP CSV injection): the cell starts with a quote; amounts are still numbers."""
    lab = f.OrganizationFactory(name='=HYPERLINK("http://evil.example","click")', country="+1 country")
    f.OrganizationFactory(name="@SUM(A1:A9)", country="\tCanada", description="-2+3")
    f.FundingOpportunityFactory(funder=lab, title="\rGrant", amount_min=Decimal("-5.50"))
    call_command("export_catalogue", "--format", "csv", "--output", str(tmp_path), stdout=io.StringIO())
    with (tmp_path / "organizations.csv").open(encoding="utf-8", newline="") as stream:
        rows = {row["name"]: row for row in csv.DictReader(stream)}
    evil = rows["'=HYPERLINK(\"http://evil.example\",\"click\")"]
    assert evil["country"] == "'+1 country"
    other = rows["'@SUM(A1:A9)"]
    assert other["country"] == "'\tCanada" and other["description"] == "'-2+3"
    for row in rows.values():
        assert row["name"][:1] not in ("=", "+", "-", "@", "\t", "\r")
    with (tmp_path / "funding.csv").open(encoding="utf-8", newline="") as stream:
        (grant,) = list(csv.DictReader(stream))
    assert grant["title"] == "'\rGrant"
    assert grant["amount_min"] == "-5.50" and grant["amount_max"] == "50000.00"
    assert grant["funder"] == lab.slug
