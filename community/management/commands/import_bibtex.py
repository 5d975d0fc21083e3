from community.services.imports import bibtex_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the papers of BibTeX files: authors matched to people by name (else created), DOI and "
        "arXiv id kept, venues matched by name. Safe to run again: a known paper is updated, not duplicated."
    )

    inputs = ("files", "FILE", "BibTeX files (UTF-8)")
    service = bibtex_import
