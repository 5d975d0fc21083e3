"""One cell of every CSV the site writes (catalogue export, leaderboard download).

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and a leading tab or
carriage return can hide one), so text from users or workers could make a download fetch a URL or run
a command when opened: such text is prefixed with a single quote, as OWASP's "CSV Injection" advice
says. Numbers stay numbers, so a negative gap or a decimal amount still sums in the sheet.
"""

import re
from decimal import Decimal
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that is only a number ("-0.07", "1e-3") is no formula: a spreadsheet reads it as that number.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value: Any, *, separator: str = ";") -> str:
    """The text of one CSV cell: None is empty, booleans are true/false, lists are joined with
    `separator`, numbers are written as they are, and text a spreadsheet would run is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        value = separator.join("" if v is None else str(v) for v in value)
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text
