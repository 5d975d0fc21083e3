from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community.seed import SEED_DIR, SeedDataError
from community.services.seed import seed_load


class Command(BaseCommand):
    help = (
        "Load the curated catalogue in community/seed/ (venues, papers, people, projects, channels, "
        "topics, organisations, funding). Safe to run again: unchanged rows are not touched."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=SEED_DIR,
            help="Directory of <family>.yaml files (default: the seed shipped with the code).",
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
