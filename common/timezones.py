"""Time zones, in one place: the labels deadlines are announced in (AoE, UTC+8, PST, an IANA name),
turning an announced local time into the stored UTC instant, and the reader's zone (`?tz=` and the
`tz` cookie). The Deadline model, the deadline importer, the submission services, the API's
`timezone_label` field, the page cache and the portal's views all read these rules here.
"""

import datetime as dt
import re
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

# --- announced zones -----------------------------------------------------------------------------

# Fixed offsets for the labels deadline announcements use; AoE ("anywhere on Earth") is UTC-12.
# IANA's Etc/GMT+12 is UTC-12: the Etc zones carry the opposite sign on purpose.
TIMEZONE_LABEL_ZONES = {"AoE": "Etc/GMT+12", "UTC": "UTC"}

# Abbreviations deadline announcements use, as the fixed offsets (hours from UTC) they name: a
# deadline "23:59 PDT" means UTC-7 whatever the date. Only consulted for labels that are not IANA
# names, so an IANA name keeps its IANA meaning (IANA's CET, EET, WET and MET follow summer time;
# the deadline importer stores those as UTC+1 and the like instead). Ambiguous ones (CST, IST, BST)
# are left out on purpose.
TIMEZONE_ABBREVIATIONS = {
    "GMT": 0,
    "WET": 0,
    "WEST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "SGT": 8,
    "HKT": 8,
    "AWST": 8,
    "KST": 9,
    "JST": 9,
    "AEST": 10,
    "AEDT": 11,
    "NZST": 12,
    "NZDT": 13,
    "HST": -10,
    "AKST": -9,
    "AKDT": -8,
    "PST": -8,
    "PDT": -7,
    "MST": -7,
    "MDT": -6,
    "CDT": -5,
    "EST": -5,
    "EDT": -4,
}

