"""Rendered fragments of the busiest read-only pages (home, the lists, search, a topic's hub, a
paper's page) and the API's list responses, kept in the cache.

Most visits are reads of the same few pages, and rendering a list of twenty items with their authors
and topics costs more than its queries. With PAGE_CACHE_SECONDS > 0 the main content of those pages is
rendered once and reused; the header (login state, the language switcher's CSRF token) is rendered
for every request, so one reader's page never carries another's token or name.

A fragment's key holds the catalogue's version, the language, the reader's time zone, the path and
the page's *validated* query values: the view declares them with `use_query` (a bound form's
cleaned_data, the page and the sort), empty values left out and names sorted. A parameter the page
does not know is not part of the key, so `/topics/?junk=1` has the key of `/topics/` and a flood of
made-up query strings cannot fill the cache. Such a request is served the stored fragment but never
stores one (its links would carry the junk to every later reader); an invalid value never reaches a
key (the view answers 400 first), and `?tz=` naming no zone bypasses the cache. Any write to a catalogue model (signals,
connected in CommunityConfig.ready) and every bulk write (the services call `catalogue_changed`)
moves the version on when its transaction commits, so an approved submission shows at once; PAGE_CACHE_SECONDS bounds what a write
that bypasses both could leave stale. The version lives in the same cache, so it is shared by every
web process when the cache is (Redis); production turns the page cache on only then.
"""

import contextlib
import time
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import get_language

from common.timezones import TIMEZONE_COOKIE, valid_timezone

VERSION_KEY = "catalogue:version"
# What `use_query` stores on the request: (the canonical query, whether every parameter was known).
_QUERY_ATTR = "_page_cache_query"
# What `fragment` stores on the request: fragment name -> (key, html or None), looked up once.
_FRAGMENTS_ATTR = "_page_cache_fragments"
# Set by `fragment`: the page is page-cache material, so its whole response may be kept for readers
# without a session (community.anonymous_pages).
WHOLE_PAGE_ATTR = "_page_cache_whole_page"
# Read by every page (community.views.base.reader_timezone), so never an unknown parameter.
ALWAYS_KNOWN = frozenset({"tz"})


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def shared_cache() -> bool:
    """Whether the default cache is one every web process shares (not a per-process memory)."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


# The version a reading request (GET, HEAD) has read, for the rest of that request: a list page that
# misses the page cache asks for it up to five times (the whole page's key, the fragment's, the count's,
# a filter's choices), each a round trip to Redis. One reading also keeps the request's keys on one
# version. _UNREAD: inside such a request, nothing read yet; None: outside one (a task, a command, a
# writing request), where every call reads the cache.
_UNREAD = object()
_request_version: ContextVar[Any] = ContextVar("catalogue_version", default=None)


class OneVersionPerRequest:
    """Middleware: a GET or HEAD request reads the catalogue version once (see _request_version)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _request_version.set(_UNREAD)
        try:
            return self.get_response(request)
        finally:
            _request_version.reset(token)


def catalogue_version() -> int:
    known = _request_version.get()
    if known is not None and known is not _UNREAD:
        return known
    version = cache.get(VERSION_KEY)
    if version is None:
        # Milliseconds since the epoch: a cache that lost the key never goes back to a version whose
        # fragments might still be stored.
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    if known is _UNREAD:
        _request_version.set(version)
    return version


def per_version(name: str, compute: Callable[[], Any], seconds: int = 300) -> Any:
    """`compute()`, kept in the shared cache under the catalogue's version, so a write makes it stale
    (a small read every list request would otherwise repeat, such as a filter's choices). Computed each
    time where the cache is not shared. Independent of PAGE_CACHE_SECONDS, like the capped counts."""
    if not shared_cache():
        return compute()
    key = f"catalogue:{name}:{catalogue_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def catalogue_changed(**_signal_kwargs) -> None:
    """Make every cached fragment stale (a receiver for model signals, and called after bulk writes)
    once the write's transaction commits: moving the version before the commit would let a request
    in between render the old rows and keep them under the new version."""
    transaction.on_commit(_next_version)


