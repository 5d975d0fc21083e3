"""Writing imported records: BibTeX files, arXiv ids and deadline-tracker YAML.

One service per format; the management commands and the moderators' upload page call them. The
readers in `community.importers` turn the input into plain records; here each record is matched
against the catalogue and written in its own savepoint, so a record that fails leaves nothing behind
(no half-made paper, no orphan author) and the records around it are still written.

Idempotent: a record is matched by what identifies it (a paper's DOI, then its arXiv id, then its
normalised title and year; an edition's tracker id), and a row is only saved when a field the record
states differs, so a second run reports every record unchanged and moves no `updated_at`. A field
the record leaves empty is left as it is. Imported items are published at once (`pending=True`
leaves new ones for the moderation queue); `status` and `created_by` of existing items are never
touched. Each created or changed item gets an "imported" entry in its history, by the uploading
moderator or, from a command, by nobody.

An import that leaves its items for the moderation queue (`pending=True`) by a user is a submission:
it is refused with RateLimited when the user or the address (`ip`) has spent the one submission
budget (community.services.rate_limits), and spends one unit when it wrote anything (one file or one
list of ids, however many records: a moderator's batch is one request to the queue). Imports that
publish at once, and those from a command (no user, no address), are not limited.
"""

from community.services.field_edits import protected_fields, without_protected

from .arxiv import arxiv_import
from .bibtex import bibtex_import
from .deadlines import deadlines_import
from .report import (
    OUTCOME_LABELS,
    ImportReport,
    Outcome,
    RecordError,
    RecordResult,
    describe_validation_error,
)

__all__ = [
    "OUTCOME_LABELS",
    "ImportReport",
    "Outcome",
    "RecordError",
    "RecordResult",
    "arxiv_import",
    "bibtex_import",
    "deadlines_import",
    "describe_validation_error",
    "protected_fields",
    "without_protected",
]
