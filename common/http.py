"""The client's address, read the same way by every limit: DRF's throttles (common.api.throttling), the
submission and sign-up budgets (community.services.rate_limits) and the log-in lockout."""

import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

_forwarded_warned = False


def client_ip(request: HttpRequest) -> str:
    """The client's address for every limit (DRF's throttles, sign-up, submissions, login): REMOTE_ADDR,
    or with NUM_PROXIES proxies in front, the address the outermost of them saw (entries to its left
    could be made up by the client). Takes a Django HttpRequest or a DRF Request (which proxies META)."""
    proxies = settings.NUM_PROXIES
    if proxies == 0 and "HTTP_X_FORWARDED_FOR" in request.META:
        _warn_forwarded_once()
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _warn_forwarded_once() -> None:
    # A request with X-Forwarded-For while NUM_PROXIES is 0 means one of two things: the site runs
    # behind a proxy nobody told it about (then every client has the proxy's address and shares one
    # budget: limits hit everybody at once), or a client made the header up (then it is rightly
    # ignored). Only the operator can tell which, so say it once per process, not on every request.
    global _forwarded_warned
    if _forwarded_warned:
        return
    _forwarded_warned = True
    logger.warning(
        "A request carries X-Forwarded-For but NUM_PROXIES is 0, so limits use REMOTE_ADDR and ignore "
        "the header. Behind a proxy, set NUM_PROXIES to the number of proxies that append to it."
    )
