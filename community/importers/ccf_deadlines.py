"""ccf-deadlines YAML (github.com/ccfddl/ccf-deadlines) -> plain records; and which tracker a file is.

Two kinds of file, told apart by what they hold, not by their names:

- a conference file (`conference/<SUB>/<name>.yml`): a list with one entry::

    - title: EMNLP
      description: The annual Conference on Empirical Methods in Natural Language Processing
      sub: AI                      # the CCF field: AI, CG, CT, DB, DS, HI, MX, NW, SC, SE
      rank: {ccf: B, core: A*, thcpl: A}   # N: not ranked
      dblp: emnlp
      confs:
        - year: 2025
          id: emnlp25
          link: https://2025.emnlp.org/
          timeline:                # one or more rounds
            - deadline: '2025-05-19 23:59:59'
              abstract_deadline: '2025-05-12 23:59:59'   # optional
              comment: first round                        # optional: names the round
          timezone: UTC-12
          date: November 5 - 9, 2025
          place: Suzhou, China

  -> one `VenueRecord`, then one `EditionRecord` (community.importers.deadlines) per edition;
- an acceptance-rate file (`accept_rates/<SUB>/<name>.yml`): a list of `title` + `accept_rates`
  (`year`, `submitted`, `accepted`, `str`, `rate`, `source`) -> one `AcceptanceRateRecord` per year.

The files are edited by hand by hundreds of people. What this reader makes of their habits: a `TBD`
date is skipped with a note; a round's `comment` labels its deadlines (several rounds without one are
"round 1", "round 2"...); an edition with only an abstract deadline keeps it; a missing place or an
unreadable `date` is a note, not a failure; a rate written with a decimal comma (`0,22`) or as a
percentage (`22%`) is read with a note; a rank or field outside the published lists is left out with a
note. A broken edition or rate fails alone; a file that is not one of the layouts fails whole.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from common.timezones import normalize_timezone_label, to_utc

from . import ImportFileError, ParseFailure, Record
from .deadlines import (
    DeadlineRecord,
    EditionRecord,
    _local_time,
    _string,
    load_yaml_list,
    parse_editions,
    year_of,
)

# The CCF fields (`sub`) and the ranks each list publishes; N is "not ranked" in all three.
CCF_FIELDS = ("AI", "CG", "CT", "DB", "DS", "HI", "MX", "NW", "SC", "SE")
CCF_RANKS = ("A", "B", "C", "N")
CORE_RANKS = ("A*", "A", "B", "C", "N")
THCPL_RANKS = ("A", "B", "N")
RANK_LISTS = {"ccf": CCF_RANKS, "core": CORE_RANKS, "thcpl": THCPL_RANKS}

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# "December 2-7, 2025", "Nov 5 - 9, 2025", "June 30 - July 5, 2026", "May 12, 2026".
_DATE_RANGE = re.compile(
    r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?"
    r"(?:\s*[-–—~]\s*(?:([A-Za-z]+)\.?\s+)?(\d{1,2})(?:st|nd|rd|th)?)?\s*,?\s*(\d{4})$"
)


@dataclass(frozen=True)
class VenueRecord(Record):
    """A conference as a ccf-deadlines file describes it; empty strings mean "not stated"."""

    name: str
    full_name: str = ""
    dblp_key: str = ""
    ccf_field: str = ""
    ccf_rank: str = ""
    core_rank: str = ""
    thcpl_rank: str = ""


@dataclass(frozen=True)
class AcceptanceRateRecord(Record):
    """One year's acceptance figures; `rate` is a fraction in [0, 1] (None when not given)."""

    venue_name: str
    year: int
    submitted: int | None = None
    accepted: int | None = None
    rate: float | None = None
    source: str = ""


Record = EditionRecord | VenueRecord | AcceptanceRateRecord | ParseFailure


def tracker_layout(data: list) -> str:
    """Which layout a YAML list is in: "ccf-conference", "ccf-accept-rates" or "ai-deadlines"."""
    for item in data:
        if isinstance(item, dict):
            if "confs" in item:
                return "ccf-conference"
            if "accept_rates" in item:
                return "ccf-accept-rates"
    return "ai-deadlines"


