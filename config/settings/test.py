"""Test settings: the same stack as local, made fast and quiet.

With DATABASE_URL and CELERY_BROKER_URL set (CI) the suite runs on PostgreSQL and Redis.
"""

from .base import *  # noqa: F403
from .base import CACHES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {**CACHES, "default": env.cache("CACHE_URL", default="locmemcache://deepcommons-test")}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
