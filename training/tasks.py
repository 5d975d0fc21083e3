"""Celery tasks of the training app. They take ids and call one service; the database holds the truth."""

from celery import shared_task

from training import services


@shared_task(
    name="training.execute_runs",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def execute_runs(self, run_ids: list[int]) -> None:
    """Train the runs of one sweep (or one chunk of a large sweep) together on this worker."""
    services.runs_execute(run_ids=run_ids, worker=self.request.hostname or "unknown")


@shared_task(name="training.requeue_stale_runs", ignore_result=True)
def requeue_stale_runs() -> int:
    return services.runs_requeue_stale()
