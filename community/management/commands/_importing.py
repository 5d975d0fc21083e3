"""What the import commands share: reading files, printing reports, the exit status."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community.services.imports import ImportReport, Outcome, RecordResult

PENDING_HELP = (
    "Leave new items pending, for moderators to review, instead of publishing them. "
    "Existing items keep their status."
)


class ImportCommand(BaseCommand):
    """Runs a service per input, prints one line per record, exits 1 when any record failed.

    A command names its inputs (`inputs`: the positional argument, its metavar and help; one or more
    are required) and, for a command that reads files, the `service` each file goes to."""

    inputs: tuple[str, str, str] = ("files", "FILE", "")
    service: Callable[..., ImportReport]

    def add_arguments(self, parser) -> None:
        name, metavar, help_text = self.inputs
        parser.add_argument(name, nargs="+", metavar=metavar, help=help_text)
        parser.add_argument("--pending", action="store_true", help=PENDING_HELP)

    def handle(self, *args, files: list[str], pending: bool, **options) -> None:
        self.import_files(files, type(self).service, pending=pending)

    def import_files(self, paths: list[str], service: Callable[..., ImportReport], *, pending: bool) -> None:
        reports = []
        for path in paths:
            try:
                with Path(path).open("rb") as stream:
                    report = service(stream=stream, source=path, pending=pending)
            except OSError as exc:
                report = ImportReport(source=path)
                report.results.append(
                    RecordResult(
                        ref=path, outcome=Outcome.FAILED, reason=f"cannot read the file ({exc.strerror})."
                    )
                )
            self.write_report(report)
            reports.append(report)
        self.finish(reports)

    def write_report(self, report: ImportReport) -> None:
        self.stdout.write(f"{report.source}:")
        for result, line in zip(_owners(report), report.lines(), strict=True):
            style = self.style.ERROR if result.outcome == Outcome.FAILED else (lambda text: text)
            self.stdout.write(f"  {style(line)}")
        self.stdout.write(f"  {report.summary()}")

    def finish(self, reports: list[ImportReport]) -> None:
        failed = sum(report.failed for report in reports)
        if failed:
            raise CommandError(f"{failed} record(s) failed; the others were imported (see above).")


def _owners(report: ImportReport) -> list[RecordResult]:
    """The result each line of `report.lines()` belongs to (a result's notes follow it)."""
    return [result for result in report.results for _ in range(1 + len(result.notes))]
