"""The deadline trackers' snapshot shipped in community/seed/deadlines/ (issue 15, item 6): every file
imports through the one import service with no lost record, the two trackers' files for one conference
leave one venue and one edition, and a second run changes nothing."""

import re
from pathlib import Path

import pytest
import yaml

from community.models import AcceptanceRate, Deadline, Edition, Provenance, Venue
from community.services.deadline_snapshot import DEADLINE_SNAPSHOT_DIR, deadline_snapshot_load, snapshot_files
from community.services.imports import Outcome

pytestmark = pytest.mark.django_db

AI = "de9f41b1e2b8611d9a29f5206be4e14fa2d99fce"
CCF = "5f8dce347bc17783bc6cd50509e07cc0196863b4"


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name).casefold()


def _read(folder: str) -> list[dict]:
    return [
        entry
        for path in sorted((DEADLINE_SNAPSHOT_DIR / folder).rglob("*.yml"))
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


def expected_venues_and_editions() -> tuple[set[str], set[tuple[str, int]]]:
    """Counted from the YAML itself, not from the importer: the conferences both trackers name once."""
    ai = _read("ai-deadlines")
    ccf = _read("ccf-deadlines/conference")
    venues = {_key(e["title"]) for e in ai} | {_key(c["title"]) for c in ccf}
    editions = {(_key(e["title"]), int(e["year"])) for e in ai} | {
        (_key(c["title"]), int(conf["year"])) for c in ccf for conf in c["confs"]
    }
    return venues, editions


def test_the_snapshot_keeps_its_attribution_licence_and_commits():
    readme = (DEADLINE_SNAPSHOT_DIR / "README.md").read_text(encoding="utf-8")
    licence = (DEADLINE_SNAPSHOT_DIR / "LICENSE").read_text(encoding="utf-8")
    for text in ("Copyright (c) 2025 Hugging Face", "Copyright (c) 2021 CCFDDL"):
        assert text in readme and text in licence
    assert licence.count("Permission is hereby granted, free of charge") == 2
    assert AI in readme and CCF in readme
    files = snapshot_files()
    assert len(files) == len(list(DEADLINE_SNAPSHOT_DIR.rglob("*.yml"))) == 43
    assert {rev for path, rev in files if "ai-deadlines" in path.parts} == {AI}
    assert {rev for path, rev in files if "ccf-deadlines" in path.parts} == {CCF}


def test_every_file_imports_with_no_lost_record_and_a_rerun_changes_nothing():
    snapshot = deadline_snapshot_load()

    assert snapshot.count(Outcome.FAILED) == 0, snapshot.problems()
    venues, editions = expected_venues_and_editions()
    assert Venue.objects.count() == len(venues) == 23
    assert {_key(name) for name in Venue.objects.values_list("name", flat=True)} == venues
    assert Edition.objects.count() == len(editions) == 84
    assert {(_key(n), y) for n, y in Edition.objects.values_list("venue__name", "year")} == editions
    assert AcceptanceRate.objects.count() == len(
        {
            (_key(r["title"]), rate["year"])
            for r in _read("ccf-deadlines/accept_rates")
            for rate in r["accept_rates"]
        }
    )
    assert Deadline.objects.count() == 201
    # One venue and one edition for a conference both trackers give, with both trackers' sources.
    colt = Edition.objects.get(venue__name="COLT", year=2026)
    assert set(
        Provenance.objects.filter(object_id=colt.pk, content_type__model="edition").values_list(
            "source", "revision"
        )
    ) == {("ai-deadlines", AI), ("ccf-deadlines", CCF)}
    assert colt.venue.ccf_rank == "B" and colt.venue.dblp_key
    rows = {
        model: list(model.objects.order_by("pk").values())
        for model in (Venue, Edition, Deadline, AcceptanceRate, Provenance)
    }

    again = deadline_snapshot_load()

    assert again.count(Outcome.CREATED) == again.count(Outcome.UPDATED) == again.count(Outcome.FAILED) == 0
    assert not again.changed
    for model, before in rows.items():
        assert list(model.objects.order_by("pk").values()) == before, model.__name__


def test_an_unreadable_snapshot_folder_is_reported_not_skipped(tmp_path: Path):
    (tmp_path / "snapshot.yaml").write_text(
        "- {tracker: ai-deadlines, folder: ai, revision: abc}\n", encoding="utf-8"
    )
    (tmp_path / "ai").mkdir()
    (tmp_path / "ai" / "broken.yml").write_text("- title: [unclosed\n", encoding="utf-8")

    snapshot = deadline_snapshot_load(tmp_path)

    assert snapshot.count(Outcome.FAILED) == 1
    assert snapshot.problems()[0].startswith("ai/broken.yml: ")
