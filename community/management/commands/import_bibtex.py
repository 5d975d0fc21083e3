from community.services.imports import bibtex_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the papers of BibTeX files: authors matched to people by name (else created), DOI and "
        "arXiv id kept, venues matched by name. Safe to run again: a known paper is updated, not duplicated."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="BibTeX files (UTF-8)")
        super().add_arguments(parser)

    def handle(self, *args, files: list[str], pending: bool, **options) -> None:
        self.import_files(files, bibtex_import, pending=pending)
