"""A sweep's state and summary, recomputed from its runs: written whenever a run ends or is cancelled
(runs.py) and when a sweep is cancelled (sweeps.py), so it sits below both; and publishing, the one
write that makes a sweep a leaderboard row, which a refresh calls itself for a sweep the site's first
start queued (Sweep.Origin.FIRST_START) once it has finished."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from training.models import FINAL_STATES, RunState, Sweep
from training.verdicts import summarize


@transaction.atomic
def sweep_refresh(*, sweep: Sweep) -> Sweep:
    """Recompute the sweep's state and summary from its runs.

    The sweep's row is locked before its runs are read: when two workers end chunks of one sweep at
    once, the second refresh waits for the first to commit and then reads both chunks' runs, so
    neither overwrites the other's result with a summary computed from older rows.
    """
    Sweep.objects.select_for_update().filter(pk=sweep.pk).values_list("pk").first()
    runs = list(sweep.runs.order_by("seed").values("seed", "state", "final_metrics", "environment"))
    states = {r["state"] for r in runs}
    if states == {RunState.QUEUED}:
        state = RunState.QUEUED
    elif states - set(FINAL_STATES):
        state = RunState.RUNNING
    elif states == {RunState.SUCCEEDED}:
        state = RunState.SUCCEEDED
    elif RunState.FAILED in states:
        state = RunState.FAILED
    else:  # every run finished, some or all cancelled
        state = RunState.CANCELLED
    done = [r for r in runs if r["state"] == RunState.SUCCEEDED]
    summary = summarize(
        [r["final_metrics"] for r in done], [r["seed"] for r in done], sweep.benchmark.targets
    )
    if done:
        env = done[0]["environment"]
        threads = env.get("cpu_threads")
        cpu = env.get("cpu") or "CPU"
        summary["hardware"] = env.get("gpu") or (
            f"{cpu}, {threads} thread{'s' if threads != 1 else ''}" if threads else cpu
        )
        summary["device"] = env.get("device")
    summary["states"] = {s: sum(r["state"] == s for r in runs) for s in states}
    sweep.state = state
    sweep.summary = summary
    sweep.finished_at = timezone.now() if state in FINAL_STATES else None
    Sweep.objects.filter(pk=sweep.pk).update(state=state, summary=summary, finished_at=sweep.finished_at)
    if sweep.origin == Sweep.Origin.FIRST_START and state in FINAL_STATES and done and not sweep.published:
        # Nobody is there to check it on a newcomer's first start: it publishes itself, and the
        # leaderboard says who published it (the sweep's origin).
        sweep = sweep_publish(sweep=sweep)
    return sweep


@transaction.atomic
def sweep_publish(*, sweep: Sweep, published: bool = True) -> Sweep:
    """Publish (a leaderboard row) or unpublish a sweep; only a finished sweep with results is published."""
    sweep = Sweep.objects.select_for_update().get(pk=sweep.pk)
    if published and not sweep.runs.filter(state=RunState.SUCCEEDED).exists():
        raise ValidationError(gettext("Only a sweep with at least one succeeded run can be published."))
    if published and sweep.runs.exclude(state__in=FINAL_STATES).exists():
        raise ValidationError(gettext("Wait until every run of the sweep has finished before publishing it."))
    sweep.published = published
    sweep.published_at = timezone.now() if published else None
    sweep.save(update_fields=["published", "published_at"])
    sweep.runs.filter(state=RunState.SUCCEEDED).update(published=published)
    return sweep
