"""Reading the catalogue out: BibTeX for papers, and JSON or CSV dumps of everything published.

Only published items leave the site, and a link from a published item to one under review is left
empty, as the pages leave it out.
"""

import csv
import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from pylatexenc.latexencode import RULE_REGEX, UnicodeToLatexConversionRule, UnicodeToLatexEncoder

from community.csv_cells import csv_cell
from community.kinds import REGISTRY
from community.models import Deadline, ModerationStatus, Paper, Venue
from community.selectors._common import ordered_authorships

PUBLISHED = ModerationStatus.PUBLISHED

# --- BibTeX ----------------------------------------------------------------------------------------

# Math ($x^2$) stays as written; everything else becomes LaTeX (Ł -> {\L}, & -> \&, { -> \{), so the
# output works with classic BibTeX as well as biber.
_LATEX = UnicodeToLatexEncoder(
    conversion_rules=[
        UnicodeToLatexConversionRule(
            rule_type=RULE_REGEX, rule=[(re.compile(r"(?<!\\)(\$.*?[^\\]\$)"), r"\1")]
        ),
        "defaults",
    ],
    unknown_char_warning=False,
)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _latex(text: str, *, paragraphs: bool = False) -> str:
    """LaTeX for a BibTeX value: one line, or (`paragraphs`) paragraphs split by blank lines.

    BibTeX counts braces even when they are escaped, so a value whose braces do not pair up (which
    would end the field early, and let a title write fields of its own) gets parentheses instead.
    `@` becomes `{@}`: bibtexparser reads `@word{` or `@word(` anywhere as the start of an entry.
    """
    parts = re.split(r"\n\s*\n", text or "") if paragraphs else [text or ""]
    parts = [re.sub(r"\s+", " ", part).strip() for part in parts]
    text = "\n\n".join(part for part in parts if part)
    if not _balanced(text):
        text = text.replace("{", "(").replace("}", ")")
    return _LATEX.unicode_to_latex(text).replace("@", "{@}")


def _verbatim(text: str) -> str:
    """URLs and identifiers go in as they are, minus anything that could end the field."""
    return re.sub(r"[\s{}]", "", text or "")


def paper_bibtex_entry(paper: Paper) -> Entry:
    """The paper as a BibTeX entry keyed by its slug; authors and venue only where published.

    Expects `paper.authorships` prefetched in order with their people (the selectors do)."""
    venue = paper.venue if paper.venue_id and paper.venue.status == PUBLISHED else None
    names = [a.person.name for a in paper.authorships.all() if a.person.status == PUBLISHED]
    fields = [("title", _latex(paper.title))]
    if names:
        fields.append(("author", " and ".join(_latex(name) for name in names)))
    if venue is None:
        entry_type = "misc"
    elif venue.kind == Venue.Kind.JOURNAL:
        entry_type = "article"
        fields.append(("journal", _latex(venue.full_name or venue.name)))
    else:
        entry_type = "inproceedings"
        fields.append(("booktitle", _latex(venue.full_name or venue.name)))
    fields.append(("year", str(paper.year)))
    for name, value in (("volume", paper.volume), ("number", paper.issue)):
        if value:
            fields.append((name, _latex(value)))
    if paper.pages:
        fields.append(("pages", _latex(paper.pages.replace("–", "--"))))
    if paper.doi:
        fields.append(("doi", _verbatim(paper.doi)))
    if paper.arxiv_id:
        fields += [("eprint", _verbatim(paper.arxiv_id)), ("archivePrefix", "arXiv")]
    url = paper.url or paper.arxiv_url
    if url:
        fields.append(("url", _verbatim(url)))
    if paper.abstract:
        fields.append(("abstract", _latex(paper.abstract, paragraphs=True)))
    return Entry(entry_type=entry_type, key=paper.slug, fields=[Field(key=k, value=v) for k, v in fields])


def paper_bibtex(papers: Iterable[Paper]) -> str:
    """A BibTeX file with one entry per paper, in the order given."""
    library = Library()
    for paper in papers:
        library.add(paper_bibtex_entry(paper))
    return bibtexparser.write_string(library)


