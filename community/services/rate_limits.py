"""How often one person (and one IP address) may submit or sign up: a sliding window kept in the
`ratelimit` cache, and the one function that decides a request's client address for every limit.

The counters live in the `ratelimit` cache alias (RATELIMIT_CACHE_URL), never in the page cache: a
cache that evicts (Redis with an LRU policy, local memory with MAX_ENTRIES) would drop counters to
make room for pages, and an evicted counter is a limit reset. It is local memory by default and a
non-evicting Redis in production, so the limit holds across gunicorn workers there. Each key keeps
the times of the recent hits. Reading and writing the list are two steps, so two requests at the very
same moment may both pass: a limit against floods, not an exact counter.

Submissions have one budget, whatever the path (web form, API, import): every submission service is
wrapped in `submission_limited`, which counts per user and per address (SUBMISSION_RATE_LIMIT in
SUBMISSION_RATE_WINDOW_S) and raises RateLimited; callers only translate that into their answer.
"""

import contextvars
import functools
import hashlib
import logging
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.connection import ConnectionProxy

from common.http import client_ip

logger = logging.getLogger(__name__)

# Resolved on each use (like django.core.cache.cache), so a test's override_settings(CACHES=...) and
# each thread get their own connection.
cache = ConnectionProxy(caches, "ratelimit")


class RateLimited(Exception):  # noqa: N818 - a condition to report to the person, not a fault
    """Over the limit: `count` hits in the last `window` seconds; the oldest leaves in `wait_seconds`."""

    def __init__(self, *, count: int, window: int, wait_seconds: int):
        super().__init__(f"{count} in {window}s; wait {wait_seconds}s")
        self.count = count
        self.window = window
        self.wait_seconds = wait_seconds

    @property
    def wait_minutes(self) -> int:
        return max(1, math.ceil(self.wait_seconds / 60))


def _key(scope: str, key: str) -> str:
    return f"ratelimit:{scope}:{key}"


def _recent(scope: str, key: str, *, window: int, now: float) -> list[float]:
    return [stamp for stamp in cache.get(_key(scope, key), []) if stamp > now - window]


def rate_limit_check(*, scope: str, keys: list[str], limit: int, window: int) -> None:
    """Raise RateLimited when any of `keys` (a user, an IP address) already has `limit` hits."""
    now = time.time()
    for key in keys:
        recent = _recent(scope, key, window=window, now=now)
        if len(recent) >= limit:
            wait = recent[-limit] + window - now
            raise RateLimited(count=len(recent), window=window, wait_seconds=max(1, math.ceil(wait)))


def rate_limit_hit(*, scope: str, keys: list[str], window: int) -> None:
    now = time.time()
    for key in keys:
        recent = _recent(scope, key, window=window, now=now)
        recent.append(now)
        # Only the newest hits matter, so a flood cannot grow the list without bound.
        cache.set(_key(scope, key), recent[-1000:], timeout=window)


# --- the one submission budget ------------------------------------------------------------------

SUBMISSION_SCOPE = "submit"
# Set while a limited service runs, so a service that calls another (journal_submit calls
# venue_submit) spends one unit of the budget, not two.
_inside_limited = contextvars.ContextVar("inside_limited_submission", default=False)


def submission_keys(*, user=None, ip: str | None = None) -> list[str]:
    """The identities one submission is counted against: its address and its signed-in user."""
    keys = [f"ip:{ip}"] if ip else []
    if user is not None and getattr(user, "is_authenticated", False):
        keys.append(f"user:{user.pk}")
    return keys


def submission_rate_check(*, user=None, ip: str | None = None) -> None:
    """RateLimited if the person or the address already sent SUBMISSION_RATE_LIMIT submissions
    (items, suggested edits, reports, imports of pending items) in the window."""
    rate_limit_check(
        scope=SUBMISSION_SCOPE,
        keys=submission_keys(user=user, ip=ip),
        limit=settings.SUBMISSION_RATE_LIMIT,
        window=settings.SUBMISSION_RATE_WINDOW_S,
    )


def submission_rate_hit(*, user=None, ip: str | None = None) -> None:
    """After a submission was accepted (refused ones do not count)."""
    rate_limit_hit(
        scope=SUBMISSION_SCOPE,
        keys=submission_keys(user=user, ip=ip),
        window=settings.SUBMISSION_RATE_WINDOW_S,
    )


def submission_limited(service: Callable) -> Callable:
    """Wraps a submission service: it takes a keyword `ip` (the client address, `client_ip(request)`;
    None from a command or a task) beside its `user`, raises RateLimited before doing anything when
    either has spent the budget, and counts one hit when it returns (an error spends nothing)."""

    @functools.wraps(service)
    def limited(*args, ip: str | None = None, **kwargs):
        if _inside_limited.get():
            return service(*args, **kwargs)
        user = kwargs.get("user")
        submission_rate_check(user=user, ip=ip)
        token = _inside_limited.set(True)
        try:
            result = service(*args, **kwargs)
        finally:
            _inside_limited.reset(token)
        submission_rate_hit(user=user, ip=ip)
        return result

    return limited


def signup_rate_check(request: HttpRequest) -> None:
    rate_limit_check(
        scope="signup", keys=[f"ip:{client_ip(request)}"], limit=settings.SIGNUP_RATE_LIMIT, window=3600
    )


def signup_rate_hit(request: HttpRequest) -> None:
    rate_limit_hit(scope="signup", keys=[f"ip:{client_ip(request)}"], window=3600)


def _password_reset_limits(request: HttpRequest, email: str) -> list[tuple[str, int]]:
    # A hash: the counter store keeps no address, and the key has a fixed length whatever was typed.
    address = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()
    return [
        (f"email:{address}", settings.PASSWORD_RESET_RATE_LIMIT_PER_EMAIL),
        (f"ip:{client_ip(request)}", settings.PASSWORD_RESET_RATE_LIMIT_PER_IP),
    ]


def password_reset_rate_check(request: HttpRequest, *, email: str) -> None:
    """Before a password-reset request (each may send a mail): RateLimited if the address or the
    client IP already asked its limit in the last hour."""
    for key, limit in _password_reset_limits(request, email):
        rate_limit_check(scope="password_reset", keys=[key], limit=limit, window=3600)


def password_reset_rate_hit(request: HttpRequest, *, email: str) -> None:
    keys = [key for key, _limit in _password_reset_limits(request, email)]
    rate_limit_hit(scope="password_reset", keys=keys, window=3600)
