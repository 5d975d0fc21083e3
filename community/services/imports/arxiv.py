"""Importing papers by arXiv id, from the arXiv API, written by the paper writer."""

from collections.abc import Iterable

from community.importers.arxiv import fetch_arxiv
from community.sources import SOURCES

from .papers import PaperWriter
from .report import ImportReport
from .writer import budgeted_import


def arxiv_import(
    *,
    ids: Iterable[str],
    user=None,
    pending: bool = False,
    client=None,
    source: str = "arXiv",
    ip: str | None = None,
) -> ImportReport:
    """Import the papers with these arXiv ids from the arXiv API (`client`: an `arxiv.Client`)."""
    return budgeted_import(
        lambda: fetch_arxiv(ids, client=client),
        lambda report, records: _writer(report, user=user, pending=pending).papers(records),
        source=source,
        user=user,
        pending=pending,
        ip=ip,
    )


def _writer(report: ImportReport, *, user, pending: bool) -> PaperWriter:
    writer = PaperWriter(report, user=user, pending=pending)
    # arXiv's metadata is CC0; each paper keeps that it came from the API (first_imported_at: when).
    writer.origin = {
        "source": "arxiv",
        "file": "export.arxiv.org/api/query",
        "licence": SOURCES["arxiv"].licence,
    }
    return writer
