from community.services.imports import arxiv_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import papers from the arXiv API by id (1706.03762, arXiv:1706.03762v5 or an abs URL). "
        "Needs the network; waits 3 seconds between requests of 100 ids, as arXiv asks."
    )

    inputs = ("ids", "ID", "arXiv identifiers")

    def handle(self, *args, ids: list[str], pending: bool, **options) -> None:
        report = arxiv_import(ids=ids, pending=pending)
        self.write_report(report)
        self.finish([report])
