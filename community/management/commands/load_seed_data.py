from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community.seed import SEED_DIR, SeedDataError
from community.services.deadline_snapshot import deadline_snapshot_load
from community.services.imports import Outcome
from community.services.imports.pwc_sample import pwc_sample_load
from community.services.seed import seed_load
from community.services.similar import similar_papers_refresh


class Command(BaseCommand):
    help = (
        "Load the curated catalogue in community/seed/ (venues, papers, people, projects, channels, "
        "topics, organisations, funding, the guides in both languages and the history timeline), import the "
        "deadline trackers' snapshot in community/seed/deadlines/, then compute similar papers. Safe to "
        "run again: unchanged rows are not touched."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=SEED_DIR,
            help=(
                "Directory of <family>.yaml files and guides/<language>/*.md "
                "(default: the seed shipped with the code)."
            ),
        )
        parser.add_argument(
            "--no-deadline-snapshot",
            dest="deadline_snapshot",
            action="store_false",
            help="Leave out the deadline trackers' snapshot (community/seed/deadlines/).",
        )
        parser.add_argument(
            "--no-pwc-sample",
            dest="pwc_sample",
            action="store_false",
            help="Leave out the Papers with Code archive's sample leaderboards (community/seed/pwc/).",
        )

    def handle(self, *args, data_dir: Path, deadline_snapshot: bool, pwc_sample: bool, **options) -> None:
        try:
            report = seed_load(data_dir=data_dir)
        except SeedDataError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        self.stdout.write(f"Seed data from {report.source}:")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Seed data loaded."))
        else:
            self.stdout.write("Nothing to change: the database already matches the seed data.")
        if deadline_snapshot:
            self._deadline_snapshot()
        if pwc_sample:
            self._pwc_sample()
        # Here rather than on a worker, so the first `make run` shows similar papers at once; the
        # same service the task calls, and as idempotent (a rerun rewrites nothing).
        similar = similar_papers_refresh()
        self.stdout.write(
            f"Similar papers: {similar.links} links among {similar.papers} published papers "
            f"({similar.changed} lists rewritten)."
        )

    def _deadline_snapshot(self) -> None:
        snapshot = deadline_snapshot_load()
        self.stdout.write(f"Deadline trackers' snapshot (community/seed/deadlines/): {snapshot.summary()}.")
        # What the import left out or could not read, one line each, when it wrote something (a rerun
        # that changed nothing repeats none of it): the snapshot is imported as published, mistakes
        # included, so an operator sees what a moderator may want to look at.
        for line in snapshot.problems() if snapshot.changed or snapshot.count(Outcome.FAILED) else []:
            self.stdout.write(f"  {line}")

    def _pwc_sample(self) -> None:
        for report in pwc_sample_load():
            counts = "; ".join(f"{kind} {c} created, {u} updated, {n} unchanged, {r} rejected"
                               for kind, c, u, n, r in report.counts.rows())  # fmt: skip
            self.stdout.write(f"Papers with Code sample (community/seed/pwc/{report.source}): {counts}.")
            if report.error:
                self.stdout.write(self.style.ERROR(f"  {report.error}"))
