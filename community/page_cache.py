"""Rendered fragments of the busiest read-only pages (home, the lists, search) and the API's list
responses, kept in the cache.

Most visits are reads of the same few pages, and rendering a list of twenty items with their authors
and topics costs more than its queries. With PAGE_CACHE_SECONDS > 0 the main content of those pages is
rendered once and reused; the header (login state, the language switcher's CSRF token) is rendered
for every request, so one reader's page never carries another's token or name.

A fragment's key holds the catalogue's version, the language, the reader's time zone and the full
path (so every filter, page and query has its own entry). Any write to a catalogue model (signals,
connected in CommunityConfig.ready) and every bulk write (the services call `catalogue_changed`)
moves the version on when its transaction commits, so an approved submission shows at once; PAGE_CACHE_SECONDS bounds what a write
that bypasses both could leave stale. The version lives in the same cache, so it is shared by every
web process when the cache is (Redis); production turns the page cache on only then.
"""

import contextlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language

VERSION_KEY = "catalogue:version"


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Milliseconds since the epoch: a cache that lost the key never goes back to a version whose
        # fragments might still be stored.
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def catalogue_changed(**_signal_kwargs) -> None:
    """Make every cached fragment stale (a receiver for model signals, and called after bulk writes)
    once the write's transaction commits: moving the version before the commit would let a request
    in between render the old rows and keep them under the new version."""
    transaction.on_commit(_next_version)


def _next_version() -> None:
    with contextlib.suppress(ValueError):  # no version yet: the next read starts one
        cache.incr(VERSION_KEY)


def fragment_key(request: HttpRequest, name: str, *extra: str) -> str | None:
    """The cache key of fragment `name` of this request's page, or None when caching is off.
    `extra`: whatever else the fragment depends on."""
    if not enabled():
        return None
    from community.views.base import TIMEZONE_COOKIE, valid_timezone

    zone = valid_timezone(request.COOKIES.get(TIMEZONE_COOKIE)) or ""
    vary = [catalogue_version(), get_language(), zone, request.get_full_path(), *extra]
    return make_template_fragment_key(f"page:{name}", vary)


def cached_fragment(request: HttpRequest, name: str) -> dict[str, str]:
    """{name: html} when the fragment is cached, else {}: a view passes it to its template as
    `cached_fragments` and skips the queries the fragment would need."""
    key = fragment_key(request, name)
    html = fetch(key) if key else None
    return {name: html} if html is not None else {}


def fetch(key: str):
    return cache.get(key)


def store(key: str, value) -> None:
    cache.set(key, value, settings.PAGE_CACHE_SECONDS)
