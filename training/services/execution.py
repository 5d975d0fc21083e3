"""What a worker does with a run id: claim it, train it with `training.reference`, record the outcome.

torch is imported here, inside the function, and nowhere else on the Django side, so web processes
that enqueue runs never load it.
"""

import logging
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from training.models import TrainingRun

from .runs import (
    LeaseLost,
    run_claim,
    run_fail,
    run_finish,
    run_heartbeat,
    run_mark_cancelled,
    run_record_metric,
)

logger = logging.getLogger(__name__)


class ProgressReporter:
    """The `on_progress` callback of a worker's run.

    Called after every optimisation step, so the common path is one clock read: the heartbeat (and
    the cancellation check that rides on it) goes to the database at most once per `interval_s`,
    and each evaluation is written as it happens so the run page draws the curve live.
    """

    def __init__(self, run: TrainingRun, *, interval_s: float = 1.0) -> None:
        self.run = run
        self.interval_s = interval_s
        self._last = time.monotonic()

    def __call__(self, step: int, total_steps: int, metrics: dict | None) -> bool:
        if metrics is not None:
            run_record_metric(run=self.run, step=step, values=metrics)
        now = time.monotonic()
        if metrics is None and now - self._last < self.interval_s:
            return True
        self._last = now
        return run_heartbeat(run=self.run, step=step)


def run_execute(*, run_id: int, worker: str) -> TrainingRun | None:
    """Execute one run if it is this worker's to run; safe to call twice for the same id."""
    run = run_claim(run_id=run_id, worker=worker)
    if run is None:
        logger.info("run %s: nothing to do (finished, cancelled or alive elsewhere)", run_id)
        return None
    import torch

    from training.reference.errors import RunCancelled
    from training.reference.run import run as reference_run

    # These networks are tiny: a step is launch-bound, so more intra-op threads do not help, and on a
    # shared 2-core machine two OpenMP threads were measured up to 15x slower than one when the other
    # core was busy. One thread per CPU worker process is the robust default.
    torch.set_num_threads(settings.TRAINING_TORCH_THREADS)

    try:
        result = reference_run(
            run.config,
            seed=run.seed,
            device=run.device,
            on_progress=ProgressReporter(run, interval_s=settings.TRAINING_HEARTBEAT_INTERVAL_S),
            data_dir=settings.TRAINING_DATA_DIR,
        )
    except RunCancelled:
        run_mark_cancelled(run=run)
    except LeaseLost:
        logger.warning("run %s attempt %s lost its lease; another worker owns it now", run.pk, run.attempt)
        return None
    except SoftTimeLimitExceeded:
        run_fail(run=run, error=f"Stopped at the time limit of {run.sweep.benchmark.time_limit_s} s.")
    except Exception as exc:  # noqa: BLE001 - any failure must end the run, never leave it running
        logger.exception("run %s failed", run.pk)
        run_fail(run=run, error=f"{type(exc).__name__}: {exc}")
    else:
        run_finish(
            run=run,
            final=result.final,
            environment={**result.environment, "worker": worker},
            timings=result.timings,
            weights=result.weights,
            n_params=result.n_params,
        )
    run.refresh_from_db()
    return run