def parse_tracker_file(text: str) -> list[Record]:
    """Every record of a deadline-tracker file of either tracker, recognised by its content.

    Raises ImportFileError when the text is not YAML or not a list.
    """
    return read_tracker_file(text)[1]


def read_tracker_file(text: str) -> tuple[str, list[Record]]:
    """`tracker_layout` of the file and its records (parse_tracker_file)."""
    data, nodes = load_yaml_list(text)
    layout = tracker_layout(data)
    if layout == "ccf-conference":
        return layout, parse_conference(data, nodes)
    if layout == "ccf-accept-rates":
        return layout, parse_accept_rates(data, nodes)
    return layout, parse_editions(data, nodes)


def _line(node) -> int:
    return node.start_mark.line + 1


def _mapping_items(node) -> dict[str, Any]:
    """The value nodes of a mapping node, by key (for line numbers)."""
    return {getattr(key, "value", None): value for key, value in getattr(node, "value", []) or []}


# --- conference files ----------------------------------------------------------------------------


def parse_conference(data: list, nodes: list) -> list[Record]:
    records: list[Record] = []
    for item, node in zip(data, nodes, strict=True):
        ref = gettext("entry at line %(line)s") % {"line": _line(node)}
        if not isinstance(item, dict) or not _string(item.get("title")):
            records.append(
                ParseFailure(
                    ref=ref, reason=gettext("expected a conference with a title, rank, dblp and confs.")
                )
            )
            continue
        venue = _venue(
            item,
            ref=gettext("%(title)s (line %(line)s)") % {"title": _string(item["title"]), "line": _line(node)},
        )
        records.append(venue)
        confs = item.get("confs")
        if not isinstance(confs, list):
            records.append(
                ParseFailure(
                    ref=venue.ref,
                    reason=gettext(
                        "confs: expected a list of editions (year, id, timeline, ...), found %(value)s."
                    )
                    % {"value": repr(confs)[:80]},
                )
            )
            continue
        conf_nodes = getattr(_mapping_items(node).get("confs"), "value", None) or [node] * len(confs)
        for conf, conf_node in zip(confs, conf_nodes, strict=False):
            records.append(_conference_edition(conf, venue=venue, line=_line(conf_node)))
    return records


def _venue(item: dict, *, ref: str) -> VenueRecord:
    notes = []
    ccf_field = _string(item.get("sub")).upper()
    if ccf_field and ccf_field not in CCF_FIELDS:
        notes.append(
            gettext("sub: %(value)s is not a CCF field (%(fields)s); left out.")
            % {"value": repr(ccf_field), "fields": ", ".join(CCF_FIELDS)}
        )
        ccf_field = ""
    ranks = {}
    rank = item.get("rank")
    if rank is not None and not isinstance(rank, dict):
        notes.append(gettext("rank: expected ccf, core and thcpl; left out."))
        rank = {}
    for name, allowed in RANK_LISTS.items():
        value = _string((rank or {}).get(name)).upper()
        if value and value not in allowed:
            notes.append(
                gettext("rank %(list)s: %(value)s is not one of %(allowed)s; left out.")
                % {"list": name, "value": repr(value), "allowed": ", ".join(allowed)}
            )
            value = ""
        ranks[name] = value
    return VenueRecord(
        ref=ref,
        name=_string(item.get("title")),
        full_name=_string(item.get("description")),
        dblp_key=_string(item.get("dblp")),
        ccf_field=ccf_field,
        ccf_rank=ranks["ccf"],
        core_rank=ranks["core"],
        thcpl_rank=ranks["thcpl"],
        notes=tuple(notes),
    )


def _conference_edition(conf: Any, *, venue: VenueRecord, line: int) -> EditionRecord | ParseFailure:
    ident = _string(conf.get("id")) if isinstance(conf, dict) else ""
    ref = gettext("%(title)s %(id)s (line %(line)s)") % {
        "title": venue.name,
        "id": ident or gettext("edition"),
        "line": line,
    }
    if not isinstance(conf, dict):
        return ParseFailure(ref=ref, reason=gettext("expected an edition (year, id, timeline, ...)."))
    try:
        return _edition(conf, venue=venue, ident=ident, ref=ref)
    except (ValueError, TypeError, LookupError) as exc:
        return ParseFailure(ref=ref, reason=str(exc))


