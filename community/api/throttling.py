"""Request-rate limits of the API, counted in the default cache (CACHE_URL: Redis in production,
so every gunicorn worker shares the counts; local memory in the embedded default).

- `anon`: per client address, for requests without credentials;
- `user`: per account, for authenticated requests;
- `submissions`: per account, for writes only (submitting, suggesting edits, reports, moderation and
  sweep actions), much lower, because each write lands in a person's review queue.

Rates are read from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] on every request rather than once at
import (DRF's default), so tests and deployments can change them with settings alone.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

SUBMISSIONS_SCOPE = "submissions"


class LiveRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(LiveRateMixin, throttling.AnonRateThrottle):
    pass


class UserThrottle(LiveRateMixin, throttling.UserRateThrottle):
    pass


class SubmissionThrottle(LiveRateMixin, throttling.ScopedRateThrottle):
    """ScopedRateThrottle for writes: a view's `throttle_scope` counts only its unsafe methods, so a
    client reading the API never spends its submission allowance."""

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
