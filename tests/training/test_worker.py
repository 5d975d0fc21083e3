"""The Celery path end to end: a real worker process, the real broker (file system here, Redis in CI)."""

import pytest

from tests.support.celery_worker import wait_for
from training.models import Benchmark, RunState, TrainingRun
from training.services import run_cancel, sweep_start


def _benchmark(slug, network="linear", dataset="regression", **train):
    return Benchmark.objects.create(
        slug=slug,
        name=slug,
        description="test",
        config={"network": network, "dataset": dataset, "train": train},
        targets=[{"metric": "w", "value": 3.0, "tolerance": 0.3}],
    )


def _state(run_id):
    return TrainingRun.objects.get(pk=run_id).state


@pytest.mark.django_db(transaction=True)
def test_a_sweep_started_here_is_trained_by_the_worker_process(celery_worker_process):
    sweep = sweep_start(benchmark=_benchmark("lin"), seeds=2, device="cpu")
    run_ids = list(sweep.runs.values_list("pk", flat=True))
    wait_for(lambda: all(_state(r) == RunState.SUCCEEDED for r in run_ids), what="both runs to succeed")
    sweep.refresh_from_db()
    assert sweep.state == RunState.SUCCEEDED and sweep.summary["verdict"] == "reproduced"
    run = TrainingRun.objects.get(pk=run_ids[0])
    assert abs(run.final_metrics["w"] - run.final_metrics["lstsq_w"]) < 0.01
    assert run.worker.startswith("test-") and run.environment["worker"] == run.worker
    assert run.metrics.count() == 500 // 25 and bytes(run.weights)


@pytest.mark.django_db(transaction=True)
def test_a_running_run_stops_when_cancelled(celery_worker_process):
    # Minutes of training (a 2-D CNN, 100k steps), so the cancellation always arrives mid-run.
    long = _benchmark("long", network="cnn2d", dataset="digits", steps=100_000, eval_every=1000)
    sweep = sweep_start(benchmark=long, seeds=2, device="cpu")
    run = sweep.runs.get(seed=0)
    wait_for(lambda: _state(run.pk) == RunState.RUNNING, what="the run to start")
    wait_for(lambda: TrainingRun.objects.get(pk=run.pk).step > 0, what="a heartbeat")
    run_cancel(run=run)
    wait_for(lambda: _state(run.pk) == RunState.CANCELLED, what="the run to stop")
    other = sweep.runs.get(seed=1)
    assert other.state == RunState.RUNNING  # the batch goes on for the seed nobody cancelled
    run_cancel(run=other)
    wait_for(lambda: _state(other.pk) == RunState.CANCELLED, what="the whole batch to stop")
    run.refresh_from_db()
    assert 0 < run.step < 100_000


@pytest.mark.django_db(transaction=True)
def test_a_failing_run_is_marked_failed_with_its_reason_never_left_running(celery_worker_process):
    # A CUDA run on a worker without a GPU fails inside training.reference.
    sweep = sweep_start(benchmark=_benchmark("gpu-only"), seeds=1, device="cuda")
    run = sweep.runs.get()
    assert sweep.queue == "gpu"
    # No gpu worker here: move the message to the cpu queue the test worker consumes.
    from training.tasks import execute_runs

    execute_runs.apply_async(args=[[run.pk]], queue="cpu")
    wait_for(lambda: _state(run.pk) == RunState.FAILED, what="the run to fail")
    run.refresh_from_db()
    assert "CUDA" in run.error and run.finished_at
