"""Request-rate limits of the API, counted in the `ratelimit` cache (RATELIMIT_CACHE_URL: a Redis that
never evicts in production, shared by every gunicorn worker; local memory in the embedded default).

- `anon`: per client address, for requests without credentials;
- `user`: per account, for authenticated requests;
- `writes`: per account, for the API's writes that are not submissions (the training app's sweep
  actions: start, cancel, publish), much lower, because each one queues GPU work or changes what the
  site publishes.

Submissions (new items, suggested edits, reports, editions) have no DRF throttle: the submission
services count them per user and per address in one budget shared with the web forms and imports
(community.services.rate_limits.submission_limited), so the API cannot add a second allowance.

The client address is `common.http.client_ip`, the one function every limit of the
site uses (it honours NUM_PROXIES), never DRF's own reading of X-Forwarded-For.

Rates are read from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] on every request rather than once at
import (DRF's default), so tests and deployments can change them with settings alone.
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework import throttling
from rest_framework.settings import api_settings

from common.http import client_ip

WRITES_SCOPE = "writes"


class SiteThrottleMixin:
    # Resolved on each use, like django.core.cache.cache: the counters never share the page cache,
    # whose evictions would reset them.
    cache = ConnectionProxy(caches, "ratelimit")

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)


class AnonThrottle(SiteThrottleMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(SiteThrottleMixin, throttling.UserRateThrottle):
    pass


class WriteThrottle(SiteThrottleMixin, throttling.ScopedRateThrottle):
    """ScopedRateThrottle for non-submission writes: a view's `throttle_scope` counts only its unsafe
    methods, so a client reading the API never spends its allowance."""

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
