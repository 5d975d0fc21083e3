"""Importing the deadline trackers' snapshot shipped in community/seed/deadlines/ (issue 15, item 6).

A fresh site starts with the real venues, ranks, acceptance rates and deadlines of the two community
trackers as of the commits named in the snapshot's snapshot.yaml (README.md and LICENSE carry their
attribution and MIT licence). Every file goes through the one deadline-tracker import service
(`deadlines_import`), so provenance, moderators' hand edits and per-record reports work as for any
import; a rerun finds every row and changes nothing."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from community.seed import SEED_DIR

from .imports import ImportReport, Outcome, deadlines_import

DEADLINE_SNAPSHOT_DIR = SEED_DIR / "deadlines"


@dataclass
class SnapshotReport:
    reports: list[ImportReport] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(report.count(outcome) for report in self.reports)

    @property
    def changed(self) -> bool:
        return bool(self.count(Outcome.CREATED) or self.count(Outcome.UPDATED))

    def problems(self) -> list[str]:
        """Each failed record and each note (a value left out, a deadline two trackers disagree on),
        prefixed with its file."""
        lines = []
        for report in self.reports:
            for result in report.results:
                if result.outcome == Outcome.FAILED:
                    lines.append(f"{report.source}: {result.ref}: {result.reason}")
                lines.extend(f"{report.source}: {result.ref}: {note}" for note in result.notes)
        return lines

    def summary(self) -> str:
        return (
            f"{len(self.reports)} files: {self.count(Outcome.CREATED)} created, "
            f"{self.count(Outcome.UPDATED)} updated, {self.count(Outcome.UNCHANGED)} unchanged, "
            f"{self.count(Outcome.FAILED)} failed"
        )


def snapshot_files(directory: Path = DEADLINE_SNAPSHOT_DIR) -> list[tuple[Path, str]]:
    """(file, revision) in import order, as snapshot.yaml lists the folders."""
    manifest = yaml.safe_load((directory / "snapshot.yaml").read_text(encoding="utf-8")) or []
    return [
        (path, str(part["revision"]))
        for part in manifest
        for path in sorted((directory / part["folder"]).rglob("*.yml"))
    ]


def deadline_snapshot_load(directory: Path = DEADLINE_SNAPSHOT_DIR) -> SnapshotReport:
    """Import every file of the snapshot; a file that cannot be read is its report's one failure."""
    snapshot = SnapshotReport()
    for path, revision in snapshot_files(directory):
        with path.open("rb") as stream:
            snapshot.reports.append(
                deadlines_import(
                    stream=stream, source=path.relative_to(directory).as_posix(), revision=revision
                )
            )
    return snapshot
