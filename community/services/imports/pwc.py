"""Importing the Papers with Code archive (issue 14): any of its files, in any of its forms, read as a
stream and written in batches.

`pwc_import(stream, source=...)` recognises the file (community.importers.pwc), then writes its rows
`batch_size` at a time, each batch in one transaction: a failure rolls back to the last finished
batch and says so, and `resume_from` (the `rows` a `checkpoint` callback was last given) continues
an interrupted import where it stopped. Matching makes a rerun harmless anyway: a second import of
the same file changes nothing, a newer dump updates what changed and records it in each item's
history. `progress(done, total, counts)` is called after each batch (bytes of the file, or rows of a
Parquet file): the command's progress bar, a task's progress. Every item the file gives gets a
Provenance row (source "pwc-archive", the file, the dump date as revision, CC BY-SA 4.0); a field a
moderator set by hand is left as it is, and the report names it.
"""

import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from typing import IO

from django.db import DatabaseError, transaction
from django.dispatch import Signal
from django.utils.translation import gettext

from community.importers import ImportFileError, ParseFailure
from community.importers.pwc import ArchiveFile
from community.importers.pwc.records import DATASETS, EVALUATION, LINKS, METHODS, PAPERS
from community.services.similar import similar_papers_refresh_later

from .pwc_context import Context
from .pwc_papers import write_links, write_papers
from .pwc_store import Counts, Store
from .pwc_tables import write_datasets, write_methods, write_tables
from .read_ahead import read_ahead

BATCH_SIZE = 5000  # rows a transaction: 4-10 % faster than 2,000 at 50k papers (RESULTS.md), ~40 MB more
WRITERS = {
    PAPERS: write_papers,
    LINKS: write_links,
    EVALUATION: write_tables,
    METHODS: write_methods,
    DATASETS: write_datasets,
}
# What a record the reader refused is counted as, per kind of file.
RECORD_KIND = {PAPERS: "paper", LINKS: "code link", EVALUATION: "table row", METHODS: "method",
               DATASETS: "dataset"}  # fmt: skip

Progress = Callable[[int, int, Counts], None]

# Sent after each archive file's import (kwarg `report`): the training app's receiver refreshes the
# claims of the benchmarks that read theirs from a leaderboard (training.services.claims).
leaderboards_imported = Signal()


@dataclass
class PwcReport:
    source: str
    kind: str = ""
    form: str = ""
    counts: Counts = field(default_factory=Counts)
    rejections: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, record, reason)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (record, field) a moderator set
    unused: dict[str, int] = field(default_factory=dict)  # field name -> records that had it
    rows: int = 0  # rows read (records, or the tables' tasks, datasets and results)
    error: str = ""  # why the file, or the rest of it, could not be imported
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error

    def lines(self) -> list[str]:
        lines = [
            f"{self.source}: {self.kind or '?'} ({self.form or '?'}), {self.rows} rows, {self.seconds:.1f} s"
        ]
        lines += [
            f"  {kind:<10} created {c:>7}  updated {u:>7}  unchanged {n:>7}  rejected {r:>6}"
            for kind, c, u, n, r in self.counts.rows()
        ]
        lines += [f"  rejected {kind} {ref}: {reason}" for kind, ref, reason in self.rejections[:50]]
        if len(self.rejections) > 50:
            lines.append(f"  ... {len(self.rejections) - 50} more rejections in the report file")
        lines += [f"  kept a moderator's {name} of {ref}" for ref, name in self.kept[:50]]
        if self.unused:
            unused = ", ".join(f"{name} ({n})" for name, n in sorted(self.unused.items()))
            lines.append(f"  fields not imported: {unused}")
        if self.error:
            lines.append(f"  ERROR: {self.error}")
        return lines


def pwc_import(
    stream: IO[bytes],
    *,
    source: str,
    revision: str = "",
    batch_size: int = BATCH_SIZE,
    resume_from: int = 0,
    progress: Progress | None = None,
    checkpoint: Callable[[int], None] | None = None,
    report_file: IO[str] | None = None,
) -> PwcReport:
    """Import one archive file from `stream` (binary, seekable); `source` names it in provenance and
    the report, `revision` is the dump's date. See the module."""
    started = time.monotonic()
    report = PwcReport(source=source)
    store = Store(file=source, revision=revision)
    ctx = Context(store, report_file)
    try:
        archive = ArchiveFile(stream)
    except ImportFileError as exc:
        report.error = str(exc)
        return report
    report.kind, report.form = archive.kind, archive.form
    write, kind = WRITERS[archive.kind], RECORD_KIND[archive.kind]
    batch: list = []
    done = 0  # rows whose batch is committed

    position = archive.progress()  # how far the reading thread had read when it cut the chunk

    def flush(upto: int) -> None:
        nonlocal batch, done
        if batch:
            with transaction.atomic():
                write(ctx, batch)
        ctx.report_flush()
        batch, done = [], upto
        if checkpoint is not None:
            checkpoint(done)
        if progress is not None:
            progress(*position, ctx.counts)

    number = 0
    try:
        with closing(read_ahead(archive.rows(), batch_size, archive.progress)) as chunks:
            for chunk in chunks:
                position = chunk.position
                for row in chunk.rows:
                    number += 1
                    if number <= resume_from:
                        continue
                    if isinstance(row, ParseFailure):
                        ctx.reject(kind, row.ref, row.reason)
                    else:
                        batch.append(row)
                    if len(batch) >= batch_size:
                        flush(number)
                if chunk.error is not None:
                    raise chunk.error
        flush(number)
    except ImportFileError as exc:
        flush(number)  # what was read before the break is whole: keep it
        report.error = gettext("%(error)s (the %(rows)s rows before it were imported)") % {
            "error": exc,
            "rows": done,
        }
    except DatabaseError as exc:
        report.error = gettext(
            "writing the rows after row %(rows)s failed (%(error)s): everything before them is stored; "
            "import again with resume to continue."
        ) % {"rows": done, "error": exc}
    report.rows = number
    report.counts, report.rejections, report.kept = ctx.counts, ctx.rejections, store.kept
    report.unused = dict(archive.unused)
    report.seconds = time.monotonic() - started
    papers = ctx.counts.by_kind.get("paper")
    if papers and (papers["created"] or papers["updated"]):
        # Once per file, after its last batch (enqueued on commit): titles and abstracts changed.
        similar_papers_refresh_later()
    # Leaderboards may have changed: whoever reads claims from them (training benchmarks) refreshes.
    leaderboards_imported.send(sender=PwcReport, report=report)
    return report
