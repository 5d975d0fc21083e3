"""Deadline-tracker YAML (the ai-deadlines format) -> `EditionRecord`s.

The file is a list of editions::

    - title: NeurIPS            # the venue's short name
      year: 2027
      id: neurips27             # the tracker's id: what makes a rerun find the same edition
      full_name: Conference on Neural Information Processing Systems
      link: https://neurips.cc/Conferences/2027
      deadline: '2027-05-15 23:59:59'
      abstract_deadline: '2027-05-11 23:59:59'
      timezone: AoE
      start: 2027-12-06
      end: 2027-12-12
      city: Vancouver
      country: Canada
      tags: [machine-learning]

or with `deadlines: [{type, label, date, timezone}, ...]` instead of the flat `deadline` keys.

What real files do, and what this reader makes of it:
- a key given twice in one edition: the last one wins (PyYAML's SafeLoader already does that);
- dates quoted ('2027-05-15 23:59:59', a string) or not (a YAML timestamp, a datetime): both read
  as the local time in the deadline's timezone; a date without a time means 23:59:59 that day;
- `TBA` / `TBD` instead of a date: the deadline is skipped and the report says so;
- timezones as IANA names, `AoE` (UTC-12), offsets (`UTC+8` is eight hours *ahead* of UTC; IANA's
  `Etc/GMT+8` is the opposite sign, and stays as written), or abbreviations taken as the fixed
  offset they name (`PST` = UTC-8, `CEST` = UTC+2); no timezone means AoE.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext

from common.timezones import normalize_timezone_label, to_utc
from community.deadline_kinds import DEADLINE_KINDS

from . import ImportFileError, ParseFailure, Record

# Dates that are not known yet.
_UNKNOWN_DATES = {"", "TBA", "TBD", "N/A", "NA", "NONE", "?"}

# `type` of a `deadlines:` item -> kind. A type not listed is OTHER, labelled with the type.
DEADLINE_TYPES = {
    "abstract": "abstract",
    "abstract_deadline": "abstract",
    "paper": "paper",
    "submission": "paper",
    "full_paper": "paper",
    "deadline": "paper",
    "supplementary": "supplementary",
    "supplemental": "supplementary",
    "rebuttal": "rebuttal",
    "rebuttal_start": "rebuttal",
    "rebuttal_end": "rebuttal",
    "author_response": "rebuttal",
    "notification": "notification",
    "decision": "notification",
    "final_decision": "notification",
    "camera_ready": "camera_ready",
}
# The flat keys: key -> (kind, label).
FLAT_DEADLINES = {
    "deadline": ("paper", ""),
    "abstract_deadline": ("abstract", ""),
    "rebuttal_period_end": ("rebuttal", "end of the rebuttal period"),
    "review_release_date": ("other", "reviews released"),
    "final_decision_date": ("notification", ""),
}


@dataclass(frozen=True)
class DeadlineRecord:
    kind: str  # a Deadline.Kind value (a key of DEADLINE_KINDS)
    label: str
    due_at: dt.datetime  # aware, UTC
    timezone_label: str  # as announced, normalised: AoE, UTC+8, PST, an IANA name


@dataclass(frozen=True)
class EditionRecord(Record):
    external_id: str
    venue_name: str
    year: int
    full_name: str = ""
    link: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    city: str = ""
    country: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    deadlines: tuple[DeadlineRecord, ...] = ()
    # The dblp key, when the tracker gives one (ccf-deadlines): what matches the venue first.
    dblp_key: str = ""


# --- dates ---------------------------------------------------------------------------------------


def _local_time(value: Any) -> dt.datetime | None:
    """The announced local time (naive, or aware when the file gave an offset); None when unknown."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(23, 59, 59))
    if value is None or (isinstance(value, str) and value.strip().upper() in _UNKNOWN_DATES):
        return None
    if not isinstance(value, str):
        raise ValueError(_not_a_date(value))
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(23, 59, 59))
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_not_a_date(text)) from None


def _not_a_date(value: Any) -> str:
    return gettext("%(value)s is not a date; write it as 'YYYY-MM-DD HH:MM:SS'.") % {"value": repr(value)}


