"""Starting, cancelling and re-running sweeps (publishing one: sweep_state.sweep_publish)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from training.models import FINAL_STATES, Benchmark, Device, Sweep, TrainingRun
from training.reference.errors import ConfigError
from training.reference.registry import spec

from .dispatch import runs_enqueue
from .runs import run_cancel
from .sweep_state import sweep_refresh

MAX_SEEDS = 64


def queue_for(device: str) -> str:
    """cuda runs on the gpu queue, cpu on cpu; auto on gpu only where the deployment has GPU workers."""
    if device == Device.CUDA or (device == Device.AUTO and settings.TRAINING_GPU_WORKERS):
        return "gpu"
    return "cpu"


def _validated_config(benchmark: Benchmark) -> dict:
    try:
        return spec(benchmark.config).to_dict()
    except ConfigError as exc:
        raise ValidationError(
            gettext("Benchmark %(slug)s has an invalid config: %(error)s")
            % {"slug": benchmark.slug, "error": exc}
        ) from exc


@transaction.atomic
def sweep_start(
    *,
    benchmark: Benchmark,
    seeds: int | list[int],
    device: str = Device.AUTO,
    user=None,
    enqueue: bool = True,
    origin: str = Sweep.Origin.PERSON,
) -> Sweep:
    """Create a sweep of `seeds` runs (a count means seeds 0..N-1) and enqueue them once committed.

    `enqueue=False` leaves the runs queued for a caller that executes them itself (`run_reference --sync`).
    """
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    if not 1 <= len(seed_list) <= MAX_SEEDS:
        raise ValidationError(
            gettext("A sweep takes between 1 and %(max)s seeds; got %(count)s.")
            % {"max": MAX_SEEDS, "count": len(seed_list)}
        )
    if len(set(seed_list)) != len(seed_list) or any(not isinstance(s, int) or s < 0 for s in seed_list):
        raise ValidationError(gettext("Seeds must be distinct non-negative integers."))
    if device not in Device.values:
        raise ValidationError(
            gettext("Unknown device %(device)s; choose auto, cpu or cuda.") % {"device": repr(device)}
        )
    config = _validated_config(benchmark)
    queue = queue_for(device)
    sweep = Sweep.objects.create(
        benchmark=benchmark, seeds=seed_list, device=device, queue=queue, created_by=user, origin=origin
    )
    runs = TrainingRun.objects.bulk_create(
        TrainingRun(
            sweep=sweep,
            seed=seed,
            config=config,
            device=device,
            created_by=user,
            total_steps=config["train"]["steps"],
        )
        for seed in seed_list
    )
    run_ids = [run.pk for run in runs]  # bulk_create returns primary keys on SQLite and PostgreSQL
    if enqueue:
        transaction.on_commit(lambda: runs_enqueue(sweep=sweep, run_ids=run_ids))
    return sweep


@transaction.atomic
def sweep_cancel(*, sweep: Sweep) -> int:
    """Cancel every run not finished yet; returns how many were cancelled or asked to stop."""
    count = sum(run_cancel(run=run) for run in sweep.runs.exclude(state__in=FINAL_STATES))
    sweep_refresh(sweep=sweep)
    return count


def sweep_rerun(*, sweep: Sweep, user=None) -> Sweep:
    """A new sweep with the same benchmark, seeds and device (the old one stays as it was)."""
    return sweep_start(benchmark=sweep.benchmark, seeds=sweep.seeds, device=sweep.device, user=user)