# --- the catalogue as JSON or CSV ------------------------------------------------------------------

# Every registered kind (community.kinds), as (file name, model), in the order a reader needs them:
# what is linked to comes first, deadlines after editions; a kind not named here comes last.
_EXPORT_ORDER = ("topic", "organization", "person", "venue", "edition", "paper", "project", "channel", "job")


def _export_types() -> tuple[tuple[str, type[models.Model]], ...]:
    rank = {name: position for position, name in enumerate(_EXPORT_ORDER)}
    types: list[tuple[str, type[models.Model]]] = []
    for kind in sorted(REGISTRY, key=lambda kind: rank.get(kind.name, len(rank))):
        types.append((kind.collection, kind.model))
        if kind.name == "edition":
            types.append(("deadlines", Deadline))
    return tuple(types)


EXPORT_TYPES = _export_types()
# Internal bookkeeping, not catalogue content.
_SKIPPED_FIELDS = {"status", "created_by"}
FORMATS = ("json", "csv")


def _columns(model: type[models.Model]) -> tuple[list[models.Field], list[models.Field]]:
    concrete = [
        f
        for f in model._meta.concrete_fields
        if f.name not in _SKIPPED_FIELDS
        and not (f.name == "id" and any(x.name == "slug" for x in model._meta.fields))
    ]
    many = [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]
    return concrete, many


def _queryset(model: type[models.Model]) -> QuerySet:
    concrete, many = _columns(model)
    queryset = Deadline.objects.public() if model is Deadline else model.objects.published()
    related = [f.name for f in concrete if f.is_relation]
    prefetches = [
        Prefetch(f.name, queryset=f.related_model.objects.published().only("pk", "slug").order_by("slug"))
        for f in many
    ]
    if model is Paper:
        prefetches.append(ordered_authorships())
    return queryset.select_related(*related).prefetch_related(*prefetches).order_by("pk")


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _rows(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    concrete, many = _columns(model)
    for item in _queryset(model).iterator(chunk_size=500):
        row: dict[str, Any] = {}
        for f in concrete:
            if f.is_relation:
                target = getattr(item, f.name)
                published = target is not None and getattr(target, "status", PUBLISHED) == PUBLISHED
                row[f.name] = getattr(target, "slug", target.pk) if published else None
            else:
                row[f.name] = _value(getattr(item, f.name))
        for f in many:
            row[f.name] = [related.slug for related in getattr(item, f.name).all()]
        if model is Paper:
            row["authors"] = [a.person.name for a in item.authorships.all()]
        yield row


def catalogue_export(*, fmt: str, output: Path | str) -> dict[Path, int]:
    """Write every published item: JSON to one file (`output`, or `output`/catalogue.json when it
    is a directory or ends with a slash), CSV to one file per type in the directory `output`.
    Returns {path: rows}.

    Lists (topics, authors) are JSON arrays, or `;`-separated in CSV; links are slugs.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use json or csv.")
    names_directory = str(output).endswith(("/", os.sep))
    output = Path(output)
    written: dict[Path, int] = {}
    if fmt == "json":
        path = output / "catalogue.json" if names_directory or output.is_dir() else output
        path.parent.mkdir(parents=True, exist_ok=True)
        document: dict[str, Any] = {"exported_at": _value(timezone.now())}
        for name, model in EXPORT_TYPES:
            document[name] = list(_rows(model))
        with path.open("w", encoding="utf-8") as stream:
            json.dump(document, stream, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        written[path] = sum(len(document[name]) for name, _ in EXPORT_TYPES)
        return written
    if output.exists() and not output.is_dir():
        raise ValueError(f"{output} is a file; CSV needs a directory (one file per type).")
    output.mkdir(parents=True, exist_ok=True)
    for name, model in EXPORT_TYPES:
        concrete, many = _columns(model)
        header = [f.name for f in concrete] + [f.name for f in many] + (["authors"] if model is Paper else [])
        path = output / f"{name}.csv"
        count = 0
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=header)
            writer.writeheader()
            for row in _rows(model):
                writer.writerow({key: csv_cell(value) for key, value in row.items()})
                count += 1
        written[path] = count
    return written
