"""Every write of the training app; views, admin actions, commands and tasks call these.

A worker's own service, `execution.runs_execute` (it imports torch), is not re-exported here: the
web imports this package and never loads it; the tasks and the commands that train import it from
training.services.execution.
"""

from .first_start import FIRST_START_SEEDS, first_start_queue
from .idempotency import IdempotencyKeyReused, sweep_start_once
from .runs import (
    run_cancel,
    run_claim,
    run_fail,
    run_finish,
    run_record_metric,
    runs_requeue_stale,
)
from .sweep_state import sweep_publish, sweep_refresh
from .sweeps import queue_for, sweep_cancel, sweep_rerun, sweep_start

__all__ = [
    "FIRST_START_SEEDS",
    "IdempotencyKeyReused",
    "first_start_queue",
    "queue_for",
    "run_cancel",
    "run_claim",
    "run_fail",
    "run_finish",
    "run_record_metric",
    "runs_requeue_stale",
    "sweep_cancel",
    "sweep_publish",
    "sweep_refresh",
    "sweep_rerun",
    "sweep_start",
    "sweep_start_once",
]
