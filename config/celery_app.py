"""The Celery application; workers start it with `celery -A config worker`."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("deepcommons")
# Every CELERY_* Django setting configures the app, so the broker comes from CELERY_BROKER_URL.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Workers and beat log through Django's LOGGING (config/logs.py: plain or JSON by LOG_FORMAT)
    instead of Celery's own format: with a receiver on this signal Celery leaves the root logger
    alone (no hijacking, no stdout redirection)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
