"""Training under database faults: a dropped connection fails no run, and two chunks of one sweep
ending at once both count (issue 12, items 13 and 15).

The PostgreSQL tests kill a real worker's connection and race two real transactions; SQLite has
neither server-side connections to kill nor row locks, so they run where CI runs, on PostgreSQL.
"""

import itertools
import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from tests.support.celery_worker import wait_for
from training.models import FINAL_STATES, Benchmark, RunState, Sweep, TrainingRun
from training.services import run_claim, run_finish, sweep_start
from training.services import sweep_state as sweeps_module
from training.tasks import execute_runs, requeue_stale_runs

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (server connections to terminate, row locks); CI runs the suite on it",
)

# The worker's writes, as they reach the database: a lease renewal, a metrics row, a run's end.
HEARTBEAT = ("UPDATE", 'SET "step" = %s, "heartbeat_at" = %s')
METRICS = ("INSERT", '"training_runmetric"')
RUN_END = ("UPDATE", '"final_metrics" = ')


def _benchmark(slug="lin", **train):
    return Benchmark.objects.create(
        slug=slug,
        name=slug,
        description="test",
        config={"network": "linear", "dataset": "regression", "train": train},
        targets=[{"metric": "w", "value": 3.0, "tolerance": 0.3}],
    )


def _failing(statement, failing):
    """An execute wrapper (Django's hook around every SQL statement) that makes the statements of one
    kind whose number (from 1) `failing` accepts raise OperationalError, as a dropped connection does."""
    verb, marker = statement
    count = itertools.count(1)

    def wrapper(execute, sql, params, many, context):
        if sql.startswith(verb) and marker in sql and failing(next(count)):
            wrapper.failed += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    wrapper.failed = 0
    return wrapper


def _assert_trained_once(sweep, *, attempt=1):
    for run in sweep.runs.all():
        assert run.state == RunState.SUCCEEDED, (run.seed, run.state, run.error)
        assert run.attempt == attempt and run.error == ""
        # Every evaluation of the protocol (500 steps, one every 25) stored exactly once.
        assert list(run.metrics.values_list("step", flat=True).order_by("step")) == list(range(25, 501, 25))
    sweep.refresh_from_db()
    assert sweep.state == RunState.SUCCEEDED and sweep.summary["n"] == sweep.runs.count()


@pytest.mark.django_db(transaction=True)
def test_one_database_error_in_a_heartbeat_or_a_metric_write_fails_no_run(settings):
    # A heartbeat after every step, as on the review's worker; its 5th UPDATE (at step 4) fails once.
    settings.TRAINING_HEARTBEAT_INTERVAL_S = 0
    sweep = sweep_start(benchmark=_benchmark(), seeds=4, device="cpu", enqueue=False)
    run_ids = list(sweep.runs.values_list("pk", flat=True))

    # ... and so do one metrics write and the first run's final write.
    faults = [
        _failing(HEARTBEAT, lambda n: n == 5),
        _failing(METRICS, lambda n: n == 3),
        _failing(RUN_END, lambda n: n == 1),
    ]
    with (
        connection.execute_wrapper(faults[0]),
        connection.execute_wrapper(faults[1]),
        connection.execute_wrapper(faults[2]),
    ):
        result = execute_runs.apply(args=[run_ids])  # the worker's task, executed here

    assert [fault.failed for fault in faults] == [1, 1, 1]
    assert result.successful(), result.traceback
    _assert_trained_once(sweep)


