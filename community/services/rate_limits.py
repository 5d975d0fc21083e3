"""How often one person (and one IP address) may submit: a sliding window kept in the cache.

The cache is local memory by default and Redis in production (CACHE_URL), so the limit holds across
gunicorn workers there. Each key keeps the times of the recent hits. Reading and writing the list are
two steps, so two requests at the very same moment may both pass: a limit against floods, not an
exact counter.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with NUM_PROXIES proxies in front, the address the
    outermost of them saw (entries to its left could be made up by the client)."""
    proxies = settings.NUM_PROXIES
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _submission_keys(request: HttpRequest) -> list[str]:
    keys = [f"ip:{client_ip(request)}"]
    if request.user.is_authenticated:
        keys.append(f"user:{request.user.pk}")
    return keys


def submission_rate_check(request: HttpRequest) -> None:
    """Before a submission, a suggested edit or a report: RateLimited if the person or the address
    already sent SUBMISSION_RATE_LIMIT in the last hour."""
    rate_limit_check(
        scope="submit",
        keys=_submission_keys(request),
        limit=settings.SUBMISSION_RATE_LIMIT,
        window=settings.SUBMISSION_RATE_WINDOW_S,
    )


def submission_rate_hit(request: HttpRequest) -> None:
    """After a submission was accepted (failed attempts do not count)."""
    rate_limit_hit(scope="submit", keys=_submission_keys(request), window=settings.SUBMISSION_RATE_WINDOW_S)


def signup_rate_check(request: HttpRequest) -> None:
    rate_limit_check(
        scope="signup", keys=[f"ip:{client_ip(request)}"], limit=settings.SIGNUP_RATE_LIMIT, window=3600
    )


def signup_rate_hit(request: HttpRequest) -> None:
    rate_limit_hit(scope="signup", keys=[f"ip:{client_ip(request)}"], window=3600)
