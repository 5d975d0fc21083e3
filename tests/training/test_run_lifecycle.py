"""The run lifecycle services: claim, lease takeover, lease renewal, cancel, finish, sweep summary."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from training import services
from training.models import Benchmark, RunMetric, RunState, Sweep, TrainingRun
from training.services.execution import BatchProgressReporter

pytestmark = pytest.mark.django_db


@pytest.fixture
def benchmark():
    return Benchmark.objects.create(
        slug="lin",
        name="Linear",
        description="test",
        config={"network": "linear", "dataset": "regression"},
        targets=[{"metric": "w", "value": 3.0, "tolerance": 0.3}],
    )


@pytest.fixture
def sweep(benchmark):
    return services.sweep_start(benchmark=benchmark, seeds=3, device="cpu", enqueue=False)


def _finish(run, w):
    services.run_finish(
        run=run,
        final={"w": w},
        environment={"device": "cpu"},
        timings={"wall_s": 1.0},
        weights=b"x",
        n_params=2,
    )


def test_sweep_start_validates_the_config_and_creates_one_queued_run_per_seed(sweep):
    runs = list(sweep.runs.order_by("seed"))
    assert [r.seed for r in runs] == [0, 1, 2]
    assert {r.state for r in runs} == {RunState.QUEUED}
    assert runs[0].config["train"]["steps"] == runs[0].total_steps == 500
    assert sweep.queue == "cpu"


def test_sweep_start_refuses_bad_input_with_a_clear_message(benchmark):
    with pytest.raises(ValidationError, match="between 1 and 64 seeds"):
        services.sweep_start(benchmark=benchmark, seeds=0, enqueue=False)
    with pytest.raises(ValidationError, match="Unknown device"):
        services.sweep_start(benchmark=benchmark, seeds=1, device="tpu", enqueue=False)
    benchmark.config = {"network": "linear", "dataset": "regression", "train": {"lr": -1}}
    with pytest.raises(ValidationError, match="train.*lr"):
        services.sweep_start(benchmark=benchmark, seeds=1, enqueue=False)
    assert not Sweep.objects.exists()


def test_sweep_start_enqueues_on_commit_to_the_queue_of_its_device(
    benchmark, django_capture_on_commit_callbacks, mocker
):
    apply_async = mocker.patch("training.tasks.execute_runs.apply_async")
    with django_capture_on_commit_callbacks(execute=True):
        sweep = services.sweep_start(benchmark=benchmark, seeds=2, device="cuda")
    assert sweep.queue == "gpu"
    # Both seeds travel as one task: a worker trains them together.
    (call,) = apply_async.call_args_list
    assert call.kwargs["queue"] == "gpu"
    assert call.kwargs["args"] == [sorted(sweep.runs.values_list("pk", flat=True))]
    assert call.kwargs["time_limit"] == 2 * benchmark.time_limit_s + 60


def test_auto_goes_to_gpu_only_where_the_deployment_has_gpu_workers(settings):
    settings.TRAINING_GPU_WORKERS = False
    assert (services.queue_for("auto"), services.queue_for("cpu"), services.queue_for("cuda")) == (
        "cpu",
        "cpu",
        "gpu",
    )
    settings.TRAINING_GPU_WORKERS = True
    assert services.queue_for("auto") == "gpu"


def test_a_live_run_is_never_claimed_twice(sweep):
    run = sweep.runs.first()
    first = services.run_claim(run_id=run.pk, worker="a")
    assert first.state == RunState.RUNNING and first.attempt == 1 and first.worker == "a"
    assert services.run_claim(run_id=run.pk, worker="b") is None
    assert TrainingRun.objects.get(pk=run.pk).worker == "a"


def test_a_stale_lease_is_taken_over_once_and_the_old_worker_can_no_longer_write(sweep):
    run = sweep.runs.first()
    old = services.run_claim(run_id=run.pk, worker="a")
    TrainingRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    new = services.run_claim(run_id=run.pk, worker="b")
    assert new.attempt == 2 and new.worker == "b"
    # The old worker's next renewal finds its lease gone: it drops the run without a write.
    assert BatchProgressReporter([old]).renew(step=10) is False
    assert TrainingRun.objects.get(pk=run.pk).step != 10
    assert services.run_fail(run=old, error="late") is False
    assert TrainingRun.objects.get(pk=run.pk).state == RunState.RUNNING

    # The second attempt dies too: a third claim ends the run instead of starting it again.
    TrainingRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert services.run_claim(run_id=run.pk, worker="c") is None
    run.refresh_from_db()
    assert run.state == RunState.FAILED and "2 attempts" in run.error


def test_finished_runs_are_not_claimed_again(sweep):
    run = services.run_claim(run_id=sweep.runs.first().pk, worker="a")
    _finish(run, 3.0)
    assert services.run_claim(run_id=run.pk, worker="b") is None


def test_a_renewal_ends_a_run_whose_cancellation_was_requested(sweep):
    run = services.run_claim(run_id=sweep.runs.first().pk, worker="a")
    reporter = BatchProgressReporter([run])
    assert reporter.renew(step=5) is True
    assert services.run_cancel(run=run) is True
    assert reporter.renew(step=6) is False
    ended = TrainingRun.objects.get(pk=run.pk)
    assert ended.step == 6 and ended.state == RunState.CANCELLED


def test_cancelling_a_queued_run_ends_it_and_a_worker_then_skips_it(sweep):
    run = sweep.runs.first()
    assert services.run_cancel(run=run)
    run.refresh_from_db()
    assert run.state == RunState.CANCELLED
    assert services.run_claim(run_id=run.pk, worker="a") is None


def test_metrics_are_unique_per_run_attempt_and_step(sweep):
    run = services.run_claim(run_id=sweep.runs.first().pk, worker="a")
    services.run_record_metric(run=run, step=250, values={"test_acc": 0.5})
    services.run_record_metric(run=run, step=250, values={"test_acc": 0.9})
    assert list(RunMetric.objects.values_list("step", "values")) == [(250, {"test_acc": 0.5})]


def test_sweep_summary_and_verdict_follow_the_runs(sweep):
    runs = [services.run_claim(run_id=r.pk, worker="a") for r in sweep.runs.order_by("seed")]
    _finish(runs[0], 3.1)
    sweep.refresh_from_db()
    assert sweep.state == RunState.RUNNING
    _finish(runs[1], 2.9)
    _finish(runs[2], 3.6)
    sweep.refresh_from_db()
    assert sweep.state == RunState.SUCCEEDED and sweep.finished_at
    assert sweep.summary["n"] == 3
    assert sweep.summary["metrics"]["w"]["mean"] == pytest.approx(3.2)
    assert sweep.summary["verdict"] == "reproduced" and sweep.summary["best_seed"] == 2
    assert sweep.summary["gap"] == pytest.approx(0.2)


def test_publishing_waits_for_the_sweep_to_finish(sweep):
    with pytest.raises(ValidationError, match="at least one succeeded run"):
        services.sweep_publish(sweep=sweep)
    runs = [services.run_claim(run_id=r.pk, worker="a") for r in sweep.runs.all()]
    _finish(runs[0], 3.0)
    with pytest.raises(ValidationError, match="Wait until every run"):
        services.sweep_publish(sweep=sweep)
    services.run_fail(run=runs[1], error="boom")
    services.sweep_cancel(sweep=sweep)  # asks the last running run to stop
    runs[2].refresh_from_db()
    assert runs[2].cancel_requested
    services.run_fail(run=runs[2], error="stopped")
    sweep = services.sweep_publish(sweep=sweep)
    assert sweep.published and sweep.runs.filter(published=True).count() == 1


def test_requeue_wakes_up_runs_the_broker_lost(sweep, mocker):
    apply_async = mocker.patch("training.tasks.execute_runs.apply_async")
    assert services.runs_requeue_stale(queued_for_s=900) == 0
    TrainingRun.objects.filter(sweep=sweep).update(queued_at=timezone.now() - timedelta(hours=1))
    assert services.runs_requeue_stale(queued_for_s=900) == 3
    (call,) = apply_async.call_args_list  # the sweep's three runs go back as one batch
    assert sorted(call.kwargs["args"][0]) == sorted(sweep.runs.values_list("pk", flat=True))


def test_a_large_gpu_sweep_is_split_into_tasks_that_fit_the_gpu(
    benchmark, settings, mocker, django_capture_on_commit_callbacks
):
    from training.reference.batched.sizing import max_seeds_per_task

    settings.TRAINING_GPU_MEMORY_BYTES = 3 * 2**30  # a small GPU: 1 GiB after the reserve
    benchmark.config = {"network": "cnn2d", "dataset": "digits"}
    per_task = max_seeds_per_task("cnn2d", "cuda", settings.TRAINING_GPU_MEMORY_BYTES)
    apply_async = mocker.patch("training.tasks.execute_runs.apply_async")
    with django_capture_on_commit_callbacks(execute=True):
        sweep = services.sweep_start(benchmark=benchmark, seeds=64, device="cuda")
    chunks = [c.kwargs["args"][0] for c in apply_async.call_args_list]
    assert 1 < per_task < 64 and len(chunks) == -(-64 // per_task)
    assert sorted(pk for chunk in chunks for pk in chunk) == sorted(sweep.runs.values_list("pk", flat=True))
