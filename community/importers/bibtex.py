"""BibTeX -> `PaperRecord`s, with bibtexparser 2.

LaTeX in values is decoded to Unicode (`Kaiser, {\\L}ukasz` -> `Łukasz Kaiser`, `M{\\"u}ller` ->
`Müller`), braces that only protect capitals are dropped, and math (`$x^2$`) is kept as written, since
the pages render it. An entry the parser cannot read comes back as a `ParseFailure` naming its key and
line; the entries around it are still read.
"""

import logging
import re
from functools import cache

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.middlewares.names import NameParts
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)
from django.utils.translation import gettext
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from community.identifiers import normalize_arxiv_id, normalize_doi

from . import ImportFileError, PaperRecord, ParseFailure

# Journal lines that name arXiv rather than a venue: Google Scholar writes "arXiv preprint
# arXiv:1706.03762", DBLP "CoRR abs/1706.03762".
_ARXIV_JOURNAL = re.compile(r"^\s*(arxiv(\s+preprint)?|corr)\b", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv:|abs/|arxiv\.org/(?:abs|pdf)/)\s*([a-z\-]+(?:\.[a-z]{2})?/\d{7}|\d{4}\.\d{4,5})", re.I
)
# DataCite's DOIs for arXiv papers carry the arXiv id: 10.48550/arXiv.1412.6980.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_YEAR = re.compile(r"^\s*\{?\s*(\d{4})")
_ENTRY_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s]+)")
# "and others" is BibTeX's "et al.": not a person.
_OTHERS = {"others", "et al", "et al."}

# bibtexparser logs each broken block as a warning, counting lines from 0; the import report says
# the same thing counting from 1, and two line numbers for one entry would only confuse.
logging.getLogger("bibtexparser").setLevel(logging.ERROR)


@cache
def _decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    # \url{...} stays the bare address (pylatexenc's default wraps it in < >).
    context.add_context_category(
        "deepcommons-bibtex", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")]
    )
    return LatexNodes2Text(latex_context=context, math_mode="verbatim", keep_braced_groups=False)


class LatexToUnicode(middlewares.BlockMiddleware):
    """bibtexparser's LatexDecodingMiddleware, for lists of names too (it skips a list, so an author
    field split into names would keep its LaTeX). A value pylatexenc cannot read fails its entry."""

    def __init__(self) -> None:
        super().__init__(allow_inplace_modification=True, allow_parallel_execution=True)

    def transform_entry(self, entry: Entry, library) -> Entry | MiddlewareErrorBlock:
        decode = _decoder().latex_to_text
        try:
            for item in entry.fields:
                if isinstance(item.value, str):
                    item.value = decode(item.value)
                elif isinstance(item.value, list):
                    item.value = [
                        NameParts(
                            first=[decode(p) for p in name.first],
                            von=[decode(p) for p in name.von],
                            last=[decode(p) for p in name.last],
                            jr=[decode(p) for p in name.jr],
                        )
                        if isinstance(name, NameParts)
                        else decode(str(name))
                        for name in item.value
                    ]
        except Exception as exc:  # pylatexenc raises its own parse errors
            return MiddlewareErrorBlock(block=entry, error=exc)
        return entry


def _parse_stack() -> list:
    # Names are split before decoding, so braces that group a name ("{Google Brain Team}") or hide
    # an accent ("{\L}ukasz") still mean what they meant to BibTeX when the name is split.
    return [middlewares.SeparateCoAuthors(), middlewares.SplitNameParts(), LatexToUnicode()]


def parse_bibtex(text: str) -> list[PaperRecord | ParseFailure]:
    """Every entry of `text`, in file order: a record, or a failure saying what is wrong with it.

    Raises ImportFileError when bibtexparser cannot read the text at all.
    """
    try:
        library = bibtexparser.parse_string(text, append_middleware=_parse_stack())
    except Exception as exc:  # bibtexparser raises its internal errors as they are
        raise ImportFileError(
            gettext("bibtexparser could not read the file (%(error)s).") % {"error": exc}
        ) from exc
    items: list[PaperRecord | ParseFailure] = []
    for block in library.blocks:
        if isinstance(block, ParsingFailedBlock):
            items.append(_failure(block))
        elif isinstance(block, Entry):
            items.append(_record(block))
        # @string, @preamble and comments are not papers.
    return items


def _line(block) -> str:
    # bibtexparser counts lines from 0; editors count from 1.
    if block.start_line is None:
        return gettext("unknown line")
    return gettext("line %(number)s") % {"number": block.start_line + 1}