def _edition(conf: dict, *, venue: VenueRecord, ident: str, ref: str) -> EditionRecord:
    notes: list[str] = []
    year = year_of(conf, example=2027)
    if not ident:
        ident = f"{re.sub(r'[^a-z0-9]+', '', venue.name.lower())}{year % 100:02d}"
        notes.append(gettext("id: missing; the edition is keyed %(id)s.") % {"id": ident})
    place = _string(conf.get("place"))
    city, country = "", ""
    if place and place.upper() not in ("TBD", "TBA"):
        city, _, country = place.rpartition(",")
        city, country = (city.strip(), country.strip()) if city else (place, "")
    else:
        notes.append(gettext("place: not given yet."))
    start, end = _date_range(conf.get("date"), year, notes)
    deadlines = _timeline(conf, notes)
    return EditionRecord(
        ref=ref,
        external_id=ident,
        venue_name=venue.name,
        year=year,
        full_name=venue.full_name,
        link=_string(conf.get("link")),
        start_date=start,
        end_date=end,
        city=city[:100],
        country=country[:100],
        deadlines=tuple(deadlines),
        notes=tuple(notes),
        dblp_key=venue.dblp_key,
    )


def _date_range(value: Any, year: int, notes: list[str]) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of free text such as "December 2-7, 2025"; (None, None) with a note
    when it cannot be read (the edition is imported without its dates)."""
    text = _string(value)
    if not text or text.upper() in ("TBD", "TBA"):
        return None, None
    match = _DATE_RANGE.match(text)
    try:
        if not match:
            raise ValueError
        month, day, end_month, end_day, written_year = match.groups()
        first_month = _MONTHS[month.lower()]
        last_month = _MONTHS[end_month.lower()] if end_month else first_month
        start = dt.date(int(written_year), first_month, int(day))
        end = dt.date(int(written_year), last_month, int(end_day or day))
        if end < start:
            raise ValueError
        return start, end
    except (ValueError, KeyError):
        notes.append(
            gettext('date: %(value)s is not a date range such as "December 2-7, %(year)s"; dates left out.')
            % {"value": repr(text), "year": year}
        )
        return None, None


def _timeline(conf: dict, notes: list[str]) -> list[DeadlineRecord]:
    rounds = conf.get("timeline")
    if rounds is None:
        notes.append(gettext("timeline: no deadlines given."))
        return []
    if isinstance(rounds, dict):
        rounds = [rounds]
    if not isinstance(rounds, list):
        raise ValueError(
            gettext("timeline: expected a list of rounds (deadline, abstract_deadline, comment).")
        )
    zone = normalize_timezone_label(conf.get("timezone"))
    records: dict[tuple[str, str], DeadlineRecord] = {}
    for index, entry in enumerate(rounds, start=1):
        if not isinstance(entry, dict):
            raise ValueError(
                gettext("timeline round %(index)s: expected deadline and comment.") % {"index": index}
            )
        label = _string(entry.get("comment"))[:200]
        if not label and len(rounds) > 1:
            label = gettext("round %(index)s") % {"index": index}
        for key, kind in (("abstract_deadline", "abstract"), ("deadline", "paper")):
            if key not in entry:
                continue
            where = gettext("timeline round %(index)s, %(key)s") % {"index": index, "key": key}
            try:
                local = _local_time(entry[key])
            except ValueError as exc:
                raise ValueError(gettext("%(where)s: %(error)s") % {"where": where, "error": exc}) from None
            if local is None:
                notes.append(
                    gettext("%(where)s: no date yet (%(value)s), skipped")
                    % {"where": where, "value": _string(entry[key]) or gettext("empty")}
                )
                continue
            wanted_label = label
            if (kind, wanted_label) in records:
                # Two rounds with the same comment: each keeps its own row.
                wanted_label = f"{label} ({gettext('round %(index)s') % {'index': index}})"[:200]
            records[(kind, wanted_label)] = DeadlineRecord(
                kind=kind, label=wanted_label, due_at=to_utc(local, zone), timezone_label=zone
            )
        if "deadline" not in entry and "abstract_deadline" in entry:
            notes.append(
                gettext("timeline round %(index)s: only an abstract deadline; no paper deadline yet.")
                % {"index": index}
            )
    return list(records.values())


# --- acceptance-rate files -----------------------------------------------------------------------


def parse_accept_rates(data: list, nodes: list) -> list[Record]:
    records: list[Record] = []
    for item, node in zip(data, nodes, strict=True):
        title = _string(item.get("title")) if isinstance(item, dict) else ""
        rates = item.get("accept_rates") if isinstance(item, dict) else None
        if not title or not isinstance(rates, list):
            records.append(
                ParseFailure(
                    ref=gettext("entry at line %(line)s") % {"line": _line(node)},
                    reason=gettext(
                        "expected a title and accept_rates (a list of year, submitted, accepted, rate)."
                    ),
                )
            )
            continue
        rate_nodes = getattr(_mapping_items(node).get("accept_rates"), "value", None) or [node] * len(rates)
        for entry, entry_node in zip(rates, rate_nodes, strict=False):
            year = entry.get("year") if isinstance(entry, dict) else None
            ref = gettext("%(title)s %(year)s (line %(line)s)") % {
                "title": title,
                "year": year if year is not None else "?",
                "line": _line(entry_node),
            }
            try:
                records.append(_rate(entry, title=title, ref=ref))
            except (ValueError, TypeError) as exc:
                records.append(ParseFailure(ref=ref, reason=str(exc)))
    return records


def _count(entry: dict, name: str) -> int | None:
    value = entry.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*[\d,]+\s*", value):
        value = int(value.replace(",", ""))  # 3,242: a thousands separator
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(
            gettext("%(field)s: %(value)s is not a count; write a whole number of papers, 0 or more.")
            % {"field": name, "value": repr(value)}
        )
    return value


def _rate(entry: Any, *, title: str, ref: str) -> AcceptanceRateRecord:
    if not isinstance(entry, dict):
        raise ValueError(gettext("expected year, submitted, accepted, rate and source."))
    notes: list[str] = []
    year = year_of(entry, example=2025)
    submitted, accepted = _count(entry, "submitted"), _count(entry, "accepted")
    if submitted is not None and accepted is not None and accepted > submitted:
        raise ValueError(
            gettext("accepted (%(accepted)s) is more than submitted (%(submitted)s).")
            % {"accepted": accepted, "submitted": submitted}
        )
    rate = entry.get("rate")
    if isinstance(rate, str):
        text = rate.strip()
        percent = text.endswith("%")
        text = text.rstrip("%").strip()
        if re.fullmatch(r"\d+,\d+", text):
            notes.append(gettext("rate: %(value)s read with a decimal comma.") % {"value": repr(rate)})
            text = text.replace(",", ".")
        try:
            rate = float(text) / (100 if percent else 1) if text else None
        except ValueError:
            raise ValueError(
                gettext("rate: %(value)s is not a number; write a fraction such as 0.22.")
                % {"value": repr(rate)}
            ) from None
        if percent:
            notes.append(
                gettext("rate: %(value)s read as a percentage.") % {"value": repr(entry.get("rate"))}
            )
    if isinstance(rate, bool) or (rate is not None and not isinstance(rate, int | float)):
        raise ValueError(
            gettext("rate: %(value)s is not a number; write a fraction such as 0.22.") % {"value": repr(rate)}
        )
    if rate is None and submitted and accepted is not None:
        rate = accepted / submitted
        notes.append(gettext("rate: not given; computed from accepted / submitted."))
    if rate is not None and not 0 <= rate <= 1:
        raise ValueError(
            gettext("rate: %(value)s is not between 0 and 1; write the fraction accepted, e.g. 0.22.")
            % {"value": repr(entry.get("rate"))}
        )
    return AcceptanceRateRecord(
        ref=ref,
        venue_name=title,
        year=year,
        submitted=submitted,
        accepted=accepted,
        rate=float(rate) if rate is not None else None,
        source=_string(entry.get("source")),
        notes=tuple(notes),
    )


__all__ = [
    "CCF_FIELDS",
    "CCF_RANKS",
    "CORE_RANKS",
    "THCPL_RANKS",
    "AcceptanceRateRecord",
    "ImportFileError",
    "VenueRecord",
    "parse_tracker_file",
    "read_tracker_file",
    "tracker_layout",
]