def _date(value: Any, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            gettext("%(field)s: %(value)s is not a date; write it as YYYY-MM-DD.")
            % {"field": name, "value": repr(value)}
        ) from None


def _string(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def year_of(entry: dict, *, example: int) -> int:
    """`entry["year"]` as a year (a whole number from 1900 to 2200; "2027" is read as 2027), or a
    ValueError that shows `example` as the way to write it. The trackers' editions and acceptance
    rates read their year with it."""
    year = entry.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2200:
        raise ValueError(
            gettext("year: %(value)s is not a year; write e.g. year: %(example)s.")
            % {"value": repr(entry.get("year")), "example": example}
        )
    return year


# --- editions ------------------------------------------------------------------------------------


def parse_deadlines(text: str) -> list[EditionRecord | ParseFailure]:
    """Every edition of `text`, in file order: a record, or a failure saying what is wrong.

    Raises ImportFileError when the text is not YAML or not a list of editions.
    """
    data, nodes = load_yaml_list(text)
    return parse_editions(data, nodes)


# The largest tracker file read (characters): the biggest real one (ai-deadlines' whole list) is a few
# hundred kB; past this a file is refused whole before it is parsed, so memory and time stay bounded.
MAX_FILE_CHARS = 2 * 1024 * 1024


class TrackerLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader, made safe for files anyone may edit:

    - aliases (`*name`) are refused, so a "billion laughs" file (anchors whose aliases nest into
      gigabytes once walked) fails at its first alias, before anything is built (no tracker uses them);
    - a timestamp that names no real day (`2025-02-30`) stays the text it is, so the record it is in
      fails with a clear reason instead of the whole file."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ImportFileError(
                gettext(
                    "line %(line)s: YAML aliases (*%(name)s) are not accepted in tracker files; "
                    "write the value out in full."
                )
                % {"line": event.start_mark.line + 1, "name": event.anchor}
            )
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


TrackerLoader.add_constructor("tag:yaml.org,2002:timestamp", TrackerLoader.construct_yaml_timestamp)


def load_yaml_list(text: str) -> tuple[list, list]:
    """The YAML list of `text` and its nodes (for line numbers); a single mapping is a list of one.

    Shared with the ccf-deadlines reader. Raises ImportFileError when the text is not YAML or not a
    list, is larger than MAX_FILE_CHARS, nests too deeply or uses aliases (TrackerLoader).
    """
    if len(text) > MAX_FILE_CHARS:
        raise ImportFileError(too_large_message(len(text)))
    loader = None
    try:
        loader = TrackerLoader(text)  # its reader refuses control characters at once
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else []
    except yaml.YAMLError as exc:
        raise ImportFileError(gettext("not valid YAML: %(error)s") % {"error": exc}) from exc
    except RecursionError as exc:
        raise ImportFileError(gettext("not a tracker file: its values nest too deeply.")) from exc
    finally:
        if loader is not None:
            loader.dispose()
    if isinstance(data, dict):
        data, nodes = [data], [node]
    elif isinstance(data, list):
        nodes = node.value
    else:
        raise ImportFileError(gettext("expected a list of editions (lines starting with “- title: ...”)."))
    return data, nodes


def too_large_message(size: int) -> str:
    return gettext(
        "the file has %(size)s characters; a tracker file has at most %(limit)s. Split it and import each part."
    ) % {"size": f"{size:,}", "limit": f"{MAX_FILE_CHARS:,}"}


def parse_editions(data: list, nodes: list) -> list[EditionRecord | ParseFailure]:
    """The ai-deadlines editions of a list `load_yaml_list` read."""
    items: list[EditionRecord | ParseFailure] = []
    for item, item_node in zip(data, nodes, strict=True):
        line = item_node.start_mark.line + 1
        ident = _string(item.get("id")) if isinstance(item, dict) else ""
        if ident:
            ref = gettext("%(id)s (line %(line)s)") % {"id": ident, "line": line}
        else:
            ref = gettext("entry at line %(line)s") % {"line": line}
        try:
            items.append(_edition(item, ref=ref))
        except (ValueError, TypeError) as exc:
            items.append(ParseFailure(ref=ref, reason=str(exc)))
    return items


