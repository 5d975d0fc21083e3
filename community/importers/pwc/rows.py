"""Turning the archive's flat records (papers, code links, methods, datasets) into plain rows.

Each `*_row(raw, ref, used)` returns a row or raises Refused with the reason; it adds the field names
it read to `used`, so that the reader can count the fields nobody reads (a report line, not an error).
"""

from urllib.parse import urlsplit

from django.utils.translation import gettext

from community.identifiers import normalize_arxiv_id, normalize_doi, normalize_repo_url

from . import values as v
from .records import CodeLinkRow, DatasetRow, MethodMention, MethodRow, PaperRow

TITLE_MAX = 400
NAME_MAX = 300
ABSTRACT_MAX = 100_000  # characters; a 10 MB abstract is refused, not cut
DESCRIPTION_MAX = 100_000
URL_MAX = 500
# Where a paper's code lives. Anything else in repo_url (a paper, a home page) is no repository.
FORGES = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "git.sr.ht",
          "sourceforge.net", "huggingface.co")  # fmt: skip


class Refused(ValueError):
    """A record that cannot be imported; the message says why."""


def _url(raw, notes: list[str], name: str) -> str:
    value = v.text(raw)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > URL_MAX or " " in value:
        notes.append(gettext("%(field)s is not a web address; left out") % {"field": name})
        return ""
    return value


def _long_text(raw, limit: int, name: str) -> str:
    value = v.text(raw)
    if len(value) > limit:
        raise Refused(
            gettext("its %(field)s is %(length)s characters long (at most %(limit)s)")
            % {"field": name, "length": len(value), "limit": limit}
        )
    return value


def _title(raw, name: str = "title") -> str:
    title = v.text(raw)
    if not title:
        raise Refused(gettext("it has no %(field)s") % {"field": name})
    return title[:TITLE_MAX]


def _arxiv(raw, notes: list[str]) -> str:
    try:
        return normalize_arxiv_id(v.text(raw))
    except ValueError:
        notes.append(gettext("arxiv_id %(value)s is not an arXiv identifier; left out") % {"value": raw})
        return ""


def _doi_from(url: str) -> str:
    if "doi.org/" not in url:
        return ""
    try:
        return normalize_doi(url)
    except ValueError:
        return ""


def _dicts(raw, *keys: str) -> tuple[dict, ...]:
    """A list of small objects kept as JSON (collections, data loaders, links): the named keys only."""
    if not isinstance(raw, list | tuple):
        return ()
    return tuple(
        {key: v.text(item.get(key), URL_MAX) if not isinstance(item.get(key), list) else
         [v.text(x, 100) for x in item.get(key) if x] for key in keys}
        for item in raw if isinstance(item, dict)
    )  # fmt: skip


def paper_row(raw: dict, ref: str, used: set[str]) -> PaperRow:
    used.update(("paper_url", "arxiv_id", "title", "abstract", "url_abs", "url_pdf", "proceeding",
                 "authors", "tasks", "date", "methods"))  # fmt: skip
    notes: list[str] = []
    title = _title(raw.get("title"))
    arxiv_id = _arxiv(raw.get("arxiv_id"), notes)
    published = v.parse_date(raw.get("date"))
    year = published.year if published else _arxiv_year(arxiv_id)
    if year is None:
        raise Refused(gettext("it has no date and no arXiv identifier to tell its year"))
    url = _url(raw.get("url_abs"), notes, "url_abs")
    methods = tuple(
        MethodMention(v.text(m.get("name"), NAME_MAX), v.text(m.get("full_name"), NAME_MAX),
                      v.text(m.get("description"), DESCRIPTION_MAX))
        for m in (raw.get("methods") or []) if isinstance(m, dict) and v.text(m.get("name"))
    )  # fmt: skip
    return PaperRow(
        ref=ref,
        title=title,
        year=year,
        pwc_url=_url(raw.get("paper_url"), notes, "paper_url"),
        arxiv_id=arxiv_id,
        doi=_doi_from(url),
        abstract=_long_text(raw.get("abstract"), ABSTRACT_MAX, "abstract"),
        url=url,
        pdf_url=_url(raw.get("url_pdf"), notes, "url_pdf"),
        proceeding=v.text(raw.get("proceeding"), 200),
        published=published,
        authors=v.name_list(raw.get("authors")),
        tasks=v.name_list(raw.get("tasks")),
        methods=methods,
        notes=tuple(notes),
    )


def _arxiv_year(arxiv_id: str) -> int | None:
    """1706.03762 -> 2017; hep-th/9901001 -> 1999."""
    digits = arxiv_id.split("/")[-1][:2]
    if not digits.isdigit():
        return None
    return (1900 if int(digits) >= 91 else 2000) + int(digits)


