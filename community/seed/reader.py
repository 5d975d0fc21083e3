"""Reading and checking the seed files before anything touches the database.

Each family has one file, `<family>.yaml`, holding a list of items. Items name each other by seed
slug (a paper's `authors: [yann-lecun, ...]`), and a family only names families read before it, so
the loader can create everything in one pass in file order, which also keeps primary keys the same
from one empty database to the next.

The guides are Markdown files instead, `guides/<language>/<slug>.md` with YAML front matter (see
`read_guides`); they come last, since they may name an item of any family.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from community.identifiers import normalize_arxiv_id, normalize_doi, normalize_repo_url


class SeedDataError(ValueError):
    """The seed files are malformed; the message names the file and the item and says what to fix."""


@dataclass(frozen=True)
class Field:
    kind: str  # str, int, date, bool, amount, list (of seed slugs), editions
    required: bool = False
    ref: str | None = None  # the family whose seed slugs this field names


def _text(required: bool = False) -> Field:
    return Field("str", required)


def _named(title: str = "name") -> dict[str, Field]:
    """The two fields every item has: its slug and its name (or `title`)."""
    return {"slug": _text(True), title: _text(True)}


def _translated(name: str) -> dict[str, Field]:
    """A text stored per language: the bare field is the English text, `<name>_zh_hans` the Chinese."""
    return {name: _text(), f"{name}_zh_hans": _text()}


EDITION_FIELDS: dict[str, Field] = {
    "year": Field("int", True),
    "city": _text(),
    "country": _text(),
    "start_date": Field("date"),
    "end_date": Field("date"),
    "website": _text(),
    "external_id": _text(),
}

# The catalogue's own prose is stored per language (community/translation.py): a bare `description`
# is the English text, `description_zh_hans` the Chinese one; names, titles and abstracts are one text.
# Load order: topics first, because everything else links to them; a family only refers to the
# families above it.
SCHEMAS: dict[str, dict[str, Field]] = {
    "topics": {
        **_named(),
        "description": _text(),
        # The Chinese text (community/translation.py); the bare fields are the English one.
        "name_zh_hans": _text(),
        "description_zh_hans": _text(),
        "parent": Field("str", ref="topics"),
    },
    "organizations": {
        **_named(),
        "kind": _text(True),
        **_translated("description"),
        "country": _text(),
        "website": _text(),
        "topics": Field("list", ref="topics"),
    },
    "venues": {
        **_named(),
        "kind": _text(True),
        "full_name": _text(),
        "publisher": _text(),
        "website": _text(),
        **_translated("description"),
        "topics": Field("list", ref="topics"),
        "editions": Field("editions"),
    },
    "people": {
        **_named(),
        "affiliation": Field("str", ref="organizations"),
        "homepage": _text(),
        "orcid": _text(),
        **_translated("bio"),
    },
    "projects": {
        **_named(),
        "kind": _text(True),
        "repository_url": _text(True),
        **_translated("description"),
        "homepage": _text(),
        "license": _text(),
        "language": _text(),
        "organization": Field("str", ref="organizations"),
        "topics": Field("list", ref="topics"),
    },
    "channels": {
        **_named(),
        "kind": _text(True),
        "url": _text(True),
        **_translated("description"),
        "topics": Field("list", ref="topics"),
    },
    "papers": {
        **_named("title"),
        "year": Field("int", True),
        "authors": Field("list", True, ref="people"),
        "venue": Field("str", ref="venues"),
        "edition": Field("int"),  # the year of one of the venue's editions
        "volume": _text(),
        "issue": _text(),
        "pages": _text(),
        "arxiv_id": _text(),
        "doi": _text(),
        "url": _text(),
        "pdf_url": _text(),
        "code_url": _text(),
        "abstract": _text(),
        "topics": Field("list", ref="topics"),
        "projects": Field("list", ref="projects"),
    },
    "funding": {
        **_named("title"),
        "funder": Field("str", True, ref="organizations"),
        "kind": _text(True),
        "url": _text(True),
        **_translated("description"),
        **_translated("eligibility"),
        # Takes applications all year; without it, a call with no deadline shows "date not announced".
        "rolling": Field("bool"),
        "currency": _text(),
        "amount_min": Field("amount"),
        "amount_max": Field("amount"),
        "topics": Field("list", ref="topics"),
    },
    "jobs": {
        **_named("title"),
        "organization": Field("str", True, ref="organizations"),
        "kind": _text(True),
        "apply_url": _text(True),
        "posted_on": Field("date", True),
        "closes_on": Field("date"),
        **_translated("description"),
        "location": _text(),
        "remote": Field("bool"),
        "topics": Field("list", ref="topics"),
    },
    # The /history/ timeline: each event points at the paper or the project it is about.
    "history": {
        "slug": _text(True),
        "year": Field("int", True),
        "text_en": _text(True),
        "text_zh_hans": _text(),
        "paper": Field("str", ref="papers"),
        "project": Field("str", ref="projects"),
    },
}
FAMILIES: tuple[str, ...] = tuple(SCHEMAS)

GUIDES_DIR = "guides"
GUIDE_LANGUAGES = ("en", "zh-hans")
# Front-matter key -> the family whose seed slugs it names; the links are the English file's, and a
# translation must repeat them unchanged.
GUIDE_LINKS: dict[str, str] = {
    "topics": "topics",
    "papers": "papers",
    "projects": "projects",
    "venues": "venues",
    "organizations": "organizations",
    "channels": "channels",
}
GUIDE_KEYS = {"title", "summary", "order", "benchmark", "reviewed", *GUIDE_LINKS}
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)

# Fields that identify an item in the database (the loader looks rows up by them), so two seed items
# may not share a value: the second would overwrite the first on every run.
_IDENTIFYING: dict[str, tuple[tuple[str, Any], ...]] = {
    "topics": (("name", str),),
    "organizations": (("name", str),),
    "venues": (("name", str),),
    "channels": (("name", str),),
    "projects": (("repository_url", normalize_repo_url),),
    "papers": (("arxiv_id", normalize_arxiv_id), ("doi", normalize_doi)),
}


@dataclass
class SeedData:
    """The items of each family, in file order, as checked dicts (strings stripped)."""

    source: Path
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __getitem__(self, family: str) -> list[dict[str, Any]]:
        return self.items.get(family, [])


def read_seed(data_dir: Path) -> SeedData:
    """Parse and check every `<family>.yaml` in `data_dir`; a family without a file has no items."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise SeedDataError(f"{data_dir} is not a directory of seed files.")
    for path in sorted([*data_dir.glob("*.yaml"), *data_dir.glob("*.yml")]):
        if path.stem not in SCHEMAS:
            raise SeedDataError(
                f"{path.name}: no family of that name; name the file after one of {', '.join(FAMILIES)}."
            )
    data = SeedData(source=data_dir)
    for family in FAMILIES:
        path = data_dir / f"{family}.yaml"
        data.items[family] = _read_family(path, family) if path.exists() else []
    _check_identities(data)
    _check_references(data)
    for item in data["history"]:
        if ("paper" in item) == ("project" in item):
            raise SeedDataError(f"history.yaml ({item['slug']}): name either a paper or a project.")
    data.items["guides"] = read_guides(data_dir / GUIDES_DIR, data)
    return data