def _edition(item: Any, *, ref: str) -> EditionRecord:
    if not isinstance(item, dict):
        raise ValueError(gettext("expected an edition (title, year, id, ...), found a single value."))
    external_id = _string(item.get("id"))
    title = _string(item.get("title"))
    missing = [name for name, value in (("id", external_id), ("title", title)) if not value]
    if missing:
        if len(missing) == 2:
            reason = gettext("it has no id and no title; every edition needs title, year and id.")
        else:
            reason = gettext("it has no %(field)s; every edition needs title, year and id.") % {
                "field": missing[0]
            }
        raise ValueError(reason)
    year = year_of(item, example=2027)

    city, country = _string(item.get("city")), _string(item.get("country"))
    place = _string(item.get("place"))
    if place and not (city or country):
        # The older format's "Vancouver, Canada".
        city, _, country = place.rpartition(",")
        city, country = (city.strip(), country.strip()) if city else (place, "")

    tags = item.get("tags") or item.get("sub") or []
    tags = tuple(_string(t) for t in (tags if isinstance(tags, list) else [tags]) if _string(t))
    deadlines, notes = _deadlines(item)
    return EditionRecord(
        ref=ref,
        external_id=external_id,
        venue_name=title,
        year=year,
        full_name=_string(item.get("full_name")),
        link=_string(item.get("link")),
        start_date=_date(item.get("start"), "start"),
        end_date=_date(item.get("end"), "end"),
        city=city,
        country=country,
        tags=tags,
        note=_string(item.get("note")),
        deadlines=tuple(deadlines),
        notes=tuple(notes),
    )


def _deadlines(item: dict) -> tuple[list[DeadlineRecord], list[str]]:
    default_zone = item.get("timezone")
    entries: list[tuple[str, str, str, Any, Any]] = []  # (where, kind, label, date, timezone)
    listed = item.get("deadlines")
    if listed:
        if not isinstance(listed, list):
            raise ValueError(gettext("deadlines: expected a list of {type, label, date, timezone}."))
        for index, entry in enumerate(listed, start=1):
            if not isinstance(entry, dict):
                raise ValueError(
                    gettext("deadlines item %(index)s: expected type, label, date and timezone.")
                    % {"index": index}
                )
            kind_name = _string(entry.get("type")).lower().replace("-", "_").replace(" ", "_")
            kind = DEADLINE_TYPES.get(kind_name, "other")
            label = _string(entry.get("label"))
            if not label and kind_name and kind_name != kind:
                label = kind_name.replace("_", " ")
            where = gettext("deadlines item %(index)s (%(type)s)") % {
                "index": index,
                "type": kind_name or gettext("no type"),
            }
            entries.append((where, kind, label, entry.get("date"), entry.get("timezone") or default_zone))
    else:
        for key, (kind, label) in FLAT_DEADLINES.items():
            if key in item:
                entries.append((key, kind, label, item[key], default_zone))

    records: dict[tuple[str, str], DeadlineRecord] = {}
    notes = []
    for where, kind, label, value, zone in entries:
        try:
            local = _local_time(value)
            if local is None:
                notes.append(
                    gettext("%(where)s: no date yet (%(value)s), skipped")
                    % {"where": where, "value": _string(value) or gettext("empty")}
                )
                continue
            timezone_label = normalize_timezone_label(zone)
            due_at = to_utc(local, timezone_label)
        except ValueError as exc:
            raise ValueError(gettext("%(where)s: %(error)s") % {"where": where, "error": exc}) from None
        if (kind, label) in records:
            raise ValueError(
                gettext("%(where)s: a second %(kind)s deadline labelled %(label)s; give each its own label.")
                % {"where": where, "kind": str(DEADLINE_KINDS[kind]).lower(), "label": repr(label)}
            )
        records[(kind, label)] = DeadlineRecord(
            kind=kind, label=label, due_at=due_at, timezone_label=timezone_label
        )
    return list(records.values()), notes
