"""Celery tasks of the training app. They take ids and call one service; the database holds the truth.

The only module of the app that knows Celery: the services hand runs over through the
`runs_ready` signal (training.services.dispatch), which `enqueue_runs` below receives.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.dispatch import receiver

from community.services.imports.pwc import leaderboards_imported
from training import services
from training.reference.batched.sizing import max_seeds_per_task
from training.services.claims import benchmarks_claims_refresh
from training.services.dispatch import runs_ready
from training.services.execution import runs_execute


@shared_task(
    name="training.execute_runs",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def execute_runs(self, run_ids: list[int]) -> None:
    """Train the runs of one sweep (or one chunk of a large sweep) together on this worker."""
    runs_execute(
        run_ids=run_ids, worker=self.request.hostname or "unknown", time_limit_errors=(SoftTimeLimitExceeded,)
    )


@shared_task(name="training.requeue_stale_runs", ignore_result=True)
def requeue_stale_runs() -> int:
    return services.runs_requeue_stale()


@receiver(leaderboards_imported, dispatch_uid="training.tasks.refresh_leaderboard_claims")
def refresh_leaderboard_claims(sender, report, **kwargs) -> None:
    """An archive import may have changed the leaderboards some benchmarks take their claim from."""
    if any(created or updated for _kind, created, updated, _same, _rejected in report.counts.rows()):
        benchmarks_claims_refresh()


@receiver(runs_ready, dispatch_uid="training.tasks.enqueue_runs")
def enqueue_runs(*, sweep, run_ids: list[int], **kwargs) -> None:
    """One task per chunk of the sweep's runs; a chunk is as many seeds as one worker trains at once.

    On a GPU that is what fits its memory (settings.TRAINING_GPU_MEMORY_BYTES), so several GPU
    workers share a large sweep; on a CPU it is where batching stops paying.
    """
    device = "cuda" if sweep.queue == "gpu" else "cpu"
    size = max_seeds_per_task(sweep.benchmark.network, device, settings.TRAINING_GPU_MEMORY_BYTES)
    for start in range(0, len(run_ids), size):
        chunk = run_ids[start : start + size]
        # A batch of N takes at most N single runs' time (batching only speeds it up).
        soft = min(sweep.benchmark.time_limit_s * len(chunk), settings.TRAINING_MAX_TASK_S - 60)
        execute_runs.apply_async(args=[chunk], queue=sweep.queue, soft_time_limit=soft, time_limit=soft + 60)