def read_guides(guides_dir: Path, data: SeedData) -> list[dict[str, Any]]:
    """The guides of `guides_dir/<language>/<slug>.md`, one item per English file, in slug order.

    An item holds the English `title`, `summary` and `body`, their translations as `title_zh_hans`
    and so on where a translated file exists, `order`, `benchmark` when given, `reviewed` (the day
    the editors last checked the guide, YYYY-MM-DD, the same in every language), and the seed slugs
    of the linked items per family. A directory without guides gives no items.
    """
    if not guides_dir.is_dir():
        return []
    pages = {language: _read_guide_files(guides_dir / language) for language in GUIDE_LANGUAGES}
    strays = sorted(set().union(*(set(p) for lang, p in pages.items() if lang != "en")) - set(pages["en"]))
    if strays:
        raise SeedDataError(
            f"{GUIDES_DIR}/: {', '.join(strays)} translated but with no English file; add guides/en/<slug>.md."
        )
    slugs = {family: {item["slug"] for item in data[family]} for family in FAMILIES}
    orders: dict[int, str] = {}
    items = []
    for slug, (meta, body) in sorted(pages["en"].items()):
        where = f"{GUIDES_DIR}/en/{slug}.md"
        item: dict[str, Any] = {
            "slug": slug,
            "title": meta["title"],
            "summary": meta["summary"],
            "body": body,
        }
        order = meta["order"]
        if order in orders:
            raise SeedDataError(f"{where}: order {order} is also given to {orders[order]}.")
        orders[order] = slug
        item["order"] = order
        item["reviewed"] = meta["reviewed"]
        if "benchmark" in meta:
            item["benchmark"] = meta["benchmark"]
        for key, family in GUIDE_LINKS.items():
            unknown = [target for target in meta[key] if target not in slugs[family]]
            if unknown:
                raise SeedDataError(
                    f"{where}: {key} names {', '.join(map(repr, unknown))}, not defined in {family}.yaml."
                )
            item[key] = meta[key]
        for language in GUIDE_LANGUAGES[1:]:
            if slug not in pages[language]:
                continue
            other, other_body = pages[language][slug]
            for key in (*GUIDE_LINKS, "order", "benchmark", "reviewed"):
                if other.get(key) != meta.get(key):
                    raise SeedDataError(
                        f"{GUIDES_DIR}/{language}/{slug}.md: {key} differs from the English file; "
                        "links, order and the review date are the same in every language."
                    )
            suffix = language.replace("-", "_")
            item |= {f"title_{suffix}": other["title"], f"summary_{suffix}": other["summary"]}
            item[f"body_{suffix}"] = other_body
        items.append(item)
    return items