def _next_version() -> None:
    with contextlib.suppress(ValueError):  # no version yet: the next read starts one
        cache.incr(VERSION_KEY)
    if _request_version.get() is not None:  # a reading request that wrote reads the new version
        _request_version.set(_UNREAD)


def _canonical(value: Any) -> str:
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, list | tuple):
        return ",".join(_canonical(item) for item in value)
    return str(value)


def query_key(values: Mapping[str, Any]) -> str:
    """`values` as one string: names sorted, empty values (None, "", []) left out, so `?q=` and no
    `q` are the same page. False stays: a "no" filter is not "any"."""
    return "&".join(
        f"{name}={_canonical(value)}"
        for name, value in sorted(values.items())
        if value is not None and value != "" and value != [] and value != ()
    )


def use_query(request: HttpRequest, values: Mapping[str, Any], *, known: Iterable[str]) -> None:
    """Declare the validated values this request's page depends on (a bound form's cleaned_data, the
    page, the sort) and the parameter names the page reads (`known`); the key is built from `values`
    only. A page that declares nothing depends on no parameter but `tz`."""
    complete = set(request.GET) <= set(known) | ALWAYS_KNOWN
    setattr(request, _QUERY_ATTR, (query_key(values), complete))


def storable(request: HttpRequest) -> bool:
    """Whether a fragment rendered for this request may be stored: only when it carried no parameter
    the page does not know (links in the fragment repeat the query string)."""
    declared = getattr(request, _QUERY_ATTR, None)
    return declared[1] if declared is not None else set(request.GET) <= ALWAYS_KNOWN


def fragment_key(request: HttpRequest, name: str, *extra: str) -> str | None:
    """The cache key of fragment `name` of this request's page, or None when caching is off (or
    `?tz=` names no zone: the page then says so, quoting it). `extra`: whatever else the fragment
    depends on."""
    if not enabled():
        return None
    zone = reader_zone(request)
    if zone is None:
        return None
    query = getattr(request, _QUERY_ATTR, ("", True))[0]
    vary = [catalogue_version(), get_language(), zone, request.path, query, *extra]
    return make_template_fragment_key(f"page:{name}", vary)


def reader_zone(request: HttpRequest) -> str | None:
    """The reader's zone as cached pages are keyed ("" for none: UTC), or None when `?tz=` names no
    zone (the page then says so, quoting it, and is never cached)."""
    requested = request.GET.get("tz", "").strip()
    if requested and not valid_timezone(requested):
        return None
    return valid_timezone(requested) or valid_timezone(request.COOKIES.get(TIMEZONE_COOKIE)) or ""


def whole_page(request: HttpRequest) -> None:
    """Mark this request's page as one whose whole response may be kept for readers without a
    session (community.anonymous_pages): everything on it but the header is the same for every such
    reader with the same language, time zone and parameters. A page that asks for a fragment is
    marked by that; a page without fragments marks itself."""
    setattr(request, WHOLE_PAGE_ATTR, True)


def fragment(request: HttpRequest, name: str) -> tuple[str | None, str | None]:
    """(key, html) of fragment `name` of this request's page: html None when it is not stored, key None
    when caching is off. Asked of the cache once per request: a view asks first, to skip the queries
    the fragment needs (`cached_fragment`), and the `{% pagecache %}` tag then gets the same answer
    without building the key or asking the cache again. Declare the page's query (`use_query`) first."""
    whole_page(request)
    found = getattr(request, _FRAGMENTS_ATTR, None)
    if found is None:
        found = {}
        setattr(request, _FRAGMENTS_ATTR, found)
    if name not in found:
        key = fragment_key(request, name)
        found[name] = (key, fetch(key) if key else None)
    return found[name]


def cached_fragment(request: HttpRequest, name: str) -> bool:
    """Whether fragment `name` of this request's page is stored (the view then skips its queries)."""
    return fragment(request, name)[1] is not None


def fetch(key: str):
    return cache.get(key)


def store(key: str, value) -> None:
    cache.set(key, value, settings.PAGE_CACHE_SECONDS)
