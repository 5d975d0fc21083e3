from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community.seed import SEED_DIR, SeedDataError
from community.services.seed import seed_load
from community.services.similar import similar_papers_refresh


class Command(BaseCommand):
    help = (
        "Load the curated catalogue in community/seed/ (venues, papers, people, projects, channels, "
        "topics, organisations, funding, the guides in both languages and the history timeline), then "
        "compute similar papers. Safe to run again: unchanged rows are not touched."
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

    def handle(self, *args, data_dir: Path, **options) -> None:
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
        # Here rather than on a worker, so the first `make run` shows similar papers at once; the
        # same service the task calls, and as idempotent (a rerun rewrites nothing).
        similar = similar_papers_refresh()
        self.stdout.write(
            f"Similar papers: {similar.links} links among {similar.papers} published papers "
            f"({similar.changed} lists rewritten)."
        )
