"""Reading the archive's values: metric values in every spelling, dates, years, flags and text.

A metric value is a JSON number or text a reader would still read as a number: "85.3%", "90.871",
"1,234.5", "12.3 ± 0.2", "**92.1**" (bold in Markdown), "73.4*" (a footnote), "340M" (a count),
"1.5e-3", "−0.4". `metric_value` returns the number as a Decimal beside the text it was written as;
text that spells no single number ("--", "?", "85.1/86.0", "Precision") keeps its text and no number.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

# What the column holds: 30 digits, 10 after the point (community.models.Result.value).
_MAX_ABS = Decimal(10) ** 20
_QUANT = Decimal(1).scaleb(-10)
_SCALE = {"k": 3, "K": 3, "m": 6, "M": 6, "b": 9, "B": 9, "g": 9, "G": 9, "t": 12, "T": 12}
_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([kKmMbBgGtT]?)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_SPREAD = re.compile(r"\s*(±|\+/-|\+-|\(\s*±).*$")
VALUE_TEXT_MAX = 100


def metric_value(raw) -> tuple[Decimal | None, str]:
    """(the number, the text as written) for one metric value; (None, text) when it is no number.

    JSON numbers keep their exact decimal text (`90.871` stays 90.871, not a binary float's digits)."""
    if raw is None:
        return None, ""
    if isinstance(raw, bool):
        return None, str(raw).lower()
    if isinstance(raw, int | float | Decimal):
        text = repr(raw) if isinstance(raw, float) else str(raw)
        return _fit(_decimal(text)), text[:VALUE_TEXT_MAX]
    text = str(raw).replace("\x00", "").replace("\ufeff", "").strip()
    return _fit(_parse(text)), text[:VALUE_TEXT_MAX]


def _parse(text: str) -> Decimal | None:
    value = text.replace("\u2212", "-").replace("\u2013", "-").replace("\u00a0", " ")
    value = value.strip("*_` ")  # Markdown emphasis and code
    value = _SPREAD.sub("", value)  # "12.3 ± 0.2": the value, not its spread
    value = value.rstrip("*†‡§¶#^+?! ").strip()  # footnote marks, "73.4+", "12B?"
    if value.endswith("%"):
        value = value[:-1].strip()
    if value.startswith("(") and value.endswith(")"):
        value = value[1:-1].strip()
    if _THOUSANDS.match(value):
        value = value.replace(",", "")
    elif value.count(",") == 1 and "." not in value and re.fullmatch(r"[+-]?\d+,\d+", value):
        value = value.replace(",", ".")  # a decimal comma: "85,3"
    match = _NUMBER.match(value.replace(" ", ""))
    if not match:
        return None
    number = _decimal(match.group(1))
    if number is not None and match.group(2):
        number = number.scaleb(_SCALE[match.group(2)])
    return number


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _fit(number: Decimal | None) -> Decimal | None:
    """The number as the column stores it (10 places), or None when it would not fit."""
    if number is None or abs(number) >= _MAX_ABS:
        return None
    return number.quantize(_QUANT).normalize() if number != number.to_integral() else number.quantize(1)


def parse_date(raw) -> date | None:
    """'2017-06-12', '2017-06-12T00:00:00', a date, or a Parquet timestamp; None for anything else."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return raw if type(raw) is date else raw.date()
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", str(raw).strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_year(raw) -> int | None:
    if raw is None or raw == "" or isinstance(raw, bool):
        return None
    try:
        year = int(str(raw).strip()[:4])
    except ValueError:
        return None
    return year if 1000 <= year <= 2999 else None


def text(raw, limit: int | None = None) -> str:
    """A text field as stored: never None, no NUL (PostgreSQL refuses it), whitespace trimmed."""
    if raw is None:
        return ""
    value = str(raw).replace("\x00", "").strip()
    return value[:limit] if limit is not None else value


def flag(raw) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() in ("true", "1", "yes", "y", "t")
    return bool(raw)


def count(raw) -> int | None:
    if raw is None or isinstance(raw, bool):
        return None
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def name_list(raw) -> tuple[str, ...]:
    """A list of names (authors, task names): text items, trimmed, empty ones and repeats left out."""
    if raw is None or isinstance(raw, str | bytes | dict):
        return ()
    names: list[str] = []
    for item in raw:
        name = text(item, 300) if isinstance(item, str) else ""
        if name and name not in names:
            names.append(name)
    return tuple(names)
