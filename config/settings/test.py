"""Test settings: the same stack as local, made fast and quiet.

With DATABASE_URL and CELERY_BROKER_URL set (CI) the suite runs on PostgreSQL and Redis.
"""

import os

from config import redis_cache
from config.redis_cache import reusing_clients

from .base import *  # noqa: F403
from .base import (
    CACHES,
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_BROKER_URL,
    DATABASES,
    INSTALLED_APPS,
    VAR_DIR,
    env,
    filesystem_broker_options,
)

DEBUG = False
# `generate_catalogue` (benchmarks/catalogue), which the load and search-plan tests call.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.catalogue"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    **CACHES,
    "default": reusing_clients(env.cache("CACHE_URL", default="locmemcache://deepcommons-test")),
    "ratelimit": reusing_clients(
        env.cache("RATELIMIT_CACHE_URL", default="locmemcache://deepcommons-test-ratelimit")
    ),
}
# pytest-xdist runs the suite in several processes (PYTEST_XDIST_WORKER: gw0, gw1, ...). Each has a cache
# key prefix, a broker folder or Redis key prefix of its own (below), so one process's Celery worker
# never takes another's tasks and one emptying its cache never wipes another's entries (on a shared
# Redis, PrefixedRedisCache.clear() deletes only its own prefix). The Celery worker a test starts
# inherits the variable and so lands in the same place. PostgreSQL test databases get the suffix from
# pytest-django, SQLite ones are one per process (below).
TEST_PROCESS = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
for _cache in CACHES.values():
    _cache["KEY_PREFIX"] = TEST_PROCESS
    if _cache["BACKEND"] == redis_cache.BACKEND:
        _cache["BACKEND"] = "tests.support.caches.PrefixedRedisCache"

# WhiteNoise indexes every file under STATIC_ROOT when its middleware is built, which is once per test
# client: with a collected staticfiles/ in the checkout (765 files) that was about 0.1-0.8 s per test.
# Autorefresh looks a file up when a /static/ URL is asked for instead (no test serves one through it).
WHITENOISE_AUTOREFRESH = True

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
    BROKER_DIR = VAR_DIR / "test-broker" / TEST_PROCESS
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(BROKER_DIR)
else:
    # Redis (CI): every key the broker writes (queues, bindings, unacked messages) under this prefix.
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": f"{TEST_PROCESS}:"}
