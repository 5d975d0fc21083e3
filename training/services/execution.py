"""What a worker does with run ids: claim them, train them as one batch, record each outcome.

A sweep's runs (or a chunk of a large sweep) travel as one task and are trained together by
`training.reference.sweep.run_sweep`: one process, the seeds stacked. Each run still has its own
lease, metrics, curve, weights and page. torch is imported here, inside the function, and nowhere
else on the Django side, so web processes that enqueue runs never load it.
"""

import contextlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Q
from django.utils import timezone

from training.models import RunState, TrainingRun

from .runs import run_claim, run_fail, run_finish, run_mark_cancelled, run_record_metric

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A dropped connection, a restarted or failed-over server: the database's fault, never the run's.
INFRASTRUCTURE_ERRORS = (OperationalError, InterfaceError)
RETRY_FIRST_DELAY_S = 0.1
RETRY_MAX_DELAY_S = 10.0


class DatabaseUnavailable(Exception):  # noqa: N818 - a condition, like Django's ObjectDoesNotExist
    """The worker could not write to the database before its lease could go stale.

    The runs are left as they are (running, their heartbeat ageing): the stale-run reaper requeues
    them and another attempt takes them over. They are never marked failed for it.
    """


def retry_on_disconnect(write: Callable[[], T], *, deadline: float, what: str) -> T:
    """Call `write`; on a database error close the connection and try again with exponential backoff.

    Django reconnects on the next query once the broken connection is closed. `deadline` is a
    `time.monotonic()` value: a retry that could not start before it raises DatabaseUnavailable,
    so the caller gives the runs up instead of writing under a lease another worker may hold.
    Every write retried here is idempotent (guarded updates, metrics that ignore a duplicate).
    """
    delay = RETRY_FIRST_DELAY_S
    while True:
        try:
            return write()
        except INFRASTRUCTURE_ERRORS as exc:
            if connection.in_atomic_block:
                raise  # a transaction of the caller's is broken: only the caller can start it again
            # Closing a broken connection may complain; it is dropped all the same, and Django opens
            # a new one at the next query.
            with contextlib.suppress(*INFRASTRUCTURE_ERRORS):
                connection.close()
            if time.monotonic() + delay >= deadline:
                raise DatabaseUnavailable(f"{what}: the database did not answer in time ({exc})") from exc
            logger.warning(
                "%s: database error (%s); retrying in %.1f s on a new connection", what, exc, delay
            )
            time.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_DELAY_S)


class BatchProgressReporter:
    """The `on_progress` callback of a worker's batch of runs.

    Called after every optimisation step, so the common path is one clock read. At an evaluation it
    writes each run's metrics row (so pages draw curves live); at most once per `interval_s` it
    renews every lease in one UPDATE and reads the cancellation flags in one SELECT. A cancelled run
    is ended at once and dropped from the batch; the batch stops when no run is left. A run whose
    lease another worker took is dropped without a write.

    Every write is retried across a dropped connection (`write`) for as long as the leases are
    surely still this worker's: until TRAINING_HEARTBEAT_STALE_S after the last renewal, less a
    margin for clocks and the write itself. Past that, DatabaseUnavailable stops the batch.
    """

    def __init__(
        self, runs: list[TrainingRun], *, interval_s: float = 1.0, claimed_at: float | None = None
    ) -> None:
        self.runs = runs
        self.active = {run.pk: run for run in runs}
        self.interval_s = interval_s
        self._last = time.monotonic()
        # The claim wrote the runs' first heartbeat (`claimed_at`: time.monotonic() before claiming).
        self._renewed = self._last if claimed_at is None else claimed_at

    def __call__(self, step: int, total_steps: int, metrics: list[dict | None] | None) -> bool:
        if metrics is not None:
            self.write(lambda: self._record(step, metrics), what=f"metrics at step {step}")
        if metrics is None and time.monotonic() - self._last < self.interval_s:
            return True
        return self.renew(step=step)

    def _record(self, step: int, metrics: list[dict | None]) -> None:
        for run, values in zip(self.runs, metrics, strict=True):
            if values is not None and run.pk in self.active:
                run_record_metric(run=run, step=values.get("step", step), values=values)

    def write(self, write: Callable[[], T], *, what: str) -> T:
        """Run one database write of the batch, retried until the leases could go stale."""
        stale_s = settings.TRAINING_HEARTBEAT_STALE_S
        deadline = self._renewed + stale_s - max(self.interval_s, stale_s / 4)
        return retry_on_disconnect(write, deadline=deadline, what=f"runs {list(self.active)}: {what}")

    def renew(self, *, step: int) -> bool:
        """Renew every lease still held and end the cancelled runs; False when no run is left."""
        self._last = time.monotonic()
        flags = self.write(lambda: self._heartbeat(step), what=f"heartbeat at step {step}")
        self._renewed = self._last
        for pk in list(self.active):
            if pk not in flags:
                logger.warning("run %s lost its lease; another worker owns it now", pk)
                del self.active[pk]
            elif flags[pk]:
                run = self.active.pop(pk)
                self.write(lambda run=run: run_mark_cancelled(run=run), what=f"cancelling run {pk}")
        return bool(self.active)

    def _heartbeat(self, step: int) -> dict[int, bool]:
        leases = Q()
        for run in self.active.values():
            leases |= Q(pk=run.pk, attempt=run.attempt)
        held = TrainingRun.objects.filter(leases, state=RunState.RUNNING)
        held.update(step=step, heartbeat_at=timezone.now())
        return dict(held.values_list("pk", "cancel_requested"))


