"""Production: PostgreSQL, Redis, gunicorn behind a proxy. Every secret comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.logs import logging_config

from .base import *  # noqa: F403
from .base import DATABASES, LOG_LEVEL, env

# Limit and throttle counters (the "ratelimit" cache) must be shared by every web process and never
# evicted: with a shared CACHE_URL but no RATELIMIT_CACHE_URL they would fall back to one count per
# process, and each gunicorn worker would grant the whole allowance again. Refuse to start instead.
if env.str("CACHE_URL", default="") and not env.str("RATELIMIT_CACHE_URL", default=""):
    raise ImproperlyConfigured(
        "RATELIMIT_CACHE_URL is not set: name a Redis that never evicts (maxmemory-policy noeviction), "
        "e.g. the broker's, for the limit counters; see the README, Configuration."
    )

# Cached page content needs a cache every web process shares (community.page_cache).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60 if env.str("CACHE_URL", default="") else 0)

# The planner's cost of a random page read, for SSD storage, where it costs about what a sequential
# read does. PostgreSQL's default (4.0) dates from spinning disks and makes the planner scan every
# paper rather than read the GIN index for a word that one paper in eight contains: 80-120 ms instead
# of 25 (benchmarks/RESULTS.md). Set per connection, so it needs no access to the server's config.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={env.float('PG_RANDOM_PAGE_COST', default=1.1)}"
    )

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_REFERRER_POLICY = "same-origin"

# One JSON object per line for the log collector, from the web processes and the workers alike.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
