from django.conf import settings

from config.celery_app import app


def test_every_scheduled_job_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"{name}: no task {entry['task']}"
        assert entry["schedule"] > 0
