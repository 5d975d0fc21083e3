from functools import partial

from community.services.imports import deadlines_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import conference editions and their deadlines from deadline-tracker YAML files: ai-deadlines "
        "files, and ccf-deadlines conference files (with the CCF, CORE and THCPL ranks) and acceptance-rate "
        "files, each recognised by its content. The tracker's edition id identifies an edition, so a rerun "
        "updates it; a venue is matched by dblp key, then by short name."
    )

    inputs = ("files", "FILE", "YAML files (UTF-8)")

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--revision",
            default="",
            help="The tracker's commit the files come from (or the date they were fetched), kept with "
            "each imported item's source.",
        )

    def handle(self, *args, files: list[str], pending: bool, revision: str, **options) -> None:
        self.import_files(files, partial(deadlines_import, revision=revision), pending=pending)
