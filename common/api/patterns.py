"""The URL lookup patterns of every API's detail routes: a slug or a numeric id (at most 18 digits,
so it fits a 64-bit key and never overflows a query)."""

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
ID_PATTERN = r"[0-9]{1,18}"