def _read_guide_files(folder: Path) -> dict[str, tuple[dict[str, Any], str]]:
    """slug -> (checked front matter, Markdown body) of every `*.md` in `folder`."""
    if not folder.is_dir():
        return {}
    pages = {}
    for path in sorted(folder.glob("*.md")):
        where = f"{GUIDES_DIR}/{folder.name}/{path.name}"
        match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        if not match:
            raise SeedDataError(f"{where}: start the file with YAML front matter between two '---' lines.")
        try:
            meta = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise SeedDataError(f"{where}: the front matter is not valid YAML: {exc}") from exc
        if not isinstance(meta, dict):
            raise SeedDataError(f"{where}: the front matter should be a mapping of key: value.")
        unknown = sorted(set(meta) - GUIDE_KEYS)
        missing = sorted(GUIDE_KEYS - {"benchmark"} - set(meta))
        if unknown or missing:
            raise SeedDataError(f"{where}: unknown keys {unknown}, missing keys {missing}.")
        for key in ("title", "summary"):
            meta[key] = _check_value(meta[key], Field("str"), f"{where}: {key}")
        if "benchmark" in meta:
            meta["benchmark"] = _check_value(meta["benchmark"], Field("str"), f"{where}: benchmark")
        meta["order"] = _check_value(meta["order"], Field("int"), f"{where}: order")
        meta["reviewed"] = _check_value(meta["reviewed"], Field("date"), f"{where}: reviewed")
        for key in GUIDE_LINKS:
            # An empty list is a statement too (the guide links nothing of that kind).
            meta[key] = _check_value(meta[key], Field("list"), f"{where}: {key}") if meta[key] else []
        body = match.group(2).strip()
        if not body:
            raise SeedDataError(f"{where}: the guide has no text after its front matter.")
        pages[path.stem] = (meta, body)
    return pages