def is_repository(url: str) -> bool:
    """A normalised repository address on a known forge (or a self-hosted GitLab/Git), with an owner
    and a name in its path."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    known = host in FORGES or host.startswith(("gitlab.", "git."))
    return known and len([p for p in parts.path.split("/") if p]) >= 2


def code_link_row(raw: dict, ref: str, used: set[str]) -> CodeLinkRow:
    used.update(("paper_url", "paper_title", "paper_arxiv_id", "paper_url_abs", "paper_url_pdf", "repo_url",
                 "is_official", "mentioned_in_paper", "mentioned_in_github", "framework"))  # fmt: skip
    notes: list[str] = []
    given = v.text(raw.get("repo_url"))
    if not given:
        raise Refused(gettext("it has no repo_url"))
    try:
        repo_url = normalize_repo_url(given)
    except ValueError:
        repo_url = ""
    if not repo_url or not is_repository(repo_url) or len(repo_url) > 200:
        raise Refused(gettext("repo_url %(value)s is not a repository address") % {"value": given[:200]})
    link = CodeLinkRow(
        ref=ref,
        repo_url=repo_url,
        paper_pwc_url=_url(raw.get("paper_url"), notes, "paper_url"),
        paper_title=v.text(raw.get("paper_title"), TITLE_MAX),
        paper_arxiv_id=_arxiv(raw.get("paper_arxiv_id"), notes),
        paper_url=_url(raw.get("paper_url_abs"), notes, "paper_url_abs"),
        is_official=v.flag(raw.get("is_official")),
        mentioned_in_paper=v.flag(raw.get("mentioned_in_paper")),
        mentioned_in_github=v.flag(raw.get("mentioned_in_github")),
        framework=v.text(raw.get("framework"), 60).lower(),
        notes=tuple(notes),
    )
    if not (link.paper_pwc_url or link.paper_arxiv_id or link.paper_title):
        raise Refused(gettext("it names no paper (paper_url, paper_arxiv_id or paper_title)"))
    return link


def _paper_ref(raw) -> tuple[str, str]:
    paper = raw if isinstance(raw, dict) else {}
    url = v.text(paper.get("url"))
    return v.text(paper.get("title"), TITLE_MAX), url if url.startswith(("http://", "https://")) else ""


# What the methods and datasets files share: name, full name, description, page, paper, paper count.
_CATALOGUED = ("url", "name", "full_name", "description", "paper", "num_papers")


def _catalogued(raw: dict, used: set[str], notes: list[str]) -> dict:
    used.update(_CATALOGUED)
    paper_title, paper_url = _paper_ref(raw.get("paper"))
    return {
        "name": _title(raw.get("name"), "name")[:NAME_MAX],
        "full_name": v.text(raw.get("full_name"), NAME_MAX),
        "description": _long_text(raw.get("description"), DESCRIPTION_MAX, "description"),
        "pwc_url": _url(raw.get("url"), notes, "url"),
        "paper_title": paper_title,
        "paper_url": paper_url,
        "num_papers": v.count(raw.get("num_papers")),
    }


def method_row(raw: dict, ref: str, used: set[str]) -> MethodRow:
    used.update(("introduced_year", "source_url", "source_title", "code_snippet_url", "collections"))
    notes: list[str] = []
    common = _catalogued(raw, used, notes)
    return MethodRow(
        ref=ref,
        introduced_year=v.parse_year(raw.get("introduced_year")),
        source_url=_url(raw.get("source_url"), notes, "source_url"),
        source_title=v.text(raw.get("source_title"), TITLE_MAX),
        code_snippet_url=_url(raw.get("code_snippet_url"), notes, "code_snippet_url"),
        collections=_dicts(raw.get("collections"), "collection", "area"),
        notes=tuple(notes),
        **common,
    )


def dataset_row(raw: dict, ref: str, used: set[str]) -> DatasetRow:
    used.update(
        ("homepage", "introduced_date", "modalities", "tasks", "languages", "variants", "data_loaders")
    )
    notes: list[str] = []
    common = _catalogued(raw, used, notes)
    tasks = tuple(
        name for name in (v.text(t.get("task"), NAME_MAX) if isinstance(t, dict) else v.text(t, NAME_MAX)
                          for t in (raw.get("tasks") or [])) if name
    )  # fmt: skip
    return DatasetRow(
        ref=ref,
        homepage=_url(raw.get("homepage"), notes, "homepage"),
        introduced_date=v.parse_date(raw.get("introduced_date")),
        modalities=v.name_list(raw.get("modalities")),
        languages=v.name_list(raw.get("languages")),
        variants=tuple(name for name in v.name_list(raw.get("variants")) if name != common["name"]),
        tasks=tasks,
        data_loaders=_dicts(raw.get("data_loaders"), "url", "repo", "frameworks"),
        notes=tuple(notes),
        **common,
    )