@pytest.mark.django_db(transaction=True)
def test_a_database_that_stays_away_leaves_the_runs_to_be_retaken_never_failed(settings, mocker):
    settings.TRAINING_HEARTBEAT_INTERVAL_S = 0
    settings.TRAINING_HEARTBEAT_STALE_S = 1  # the worker gives up within a second of the last renewal
    sweep = sweep_start(benchmark=_benchmark(), seeds=2, device="cpu", enqueue=False)
    run_ids = list(sweep.runs.values_list("pk", flat=True))

    with connection.execute_wrapper(_failing(HEARTBEAT, lambda n: n >= 5)):
        execute_runs.apply(args=[run_ids])

    # The runs stay running: the database's fault is never recorded as the runs' failure.
    assert {(r.state, r.error) for r in TrainingRun.objects.filter(pk__in=run_ids)} == {
        (RunState.RUNNING, "")
    }
    # Once their heartbeat is stale, the periodic reaper wakes them up and a worker trains them again.
    TrainingRun.objects.filter(pk__in=run_ids).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    apply_async = mocker.patch("training.tasks.execute_runs.apply_async")
    assert requeue_stale_runs() == 2
    (call,) = apply_async.call_args_list
    execute_runs.apply(args=call.kwargs["args"])
    _assert_trained_once(sweep, attempt=2)


def _other_backends_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_connection_is_killed_mid_run_finishes_every_run_once(celery_worker_process):
    # Long enough (20k steps) that the connection is killed while the batch trains.
    sweep = sweep_start(benchmark=_benchmark(steps=20_000, eval_every=1000), seeds=3, device="cpu")
    run = sweep.runs.get(seed=0)
    wait_for(lambda: TrainingRun.objects.get(pk=run.pk).step > 0, what="the batch to start training")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()) AS killed"
        )
        assert cursor.fetchone()[0] >= 1  # the worker's connection was there, and is gone

    wait_for(
        lambda: set(sweep.runs.values_list("state", flat=True)) <= set(FINAL_STATES),
        what="every run to end",
    )
    for run in sweep.runs.all():
        assert run.state == RunState.SUCCEEDED, (run.seed, run.state, run.error)
        assert run.attempt == 1 and run.error == ""
        steps = list(run.metrics.values_list("step", flat=True).order_by("step"))
        assert steps == list(range(1000, 20_001, 1000))  # one set of metrics: trained once
    assert "retrying in" in celery_worker_process.log_path.read_text()  # the kill hit a write
    sweep.refresh_from_db()
    assert sweep.state == RunState.SUCCEEDED and sweep.summary["n"] == 3


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_chunks_of_one_sweep_ending_at_once_both_count(mocker):
    """Two GPU workers end the last run of their chunks at the same moment.

    The first to refresh the sweep is held between reading the runs and writing the sweep (the
    patch widens that window) until the second has ended its run too, or waits for the sweep's lock.
    Without the lock the first then writes a summary that misses the second's run: a lost update.
    """
    sweep = sweep_start(benchmark=_benchmark(), seeds=2, device="cuda", enqueue=False)
    first, second = (run_claim(run_id=r.pk, worker=f"gpu{r.seed}") for r in sweep.runs.order_by("seed"))

    both_finishing = threading.Barrier(2, timeout=30)
    second_done_or_waiting = threading.Event()
    calls = itertools.count()
    summarize = sweeps_module.summarize

    def widened(*args, **kwargs):
        if next(calls) == 0:  # the first refresh, between its read of the runs and its write
            both_finishing.wait()
            second_done_or_waiting.wait(timeout=30)
        return summarize(*args, **kwargs)

    mocker.patch.object(sweeps_module, "summarize", widened)

    def finish(run, *, wait_for_the_other):
        try:
            if wait_for_the_other:
                both_finishing.wait()
            run_finish(run=run, final={"w": 3.0}, environment={}, timings={}, weights=b"x", n_params=2)
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=finish, args=(first,), kwargs={"wait_for_the_other": False}),
        threading.Thread(target=finish, args=(second,), kwargs={"wait_for_the_other": True}),
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while threads[1].is_alive() and not _other_backends_waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    second_done_or_waiting.set()
    for thread in threads:
        thread.join(timeout=30)

    sweep = Sweep.objects.get(pk=sweep.pk)
    assert set(sweep.runs.values_list("state", flat=True)) == {RunState.SUCCEEDED}
    assert sweep.state == RunState.SUCCEEDED and sweep.summary["n"] == 2
