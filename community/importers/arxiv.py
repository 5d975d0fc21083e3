"""arXiv ids -> `PaperRecord`s, from the arXiv API through the `arxiv` package.

`fetch_arxiv` is the one function here that touches the network (one request per 100 ids, and the
client waits 3 s between requests, as arXiv's terms ask); `record_from_result` is pure. Tests give
the client recorded Atom responses (tests/fixtures/arxiv/) instead of the network.
"""

import re
from collections.abc import Iterable

import arxiv
import requests
from django.utils.translation import gettext

from community.identifiers import normalize_arxiv_id, normalize_doi

from . import PaperRecord, ParseFailure

# The arxiv package sets no timeout on its requests; a stalled connection would hold a command (or a
# moderator's upload) forever.
REQUEST_TIMEOUT_S = 30


class _TimeoutSession(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT_S)
        return super().request(*args, **kwargs)


def make_client() -> arxiv.Client:
    """An arXiv API client that waits 3 s between requests, retries 3 times and times out."""
    client = arxiv.Client(page_size=100, delay_seconds=3.0, num_retries=3)
    # The package keeps its requests.Session in a private attribute; replacing it is the only way
    # to give its requests a timeout.
    client._session = _TimeoutSession()
    return client


def _text(value: str | None) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


def _paragraphs(value: str | None) -> str:
    # The API wraps abstracts at about 80 columns; a blank line is a paragraph break.
    return "\n\n".join(t for t in (_text(p) for p in re.split(r"\n\s*\n", value or "")) if t)


def record_from_result(result: arxiv.Result, *, ref: str = "") -> PaperRecord:
    """A record of one API result. Raises ValueError when its id is not an arXiv id."""
    arxiv_id = normalize_arxiv_id(result.get_short_id())
    notes = []
    doi = ""
    # Authors type the DOI field by hand: sometimes two DOIs, sometimes not a DOI at all.
    for candidate in (result.doi or "").replace(",", " ").split():
        try:
            doi = normalize_doi(candidate)
            break
        except ValueError:
            continue
    if result.doi and not doi:
        notes.append(
            gettext("arXiv's DOI field “%(doi)s” is not a DOI; left out") % {"doi": _text(result.doi)}
        )
    return PaperRecord(
        ref=ref or arxiv_id,
        title=_text(result.title),
        year=result.published.year,
        authors=tuple(name for name in (_text(a.name) for a in result.authors) if name),
        abstract=_paragraphs(result.summary),
        arxiv_id=arxiv_id,
        doi=doi,
        # Without the version, so a new version of the paper does not change the record.
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
        notes=tuple(notes),
    )


def fetch_arxiv(
    ids: Iterable[str], *, client: arxiv.Client | None = None
) -> list[PaperRecord | ParseFailure]:
    """One record or failure per distinct id asked for, in the order asked.

    Ids are checked before anything is sent: arXiv answers a query with one malformed id with an
    error for the whole query.
    """
    wanted: dict[str, str] = {}  # normalised id -> id as given
    items: list[tuple[str, str]] = []  # (id as given, normalised id or "")
    failures: dict[str, ParseFailure] = {}
    for raw in ids:
        raw = raw.strip()
        if not raw:
            continue
        try:
            arxiv_id = normalize_arxiv_id(raw)
        except ValueError as exc:
            failures[raw] = ParseFailure(ref=raw, reason=str(exc))
            items.append((raw, ""))
            continue
        if arxiv_id not in wanted:
            wanted[arxiv_id] = raw
            items.append((raw, arxiv_id))

    found: dict[str, PaperRecord] = {}
    if wanted:
        client = client or make_client()
        search = arxiv.Search(id_list=list(wanted), max_results=len(wanted))
        try:
            results = list(client.results(search))
        except (arxiv.ArxivError, requests.RequestException) as exc:
            reason = gettext(
                "the arXiv API did not answer (%(error)s); nothing was imported, try again later."
            ) % {"error": exc}
            return [failures.get(raw) or ParseFailure(ref=raw, reason=reason) for raw, _ in items]
        for result in results:
            try:
                record = record_from_result(result)
            except ValueError:
                continue  # an error entry (arXiv reports errors as entries), not a paper
            if record.arxiv_id in wanted and record.title:
                found[record.arxiv_id] = record

    out: list[PaperRecord | ParseFailure] = []
    for raw, arxiv_id in items:
        if not arxiv_id:
            out.append(failures[raw])
        elif arxiv_id in found:
            out.append(found[arxiv_id])
        else:
            out.append(
                ParseFailure(ref=arxiv_id, reason=gettext("arXiv has no paper with this id; check it."))
            )
    return out