def _read_family(path: Path, family: str) -> list[dict[str, Any]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SeedDataError(f"{path.name}: not valid YAML: {exc}") from exc
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise SeedDataError(f"{path.name}: expected a list of items at the top level.")
    items = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        where = f"{path.name}: item {index + 1}"
        item = _check_mapping(entry, SCHEMAS[family], where)
        if item["slug"] in seen:
            raise SeedDataError(f"{where}: slug {item['slug']!r} is used twice in this file.")
        seen.add(item["slug"])
        items.append(item)
    return items


def _check_mapping(entry: Any, schema: dict[str, Field], where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise SeedDataError(f"{where}: expected a mapping of field: value.")
    if isinstance(entry.get("slug"), str):
        where = f"{where} ({entry['slug']})"
    unknown = sorted(set(entry) - set(schema))
    if unknown:
        raise SeedDataError(
            f"{where}: unknown field(s) {', '.join(map(str, unknown))}; known: {', '.join(schema)}."
        )
    item = {}
    for name, spec in schema.items():
        if name not in entry or entry[name] is None:
            if spec.required:
                raise SeedDataError(f"{where}: {name} is required.")
            continue
        item[name] = _check_value(entry[name], spec, f"{where}: {name}")
    return item


def _check_value(value: Any, spec: Field, where: str) -> Any:
    # bool is an int in Python, and YAML reads yes/no as booleans: rule it out everywhere but bool.
    if spec.kind == "str":
        if not isinstance(value, str):
            # YAML reads 1706.03762 as a float and 2278-2324 stays a string only by luck: quote it.
            raise SeedDataError(f"{where}: expected text, got {value!r}; quote it in the YAML.")
        value = value.strip()
        if not value:
            raise SeedDataError(f"{where}: is empty; leave the field out instead.")
        return value
    if spec.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise SeedDataError(f"{where}: expected a whole number, got {value!r}.")
        return value
    if spec.kind == "date":
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise SeedDataError(f"{where}: expected a date written YYYY-MM-DD, got {value!r}.")
        return value
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise SeedDataError(f"{where}: expected true or false, got {value!r}.")
        return value
    if spec.kind == "amount":
        # A float would carry binary rounding into a DecimalField; whole numbers or quoted decimals.
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise SeedDataError(f"{where}: expected a whole number or a quoted decimal, got {value!r}.")
        return value
    if spec.kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise SeedDataError(f"{where}: expected a list of slugs.")
        value = [v.strip() for v in value]
        if len(set(value)) != len(value):
            raise SeedDataError(f"{where}: names the same slug twice.")
        if spec.required and not value:
            raise SeedDataError(f"{where}: must name at least one item.")
        return value
    if spec.kind == "editions":
        if not isinstance(value, list):
            raise SeedDataError(f"{where}: expected a list of editions.")
        editions = [_check_mapping(e, EDITION_FIELDS, f"{where} {i + 1}") for i, e in enumerate(value)]
        years = [e["year"] for e in editions]
        if len(set(years)) != len(years):
            raise SeedDataError(f"{where}: lists the same year twice.")
        return editions
    raise AssertionError(f"unknown field kind {spec.kind}")


def _check_identities(data: SeedData) -> None:
    for family, fields in _IDENTIFYING.items():
        for name, normalize in fields:
            owners: dict[str, str] = {}
            for item in data[family]:
                if name not in item:
                    continue
                where = f"{family}.yaml ({item['slug']}): {name}"
                try:
                    value = normalize(item[name])
                except ValueError as exc:
                    raise SeedDataError(f"{where}: {exc}") from exc
                if value in owners:
                    raise SeedDataError(f"{where}: {value!r} is also given to {owners[value]}.")
                owners[value] = item["slug"]


def _check_references(data: SeedData) -> None:
    slugs = {family: {item["slug"] for item in data[family]} for family in FAMILIES}
    editions = {item["slug"]: {e["year"] for e in item.get("editions", [])} for item in data["venues"]}
    for family in FAMILIES:
        earlier_topics: set[str] = set()
        for item in data[family]:
            where = f"{family}.yaml ({item['slug']})"
            for name, spec in SCHEMAS[family].items():
                if spec.ref is None or name not in item:
                    continue
                targets = item[name] if isinstance(item[name], list) else [item[name]]
                # A topic's parent must come first so the parent row exists when the child is saved.
                known = earlier_topics if (family, name) == ("topics", "parent") else slugs[spec.ref]
                for target in targets:
                    if target not in known:
                        hint = " earlier in the file" if known is earlier_topics else f" in {spec.ref}.yaml"
                        raise SeedDataError(f"{where}: {name} names {target!r}, which is not defined{hint}.")
            if family == "topics":
                earlier_topics.add(item["slug"])
            if family == "papers" and "edition" in item:
                if "venue" not in item:
                    raise SeedDataError(f"{where}: an edition needs a venue.")
                if item["edition"] not in editions[item["venue"]]:
                    raise SeedDataError(
                        f"{where}: venues.yaml lists no {item['edition']} edition of {item['venue']!r}."
                    )
