"""Every write of the training app; views, admin actions, commands and tasks call these."""

from .execution import runs_execute
from .idempotency import IdempotencyKeyReused, sweep_start_once
from .runs import (
    run_cancel,
    run_claim,
    run_fail,
    run_finish,
    run_record_metric,
    runs_requeue_stale,
)
from .sweeps import queue_for, sweep_cancel, sweep_publish, sweep_refresh, sweep_rerun, sweep_start

__all__ = [
    "IdempotencyKeyReused",
    "queue_for",
    "run_cancel",
    "run_claim",
    "run_fail",
    "run_finish",
    "run_record_metric",
    "runs_execute",
    "runs_requeue_stale",
    "sweep_cancel",
    "sweep_publish",
    "sweep_refresh",
    "sweep_rerun",
    "sweep_start",
    "sweep_start_once",
]
