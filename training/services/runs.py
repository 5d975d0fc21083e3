"""A run's life under a lease: claim, metrics, finish / fail / cancel, takeover.

`attempt` is the lease token. Every write a worker makes is guarded by `state = 'running' AND
attempt = <its attempt>`, so a worker whose lease was taken over (its heartbeat went stale) can no
longer change the run: its update matches no row. Heartbeats are written for a whole batch at once
by `execution.BatchProgressReporter.renew`, which drops a run whose lease is gone.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from training.models import RunMetric, RunState, Sweep, TrainingRun

from .dispatch import runs_enqueue
from .sweep_state import sweep_refresh

MAX_ATTEMPTS = 2


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.TRAINING_HEARTBEAT_STALE_S)


def run_claim(*, run_id: int, worker: str) -> TrainingRun | None:
    """Take the lease of a queued run, or of a running one whose heartbeat is stale (at most
    MAX_ATTEMPTS attempts in all). Returns None when the run is not this worker's to execute: it is
    finished, cancelled, or alive under another worker. A live run is never started twice."""
    now = timezone.now()
    lease = {"state": RunState.RUNNING, "attempt": F("attempt") + 1, "worker": worker, "heartbeat_at": now}
    with transaction.atomic():
        taken = TrainingRun.objects.filter(pk=run_id, state=RunState.QUEUED, cancel_requested=False).update(
            **lease, started_at=now, step=0
        )
        if not taken:
            stale = Q(pk=run_id, state=RunState.RUNNING, heartbeat_at__lt=_stale_before())
            taken = TrainingRun.objects.filter(
                stale, attempt__lt=MAX_ATTEMPTS, cancel_requested=False
            ).update(**lease, step=0)
            if not taken:
                # A stale run out of attempts, or cancelled while its worker died, ends here.
                ended = _end_abandoned(stale, now) or TrainingRun.objects.filter(stale).update(
                    state=RunState.FAILED,
                    error=f"The worker stopped answering and the run had used its {MAX_ATTEMPTS} attempts.",
                    finished_at=now,
                )
                if ended:
                    sweep_refresh(sweep=Sweep.objects.select_related("benchmark").get(runs__pk=run_id))
                return None
    return TrainingRun.objects.select_related("sweep__benchmark").get(pk=run_id)


def _guarded(run: TrainingRun):
    return TrainingRun.objects.filter(pk=run.pk, state=RunState.RUNNING, attempt=run.attempt)


def run_record_metric(*, run: TrainingRun, step: int, values: dict) -> None:
    """Store one evaluation; recording the same (run, attempt, step) twice keeps the first."""
    RunMetric.objects.bulk_create(
        [RunMetric(run_id=run.pk, attempt=run.attempt, step=step, values=values)], ignore_conflicts=True
    )


def _end(run: TrainingRun, **fields) -> bool:
    # One transaction: the run's end and its sweep's summary commit together, so a write retried after
    # a lost connection (execution.retry_on_disconnect) finds both done or neither.
    with transaction.atomic():
        ended = _guarded(run).update(finished_at=timezone.now(), **fields)
        if ended:
            sweep_refresh(sweep=run.sweep)
    return bool(ended)


def _end_abandoned(condition: Q, now) -> int:
    """Cancel the runs matching `condition` (running, asked to stop, their worker gone): no worker will."""
    return TrainingRun.objects.filter(condition, state=RunState.RUNNING, cancel_requested=True).update(
        state=RunState.CANCELLED,
        error="Cancelled on request; its worker stopped answering before it could stop the run.",
        finished_at=now,
    )


def run_finish(
    *, run: TrainingRun, final: dict, environment: dict, timings: dict, weights: bytes, n_params: int
) -> bool:
    return _end(
        run,
        state=RunState.SUCCEEDED,
        step=F("total_steps"),
        final_metrics=final,
        environment=environment,
        timings=timings,
        weights=weights,
        n_params=n_params,
        error="",
    )


def run_fail(*, run: TrainingRun, error: str) -> bool:
    """Mark a running run failed with a short reason a person can act on."""
    return _end(run, state=RunState.FAILED, error=error[:2000])


def run_mark_cancelled(*, run: TrainingRun) -> bool:
    return _end(run, state=RunState.CANCELLED, error="Cancelled on request.")


def run_cancel(*, run: TrainingRun) -> bool:
    """Cancel a queued run at once, or ask a running one to stop at its next step."""
    now = timezone.now()
    cancelled = TrainingRun.objects.filter(pk=run.pk, state=RunState.QUEUED).update(
        state=RunState.CANCELLED, cancel_requested=True, finished_at=now, error="Cancelled before it started."
    )
    if not cancelled:
        cancelled = TrainingRun.objects.filter(pk=run.pk, state=RunState.RUNNING).update(
            cancel_requested=True
        )
    sweep_refresh(sweep=run.sweep)
    return bool(cancelled)


def runs_requeue_stale(*, queued_for_s: int = 900) -> int:
    """Wake up runs the broker may have lost: queued too long, or running with a stale heartbeat.

    Enqueuing again is safe: `run_claim` lets exactly one worker take a run, and a live one none.
    A stale run whose cancellation was requested is not woken up but cancelled here (its worker
    died before it could stop it), and its sweep refreshed, so the sweep finishes and can be published.
    Returns how many runs were enqueued again.
    """
    stale = Q(state=RunState.RUNNING, heartbeat_at__lt=_stale_before())
    for sweep_id in set(
        TrainingRun.objects.filter(stale, cancel_requested=True).values_list("sweep_id", flat=True)
    ):
        with transaction.atomic():
            if _end_abandoned(Q(stale, sweep_id=sweep_id), timezone.now()):
                sweep_refresh(sweep=Sweep.objects.select_related("benchmark").get(pk=sweep_id))
    queued = Q(state=RunState.QUEUED, queued_at__lt=timezone.now() - timedelta(seconds=queued_for_s))
    runs = list(
        TrainingRun.objects.filter(queued | stale, cancel_requested=False).select_related("sweep__benchmark")
    )
    by_sweep: dict[int, list[TrainingRun]] = {}
    for run in runs:
        by_sweep.setdefault(run.sweep_id, []).append(run)
    for sweep_runs in by_sweep.values():
        runs_enqueue(sweep=sweep_runs[0].sweep, run_ids=[run.pk for run in sweep_runs])
    return len(runs)