def runs_execute(
    *, run_ids: list[int], worker: str, time_limit_errors: tuple[type[BaseException], ...] = ()
) -> list[TrainingRun]:
    """Execute the runs of one task (all from one sweep, so one config) that are this worker's to run.

    `time_limit_errors`: what the task runner raises at its time limit (Celery's
    SoftTimeLimitExceeded, passed in by training.tasks so this module need not know Celery); the
    runs then fail saying so.

    Safe to call twice for the same ids: a run is claimed once (see `run_claim`); runs that are
    finished, cancelled or alive elsewhere are skipped. Returns the runs as they ended.
    """
    claimed_at = time.monotonic()
    runs = [run for run_id in run_ids if (run := run_claim(run_id=run_id, worker=worker)) is not None]
    if not runs:
        logger.info("runs %s: nothing to do (finished, cancelled or alive elsewhere)", run_ids)
        return []
    import torch

    # These networks are tiny: a step is launch-bound, so more intra-op threads do not help, and on a
    # shared 2-core machine two OpenMP threads were measured up to 15x slower than one when the other
    # core was busy. One thread per CPU worker process is the robust default.
    torch.set_num_threads(settings.TRAINING_TORCH_THREADS)
    reporter = BatchProgressReporter(
        runs, interval_s=settings.TRAINING_HEARTBEAT_INTERVAL_S, claimed_at=claimed_at
    )
    # Importing torch took seconds; renew the leases now so a slow start is never taken for a dead worker.
    try:
        if not reporter.renew(step=0):
            return _refreshed(runs)
        _train(runs, reporter, worker, time_limit_errors)
    except (DatabaseUnavailable, *INFRASTRUCTURE_ERRORS):
        # Never a failed run: the runs stay running, and once their heartbeat is stale the reaper
        # (runs_requeue_stale) requeues them for another attempt.
        logger.exception("runs %s: the database stayed unavailable; leaving them to be retaken", run_ids)
        return runs
    return _refreshed(runs)


def _train(
    runs: list[TrainingRun],
    reporter: BatchProgressReporter,
    worker: str,
    time_limit_errors: tuple[type[BaseException], ...],
) -> None:
    from training.reference.errors import RunCancelled
    from training.reference.sweep import run_sweep

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
    except (DatabaseUnavailable, *INFRASTRUCTURE_ERRORS):
        raise  # the database's fault, not the runs': see runs_execute
    except time_limit_errors:
        _fail_active(reporter, "Stopped at the task's time limit.")
    except Exception as exc:  # noqa: BLE001 - any failure must end the runs, never leave them running
        logger.exception("runs %s failed", [r.pk for r in runs])
        _fail_active(reporter, f"{type(exc).__name__}: {exc}")
    else:
        for run, result in zip(runs, results, strict=True):
            if run.pk in reporter.active:
                reporter.write(
                    lambda run=run, result=result: run_finish(
                        run=run,
                        final=result.final,
                        environment={**result.environment, "worker": worker},
                        timings=result.timings,
                        weights=result.weights,
                        n_params=result.n_params,
                    ),
                    what=f"finishing run {run.pk}",
                )


def _fail_active(reporter: BatchProgressReporter, error: str) -> None:
    for run in list(reporter.active.values()):
        reporter.write(lambda run=run: run_fail(run=run, error=error), what=f"failing run {run.pk}")


def _refreshed(runs: list[TrainingRun]) -> list[TrainingRun]:
    for run in runs:
        run.refresh_from_db()
    return runs
