from django.core.management.base import BaseCommand, CommandError

from community.services.deadline_sync import deadline_sources_sync


class Command(BaseCommand):
    help = (
        "Fetch the deadline trackers now, as the beat job does: the addresses given, or those of "
        "DEADLINE_SOURCES (raw YAML files or .tar.gz/.zip repository archives), with conditional GETs; "
        "imports what changed and prints each file's report, and the fields moderators edited, left alone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "urls", nargs="*", metavar="URL", help="Addresses to fetch instead of DEADLINE_SOURCES."
        )

    def handle(self, *args, urls: list[str], **options) -> None:
        report = deadline_sources_sync(sources=urls or None)
        if not report.sources:
            self.stdout.write("DEADLINE_SOURCES is empty and no address was given: nothing fetched.")
            return
        for line in report.lines():
            self.stdout.write(line)
        summary = report.summary()
        self.stdout.write(
            f"{summary['sources']} sources: {summary['updated']} updated, {summary['unchanged']} unchanged, "
            f"{summary['failed']} failed"
        )
        if summary["failed"]:
            raise CommandError(f"{summary['failed']} of {summary['sources']} sources could not be synced.")
