"""Whole pages kept for readers who are not logged in: the page cache's fast path.

The page cache (community.page_cache) keeps the main content of the busiest pages, but a request that
finds its fragment still runs its view: the filter form validated and drawn, the querysets built, the
header and the rest of the layout rendered, two trips to the cache. For a reader with no session
(nobody logged in, no pending message) everything outside the fragments is the same for every such
reader but one thing, the CSRF token of the header's language switcher. So the whole response of such
a page is kept too, with the token left empty, and served before the view runs with a token minted
for this reader (the CSRF middleware then sets the cookie it belongs to, as for a rendered page).

What is kept, and when:
- only pages that use the page cache (they asked for a fragment: community.page_cache.fragment),
  answered 200 as HTML, with no cookie of their own;
- only for a request whose every parameter the page knows (a request carrying a parameter the page
  does not read never stores, as with fragments) and whose values the view validated (an invalid
  value is a 400, never stored). The key holds the request's parameters as sent, names sorted, so a
  stored page is found without running the view; with the catalogue's version, the language, the
  reader's time zone, the host and the path, as a fragment's key does. One page is kept per
  validated query, as one fragment is: the first spelling of it a reader sent (`first_spelling`);
- never for a request with a session or messages cookie: a logged-in reader's header, or a message
  waiting to be shown, is theirs alone (those requests render as before, fragments included).

A write to the catalogue moves its version on, which makes every kept page stale at once, as it does
fragments; PAGE_CACHE_SECONDS bounds the rest (deadlines' "in 3 days" and the like).
"""

import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from community import page_cache

# The hidden input {% csrf_token %} writes; stored with its value empty.
_TOKEN_ATTRS = b'name="csrfmiddlewaretoken" value="'
_TOKEN_INPUT = re.compile(re.escape(_TOKEN_ATTRS) + rb'[^"]*"')
_EMPTY_TOKEN = _TOKEN_ATTRS + b'"'
_MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage


def servable(request: HttpRequest) -> bool:
    """Whether this request may be answered with, and may leave, a kept page."""
    return (
        page_cache.enabled()
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and _MESSAGES_COOKIE not in request.COOKIES
    )


def key(request: HttpRequest) -> str | None:
    """The kept page's key, or None when this request's page is never kept (caching off, `?tz=`
    naming no zone): a fragment's key (version, language, zone, path) with the scheme, the host and
    the parameters as sent, names sorted. Read before the view runs, so no validated query yet."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    return page_cache.fragment_key(request, "whole", request.scheme, request.get_host(), query)


def replay(request: HttpRequest, kept: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    """The kept page as this reader's response: their own CSRF token in each emptied input (get_token
    also tells the CSRF middleware to send the cookie it belongs to) and the headers its view set."""
    content, headers = kept
    if _EMPTY_TOKEN in content:
        token = get_token(request).encode()
        content = content.replace(_EMPTY_TOKEN, _TOKEN_ATTRS + token + b'"')
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this response may be kept for every reader without a session (module docstring)."""
    return (
        getattr(request, page_cache.WHOLE_PAGE_ATTR, False)
        and page_cache.storable(request)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A message the view queued is shown on this page: this reader's alone.
        and not len(get_messages(request))
        and response.get("Content-Type", "").startswith("text/html")
        # A view that says its page varies by a request header, or is not to be cached, keeps it so.
        and not response.has_header("Vary")
        and not response.has_header("Cache-Control")
    )


def first_spelling(request: HttpRequest, name: str) -> bool:
    """Whether `name`, this request's key (its parameters as sent), is the first way of writing its
    validated values that a reader asked for: only that one is kept. Many ways of writing a query
    validate alike (`?q=` and no `q`, `?q=%20%20`, `?year=02017`); each kept would let made-up
    spellings of one page fill the cache, so a page is kept once per validated query, as its
    fragments are (the first spelling is remembered under the fragments' key)."""
    spelling = page_cache.fragment_key(request, "whole-spelling")
    if spelling is None:
        return False
    return cache.add(spelling, name, settings.PAGE_CACHE_SECONDS) or cache.get(spelling) == name


def freeze(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
    """The response's content with every CSRF token emptied, and the headers its view set."""
    return _TOKEN_INPUT.sub(_EMPTY_TOKEN, response.content), list(response.items())


# The views whose pages this process keeps: only their requests look in the cache, so every other
# request (the API, feeds, /healthz, forms) costs no trip to it. Learnt from the pages themselves
# (a view marks its page by asking for a fragment), so there is no second list of views to keep: a
# view's first keepable page in a process is not stored, the next ones are.
_KEEPING_VIEWS: set[Callable] = set()
# What process_view leaves on the request for __call__: (the view, the kept page's key or None).
_LOOKUP_ATTR = "_anonymous_page_lookup"


class AnonymousPageMiddleware:
    """Serves a kept page to a reader without a session, and keeps the pages it may (module docstring).
    Placed after the CSRF, authentication, messages and header middleware, so a kept page goes out
    through them as a rendered one does (the token's cookie, Vary, CSP, frame options)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        view, name = getattr(request, _LOOKUP_ATTR, (None, None))
        if view is not None and keepable(request, response):
            # Stored only under a key read before the view ran: one read after it could hold a
            # version that a write moved on while the page was read, and keep the old rows under it.
            if name is not None and first_spelling(request, name):
                page_cache.store(name, freeze(response))
            _KEEPING_VIEWS.add(view)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not servable(request):
            return None
        name = key(request) if view_func in _KEEPING_VIEWS else None
        setattr(request, _LOOKUP_ATTR, (view_func, name))
        kept = page_cache.fetch(name) if name is not None else None
        return replay(request, kept) if kept is not None else None
