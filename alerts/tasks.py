"""Celery tasks of the alerts app (queue `default`, from beat): they call one service each and are
safe to run twice, or twice at once (alerts.services.delivery)."""

from celery import shared_task

from .services import digests, reminders


@shared_task(name="alerts.reminders_send", ignore_result=True)
def reminders_send() -> dict:
    """Send the deadline reminders that are due (every few minutes from beat)."""
    return reminders.reminders_run()


@shared_task(name="alerts.digests_send", ignore_result=True)
def digests_send() -> dict:
    """Send last week's digests not sent yet (hourly from beat; each user's week goes out once)."""
    return digests.digests_run()