def _failure(block: ParsingFailedBlock) -> ParseFailure:
    key = getattr(block, "key", None)
    if not key:
        match = _ENTRY_KEY.match(block.raw or "")
        key = match.group(1) if match else ""
    ref = f"{key} ({_line(block)})" if key else gettext("entry at %(line)s") % {"line": _line(block)}
    error = block.error
    if isinstance(block, DuplicateBlockKeyBlock):
        reason = gettext("an earlier entry has the same key; give every entry its own key.")
    elif isinstance(block, DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        reason = gettext("the field %(fields)s is given twice; keep one.") % {"fields": fields}
    elif isinstance(block, MiddlewareErrorBlock):
        reason = gettext("the entry's values could not be read (%(error)s).") % {"error": error}
    elif isinstance(error, BlockAbortedException):
        reason = gettext("not valid BibTeX: %(error)s. Check the braces and quotes of this entry.") % {
            "error": error.abort_reason.strip().rstrip(".")
        }
    else:
        reason = gettext("not valid BibTeX (%(error)s).") % {"error": error}
    return ParseFailure(ref=ref, reason=reason)


def _text(value) -> str:
    """One line of text: BibTeX values wrap wherever the editor wrapped them."""
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _paragraphs(value) -> str:
    """Abstracts keep their paragraphs (blank lines); lines inside a paragraph are joined."""
    paragraphs = re.split(r"\n\s*\n", str(value or ""))
    return "\n\n".join(text for text in (_text(p) for p in paragraphs) if text)


def _person_name(parts: NameParts) -> str:
    return _text(parts.merge_first_name_first)


def _arxiv_from(fields: dict[str, object]) -> str:
    """The arXiv id an entry states: eprint (with archivePrefix or eprinttype arXiv, or none that
    names another archive), else one written into the journal, URL or an arXiv DOI."""
    eprint = _text(fields.get("eprint"))
    archive = _text(fields.get("archiveprefix") or fields.get("eprinttype")).lower()
    if eprint and archive in ("arxiv", ""):
        try:
            return normalize_arxiv_id(eprint)
        except ValueError:
            if archive == "arxiv":
                raise ValueError(
                    gettext("eprint: %(value)s is not an arXiv identifier.") % {"value": repr(eprint)}
                ) from None
    for name in ("journal", "url", "note", "howpublished"):
        match = _ARXIV_IN_TEXT.search(_text(fields.get(name)))
        if match:
            try:
                return normalize_arxiv_id(match.group(1))
            except ValueError:
                continue
    match = _ARXIV_DOI.match(_text(fields.get("doi")))
    if match:
        try:
            return normalize_arxiv_id(match.group(1))
        except ValueError:
            pass
    return ""


def _record(entry: Entry) -> PaperRecord | ParseFailure:
    ref = f"{entry.key} ({_line(entry)})"
    # BibTeX field names are case-insensitive: archivePrefix, ArchivePrefix and archiveprefix.
    fields = {field.key.lower(): field.value for field in entry.fields}
    title = _text(fields.get("title"))
    if not title:
        return ParseFailure(ref=ref, reason=gettext("it has no title; add title = {...}."))
    match = _YEAR.match(_text(fields.get("year") or fields.get("date")))
    if not match:
        return ParseFailure(ref=ref, reason=gettext("it has no year; add year = {2017}."))
    try:
        arxiv_id = _arxiv_from(fields)
        doi = normalize_doi(_text(fields.get("doi")))
    except ValueError as exc:
        return ParseFailure(ref=ref, reason=str(exc))

    notes = []
    authors = []
    names = fields.get("author") or []
    for parts in names if isinstance(names, list) else []:
        name = _person_name(parts) if isinstance(parts, NameParts) else _text(parts)
        if name.lower() in _OTHERS:
            notes.append(gettext("the author list ends with “and others”: only the named authors are linked"))
        elif name:
            authors.append(name)

    venue_name = _text(fields.get("booktitle") or fields.get("journal"))
    if venue_name and _ARXIV_JOURNAL.match(venue_name):
        venue_name = ""  # an arXiv preprint: the arXiv id says it, there is no venue
    return PaperRecord(
        ref=ref,
        title=title,
        year=int(match.group(1)),
        authors=tuple(authors),
        abstract=_paragraphs(fields.get("abstract")),
        arxiv_id=arxiv_id,
        doi=doi,
        venue_name=venue_name,
        volume=_text(fields.get("volume")),
        issue=_text(fields.get("number") or fields.get("issue")),
        pages=_text(fields.get("pages")),
        url=_text(fields.get("url")),
        notes=tuple(notes),
    )
