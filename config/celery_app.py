"""The Celery application; workers start it with `celery -A config worker`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("deepcommons")
# Every CELERY_* Django setting configures the app, so the broker comes from CELERY_BROKER_URL.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
