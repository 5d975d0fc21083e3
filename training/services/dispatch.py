"""Handing runs to workers without knowing Celery.

The services decide what is to run and when (after the transaction that created or woke the runs
commits); `training.tasks`, the only module that knows Celery, decides how: it connects a receiver
to `runs_ready` when it is imported (TrainingConfig.ready imports it in every process, and a worker
loads it anyway) and sends each chunk of runs as an `execute_runs` task. So the services never import
the tasks, the tasks import the services, and the import runs one way (an import-linter contract in
pyproject.toml keeps it so). A Django signal rather than an argument: every caller of sweep_start (the
portal, the API, the admin, the commands) enqueues the same way without each passing a function.
"""

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# sender: Sweep; sweep: the Sweep the runs belong to; run_ids: the runs a worker should execute.
runs_ready = Signal()


def runs_enqueue(*, sweep, run_ids: list[int]) -> None:
    """Hand `run_ids` (runs of `sweep`) to the workers. Call it once the runs are committed."""
    if not runs_ready.send(sender=type(sweep), sweep=sweep, run_ids=run_ids):
        # Never silently: runs nobody enqueues would wait for the stale-run reaper, which enqueues
        # through this same signal.
        raise ImproperlyConfigured("No receiver for training.services.dispatch.runs_ready: is training.tasks loaded?")
