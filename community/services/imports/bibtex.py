"""Importing a BibTeX file: its entries become paper records, written by the paper writer."""

from typing import IO

from community.importers.bibtex import parse_bibtex

from .papers import PaperWriter
from .report import ImportReport
from .writer import budgeted_import, read_upload


def bibtex_import(
    *,
    text: str | None = None,
    stream: IO | None = None,
    source: str = "BibTeX",
    user=None,
    pending: bool = False,
    ip: str | None = None,
) -> ImportReport:
    """Import every entry of a BibTeX file (given as `text` or a `stream` of bytes or text)."""
    return budgeted_import(
        lambda: parse_bibtex(read_upload(text=text, stream=stream)),
        lambda report, records: _writer(report, user=user, pending=pending, source=source).papers(records),
        source=source,
        user=user,
        pending=pending,
        ip=ip,
    )


def _writer(report: ImportReport, *, user, pending: bool, source: str) -> PaperWriter:
    writer = PaperWriter(report, user=user, pending=pending)
    # Each paper keeps the file it came from (its name: an upload and a command give the same row).
    writer.origin = {"source": "bibtex", "file": source.replace("\\", "/").rsplit("/", 1)[-1]}
    return writer