# Abbreviations that name more than one zone: refused rather than guessed.
_AMBIGUOUS = {"CST": "UTC-6 or UTC+8", "IST": "UTC+5:30 (Asia/Kolkata) or UTC+1", "BST": "UTC+1 or UTC+6"}
_OFFSET = re.compile(r"^(?:UTC|GMT)\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def _offset_zone(hours: int) -> ZoneInfo:
    # UTC+8 is eight hours ahead of UTC, which IANA spells Etc/GMT-8.
    return ZoneInfo(f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}") if hours else ZoneInfo("UTC")


def zone_for_label(label: str) -> ZoneInfo:
    """The zone a deadline was announced in: `AoE`, `UTC`, `UTC+8` / `UTC-5`, an IANA name, or an
    abbreviation of TIMEZONE_ABBREVIATIONS (`PST`) that is not an IANA name."""
    if label in TIMEZONE_LABEL_ZONES:
        return ZoneInfo(TIMEZONE_LABEL_ZONES[label])
    if label.startswith("UTC") and label[3:4] in ("+", "-") and label[4:].isdigit():
        return _offset_zone(int(label[3:]))
    try:
        return ZoneInfo(label)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        if label in TIMEZONE_ABBREVIATIONS:
            return _offset_zone(TIMEZONE_ABBREVIATIONS[label])
        raise


def timezone_labels() -> list[str]:
    """Every label zone_for_label understands: AoE, UTC, UTC+N / UTC-N, the IANA names and the
    abbreviations; sorted, for the API's choices."""
    offsets = [f"UTC+{hours}" for hours in range(1, 15)] + [f"UTC-{hours}" for hours in range(1, 13)]
    return sorted({*TIMEZONE_LABEL_ZONES, *offsets, *available_timezones(), *TIMEZONE_ABBREVIATIONS})


def to_utc(value: Any, label: str) -> dt.datetime | None:
    """A local date-time in the zone `label` names -> the aware UTC instant. An aware value is already
    an instant and is only converted. Raises ValueError (bad time) or LookupError (bad zone)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is None:
            raise ValueError(value)
        value = parsed
    if not isinstance(value, dt.datetime):
        raise ValueError(value)
    if timezone.is_aware(value):
        return value.astimezone(dt.UTC)
    try:
        zone = zone_for_label(label)
    except Exception as exc:
        raise LookupError(label) from exc
    return value.replace(tzinfo=zone).astimezone(dt.UTC)


def _offset_label(hours: int) -> str:
    return f"UTC{'+' if hours > 0 else '-'}{abs(hours)}" if hours else "UTC"


def _is_fixed_at(label: str, hours: int) -> bool:
    """Whether `zone_for_label(label)` is `hours` from UTC all year (no summer time)."""
    zone = zone_for_label(label)
    expected = dt.timedelta(hours=hours)
    return all(dt.datetime(2025, month, 15, 12, tzinfo=zone).utcoffset() == expected for month in (1, 7))


def normalize_timezone_label(value: Any) -> str:
    """The label to store for a tracker's `timezone`; raises ValueError saying what would work."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return "AoE"  # the trackers' convention: a deadline without a timezone is AoE
    if text.lower() in ("aoe", "anywhere on earth"):
        return "AoE"
    if text.upper() in ("UTC", "GMT", "Z", "ETC/UTC", "ETC/GMT", "UTC+0", "UTC-0", "GMT+0", "GMT-0"):
        return "UTC"
    match = _OFFSET.match(text)
    if match:
        sign, hours, minutes = match.groups()
        if minutes and int(minutes):
            raise ValueError(
                gettext(
                    "timezone %(zone)s: offsets with minutes are not supported; use an IANA name such as Asia/Kolkata."
                )
                % {"zone": repr(text)}
            )
        hours_ahead = int(hours) * (1 if sign == "+" else -1)
        if not -12 <= hours_ahead <= 14:
            raise ValueError(
                gettext("timezone %(zone)s: no zone is that far from UTC.") % {"zone": repr(text)}
            )
        return _offset_label(hours_ahead)
    # Some trackers write abbreviations as if they were IANA names: Etc/PST.
    abbreviation = text.upper().removeprefix("ETC/")
    if abbreviation in _AMBIGUOUS:
        raise ValueError(
            gettext(
                "timezone %(zone)s names more than one zone; write the offset it means, e.g. %(offsets)s."
            )
            % {"zone": repr(text), "offsets": _AMBIGUOUS[abbreviation]}
        )
    if abbreviation in TIMEZONE_ABBREVIATIONS:
        hours = TIMEZONE_ABBREVIATIONS[abbreviation]
        # Kept as announced where the site reads the label the same way; IANA's CET (say) follows
        # summer time, so a "CET" deadline is stored as UTC+1, which is what it meant.
        return abbreviation if _is_fixed_at(abbreviation, hours) else _offset_label(hours)
    try:
        ZoneInfo(text)
    except (KeyError, ValueError, OSError):
        raise ValueError(
            gettext(
                "unknown timezone %(zone)s: use AoE, an offset such as UTC+8 or UTC-5, an IANA name such as "
                "America/Los_Angeles, or an abbreviation such as PST."
            )
            % {"zone": repr(text)}
        ) from None
    return text


# --- the reader's zone ---------------------------------------------------------------------------

# The cookie timezone.js sets to the browser's zone; read by the portal's pages
# (community.views.base.reader_timezone) and by the page cache's keys (community.page_cache).
TIMEZONE_COOKIE = "tz"


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


# The zones the reader's zone picker suggests (a datalist under its free-text field, which takes any
# IANA name), from the date line westwards: where most of the catalogue's deadlines are announced
# and read. A Chinese reader is offered Beijing time first (suggested_zones).
SUGGESTED_ZONES = (
    "UTC",
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
)
BEIJING_TIME = "Asia/Shanghai"


def suggested_zones(language: str | None) -> list[tuple[str, str]]:
    """The picker's suggestions for a reader of `language`, as (IANA name, label): Beijing time first
    for Simplified Chinese, SUGGESTED_ZONES' order otherwise. The label names Beijing time (China
    has one zone, which its readers know by that name); other zones are shown by their IANA name."""
    zones = list(SUGGESTED_ZONES)
    if (language or "").lower().startswith("zh"):
        zones.remove(BEIJING_TIME)
        zones.insert(0, BEIJING_TIME)
    return [(zone, gettext("Beijing time (UTC+8)") if zone == BEIJING_TIME else "") for zone in zones]


def valid_timezone(name: str | None) -> str | None:
    """`name` when it is an IANA zone this server knows, else None (never raises)."""
    if name and len(name) <= 64 and name in _known_zones():
        return name
    return None
