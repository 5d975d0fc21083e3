"""Factories for the training app: benchmarks, sweeps, runs and metrics as a worker would leave them.

No training happens: a finished run is written with the final metrics, environment, timings and
weights a worker would record, and `finished_sweep` summarises a sweep with the real
`sweep_refresh` (and publishes it with the real `sweep_publish`), so verdicts are the service's own.
"""

from __future__ import annotations

from collections.abc import Sequence

import factory
from django.utils import timezone

from community.models import Paper
from training.models import Benchmark, Device, RunMetric, RunState, Sweep, TrainingRun
from training.reference.registry import spec
from training.services import sweep_publish, sweep_refresh

# A short protocol, so total_steps and the curves stay small.
MLP_CONFIG = spec(
    {"network": "mlp", "dataset": "mnist1d", "train": {"steps": 1000, "eval_every": 250}}
).to_dict()


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    slug = factory.Sequence(lambda n: f"paper-{n}")
    title = factory.Sequence(lambda n: f"Scaling down deep learning {n}")
    year = 2020
    status = "published"


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benchmark

    slug = factory.Sequence(lambda n: f"bench-{n}")
    name = factory.Sequence(lambda n: f"MNIST-1D · MLP {n}")
    description = "The paper's MLP on MNIST-1D."
    config = factory.LazyFunction(lambda: dict(MLP_CONFIG))
    targets = factory.LazyFunction(lambda: [{"metric": "test_acc", "value": 0.68, "tolerance": 0.03}])
    higher_is_better = True
    time_limit_s = 600


class SweepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sweep

    benchmark = factory.SubFactory(BenchmarkFactory)
    seeds = factory.LazyFunction(lambda: [0])
    device = Device.CPU
    queue = "cpu"
    state = RunState.QUEUED


class TrainingRunFactory(factory.django.DjangoModelFactory):
    """A queued run; pass state=RunState.SUCCEEDED with `final_metrics` for a finished one."""

    class Meta:
        model = TrainingRun

    sweep = factory.SubFactory(SweepFactory)
    seed = factory.Sequence(lambda n: n)
    config = factory.LazyAttribute(lambda o: o.sweep.benchmark.config)
    device = factory.LazyAttribute(lambda o: o.sweep.device)
    state = RunState.QUEUED
    total_steps = 1000


class RunMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RunMetric

    run = factory.SubFactory(TrainingRunFactory)
    attempt = factory.LazyAttribute(lambda o: o.run.attempt)
    step = factory.Sequence(lambda n: 250 * (n + 1))
    values = factory.LazyAttribute(
        lambda o: {"step": o.step, "train_loss": 1.0, "test_loss": 1.1, "train_acc": 0.6, "test_acc": 0.55}
    )


def finished_run(sweep: Sweep, seed: int, test_acc: float, *, n_metrics: int = 4, **fields) -> TrainingRun:
    """A run that succeeded with `test_acc`, its curve of `n_metrics` evaluations, and weights."""
    now = timezone.now()
    run = TrainingRunFactory(
        sweep=sweep,
        seed=seed,
        state=RunState.SUCCEEDED,
        attempt=1,
        worker="celery@gpu-box-7",
        heartbeat_at=now,
        step=1000,
        total_steps=1000,
        final_metrics={
            "step": 1000,
            "train_loss": 0.5,
            "test_loss": 0.9,
            "train_acc": 0.8,
            "test_acc": test_acc,
        },
        environment={
            "device": "cuda:0",
            "gpu": "NVIDIA H200",
            "torch": "2.13.0",
            "host": "gpu-box-7",
            "worker": "celery@gpu-box-7",
        },
        timings={"wall_s": 12.5, "data_s": 0.5, "train_s": 11.0, "eval_s": 1.0, "samples_per_s": 9000.0},
        n_params=15_210,
        weights=b"PK\x03\x04fake-state-dict",
        started_at=now,
        finished_at=now,
        **fields,
    )
    for i in range(1, n_metrics + 1):
        step = 1000 * i // n_metrics
        acc = test_acc * i / n_metrics
        RunMetricFactory(
            run=run,
            attempt=1,
            step=step,
            values={
                "step": step,
                "train_loss": 2.0 / i,
                "test_loss": 2.1 / i,
                "train_acc": acc + 0.05,
                "test_acc": acc,
            },
        )
    return run


def finished_sweep(
    benchmark: Benchmark | None = None,
    accs: Sequence[float] = (0.67, 0.69, 0.68),
    *,
    published: bool = True,
    n_metrics: int = 4,
) -> Sweep:
    """A sweep whose runs all succeeded with these test accuracies, summarised by sweep_refresh and,
    unless published=False, published by sweep_publish."""
    benchmark = benchmark or BenchmarkFactory()
    sweep = SweepFactory(benchmark=benchmark, seeds=list(range(len(accs))), device=Device.CUDA, queue="gpu")
    for seed, acc in enumerate(accs):
        finished_run(sweep, seed, acc, n_metrics=n_metrics)
    sweep_refresh(sweep=sweep)
    if published:
        sweep_publish(sweep=sweep, published=True)
    sweep.refresh_from_db()
    return sweep
