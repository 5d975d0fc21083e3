"""Readers of outside formats: BibTeX, the arXiv API and deadline-tracker YAML (and github.py: repository
stats from the GitHub API, which `community.services.github_stats` stores).

Each reader turns its input into plain records (dataclasses, no Django models) and never writes:
`community.services.imports` matches the records against the catalogue and saves them. A reader
reports an entry it cannot read as a `ParseFailure` in the place the entry had, so one broken entry
never hides the good ones around it.
"""

from dataclasses import dataclass, field


class ImportFileError(ValueError):
    """The whole input is unreadable (not UTF-8, not YAML, not a list...): nothing in it was read."""


@dataclass(frozen=True)
class ParseFailure:
    """An entry the reader could not turn into a record; `ref` names it as the report will."""

    ref: str
    reason: str


@dataclass(frozen=True)
class Record:
    """What every reader's record has: `ref`, the name the report gives it ("entry 3", "record 12"),
    and `notes`, what the reader noticed but read anyway (a value it left out, a field it fixed).
    `notes` is keyword-only, so a record's own fields follow `ref` in its constructor."""

    ref: str
    notes: tuple[str, ...] = field(default=(), kw_only=True)


@dataclass(frozen=True)
class PaperRecord(Record):
    """A paper as an outside source describes it. Empty strings mean "not stated".

    `authors` are full names, first name first, already decoded to Unicode. `arxiv_id` and `doi`
    are in the normalised forms of `community.identifiers`. `venue_name` is the booktitle or
    journal as written; the service matches it against the catalogue's venues.
    """

    title: str
    year: int
    authors: tuple[str, ...] = ()
    abstract: str = ""
    arxiv_id: str = ""
    doi: str = ""
    venue_name: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    url: str = ""
    pdf_url: str = ""
