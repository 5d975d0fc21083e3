"""Test settings: the same stack as local, made fast and quiet.

With DATABASE_URL and CELERY_BROKER_URL set (CI) the suite runs on PostgreSQL and Redis.
"""

import os

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_URL, DATABASES, VAR_DIR, env, filesystem_broker_options

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    **CACHES,
    "default": env.cache("CACHE_URL", default="locmemcache://deepcommons-test"),
    "ratelimit": env.cache("RATELIMIT_CACHE_URL", default="locmemcache://deepcommons-test-ratelimit"),
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the Celery worker the tests start in a subprocess opens the same database.
    # One per test process, so two suites running at once (or xdist workers) never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}

if CELERY_BROKER_URL.startswith("filesystem://"):
    # Its own folder, so a `make run` worker never sees test messages, nor the tests its messages.
    BROKER_DIR = VAR_DIR / "test-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(BROKER_DIR)
