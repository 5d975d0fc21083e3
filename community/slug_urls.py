"""Addresses of items by slug without a `reverse()` per item.

A list page links every row, every author and every topic chip: a few hundred `reverse()` calls,
which walk the URL resolver each time and were a fifth of a list page's rendering time
(benchmarks/load_mix.py --profile). The address of `name` for a slug is the same string around the
slug, so it is reversed once per URL name, language, script prefix and URLconf, then filled in.
"""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_MARK = "slug-placeholder-0"
# What the `slug` path converter accepts: such a slug needs no quoting, so filling it in is exact.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.lru_cache(maxsize=512)
def _around(name: str, language: str | None, prefix: str, urlconf: str | None) -> tuple[str, str]:
    head, tail = reverse(name, kwargs={"slug": _MARK}, urlconf=urlconf).split(_MARK)
    return head, tail


def slug_url(name: str, slug: str) -> str:
    """`reverse(name, kwargs={"slug": slug})`, from a cached template of the address."""
    if not _SLUG.fullmatch(slug or ""):
        return reverse(name, kwargs={"slug": slug})
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    head, tail = _around(name, get_language(), get_script_prefix(), urlconf)
    return f"{head}{slug}{tail}"
