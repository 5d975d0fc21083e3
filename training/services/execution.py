"""What a worker does with run ids: claim them, train them as one batch, record each outcome.

A sweep's runs (or a chunk of a large sweep) travel as one task and are trained together by
`training.reference.sweep.run_sweep`: one process, the seeds stacked. Each run still has its own
lease, metrics, curve, weights and page. torch is imported here, inside the function, and nowhere
else on the Django side, so web processes that enqueue runs never load it.
"""

import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from training.models import RunState, TrainingRun

from .runs import run_claim, run_fail, run_finish, run_mark_cancelled, run_record_metric

logger = logging.getLogger(__name__)


class BatchProgressReporter:
    """The `on_progress` callback of a worker's batch of runs.

    Called after every optimisation step, so the common path is one clock read. At an evaluation it
    writes each run's metrics row (so pages draw curves live); at most once per `interval_s` it
    renews every lease in one UPDATE and reads the cancellation flags in one SELECT. A cancelled run
    is ended at once and dropped from the batch; the batch stops when no run is left. A run whose
    lease another worker took is dropped without a write.
    """

    def __init__(self, runs: list[TrainingRun], *, interval_s: float = 1.0) -> None:
        self.runs = runs
        self.active = {run.pk: run for run in runs}
        self.interval_s = interval_s
        self._last = time.monotonic()

    def __call__(self, step: int, total_steps: int, metrics: list[dict | None] | None) -> bool:
        if metrics is not None:
            for run, values in zip(self.runs, metrics, strict=True):
                if values is not None and run.pk in self.active:
                    run_record_metric(run=run, step=values.get("step", step), values=values)
        if metrics is None and time.monotonic() - self._last < self.interval_s:
            return True
        return self.renew(step=step)

    def renew(self, *, step: int) -> bool:
        """Renew every lease still held and end the cancelled runs; False when no run is left."""
        self._last = time.monotonic()
        leases = Q()
        for run in self.active.values():
            leases |= Q(pk=run.pk, attempt=run.attempt)
        held = TrainingRun.objects.filter(leases, state=RunState.RUNNING)
        held.update(step=step, heartbeat_at=timezone.now())
        flags = dict(held.values_list("pk", "cancel_requested"))
        for pk in list(self.active):
            if pk not in flags:
                logger.warning("run %s lost its lease; another worker owns it now", pk)
                del self.active[pk]
            elif flags[pk]:
                run_mark_cancelled(run=self.active.pop(pk))
        return bool(self.active)


def runs_execute(*, run_ids: list[int], worker: str) -> list[TrainingRun]:
    """Execute the runs of one task (all from one sweep, so one config) that are this worker's to run.

    Safe to call twice for the same ids: a run is claimed once (see `run_claim`); runs that are
    finished, cancelled or alive elsewhere are skipped. Returns the runs as they ended.
    """
    runs = [run for run_id in run_ids if (run := run_claim(run_id=run_id, worker=worker)) is not None]
    if not runs:
        logger.info("runs %s: nothing to do (finished, cancelled or alive elsewhere)", run_ids)
        return []
    import torch

    from training.reference.errors import RunCancelled
    from training.reference.sweep import run_sweep

    # These networks are tiny: a step is launch-bound, so more intra-op threads do not help, and on a
    # shared 2-core machine two OpenMP threads were measured up to 15x slower than one when the other
    # core was busy. One thread per CPU worker process is the robust default.
    torch.set_num_threads(settings.TRAINING_TORCH_THREADS)
    reporter = BatchProgressReporter(runs, interval_s=settings.TRAINING_HEARTBEAT_INTERVAL_S)
    # Importing torch took seconds; renew the leases now so a slow start is never taken for a dead worker.
    if not reporter.renew(step=0):
        return _refreshed(runs)
    try:
        results = run_sweep(
            runs[0].config,
            seeds=[run.seed for run in runs],
            device=runs[0].device,
            on_progress=reporter,
            data_dir=settings.TRAINING_DATA_DIR,
        )
    except RunCancelled:
        pass  # every run was cancelled and already ended by the reporter
    except SoftTimeLimitExceeded:
        for run in reporter.active.values():
            run_fail(run=run, error="Stopped at the task's time limit.")
    except Exception as exc:  # noqa: BLE001 - any failure must end the runs, never leave them running
        logger.exception("runs %s failed", [r.pk for r in runs])
        for run in reporter.active.values():
            run_fail(run=run, error=f"{type(exc).__name__}: {exc}")
    else:
        for run, result in zip(runs, results, strict=True):
            if run.pk in reporter.active:
                run_finish(
                    run=run,
                    final=result.final,
                    environment={**result.environment, "worker": worker},
                    timings=result.timings,
                    weights=result.weights,
                    n_params=result.n_params,
                )
    return _refreshed(runs)


def _refreshed(runs: list[TrainingRun]) -> list[TrainingRun]:
    for run in runs:
        run.refresh_from_db()
    return runs
