from django.core.management.base import BaseCommand, CommandError

from community.services.exports import FORMATS, catalogue_export


class Command(BaseCommand):
    help = (
        "Write every published catalogue item: --format json (one file) or csv (one file per type, "
        "lists ;-separated). Links between items are slugs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
        parser.add_argument(
            "--output",
            required=True,
            help="JSON: a file, or a directory to write catalogue.json in. CSV: a directory.",
        )

    def handle(self, *args, fmt: str, output: str, **options) -> None:
        try:
            written = catalogue_export(fmt=fmt, output=output)
        except (ValueError, OSError) as exc:
            raise CommandError(f"Nothing was exported: {exc}") from exc
        for path, rows in written.items():
            self.stdout.write(f"  {path}  {rows} item(s)")
        self.stdout.write(self.style.SUCCESS(f"Exported the published catalogue as {fmt}."))
