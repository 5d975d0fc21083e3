"""Reads of the training app that pages, downloads, the admin and template tags share.

Each function costs a fixed number of queries whatever the number of sweeps, runs or evaluations
(the docstrings say how many), so a page built on them keeps a constant query count.

Visibility, in one place: a sweep is public once published; a run is public when it is published
or belongs to a published sweep (so a failed seed of a published sweep shows its error); staff see
everything, so the admin's "view on site" works before publishing. Trained weights go out only for
published runs, or to staff.

Never imports torch: only models, and the torch-free registry through them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Length

from community.models import Paper

from .models import FINAL_STATES, Benchmark, RunMetric, RunState, Sweep, TrainingRun

MAX_COMPARE_RUNS = 12


def is_staff(user) -> bool:
    return bool(user is not None and user.is_active and user.is_staff)


# Where a run ran, minus what names our machines: those are for staff, not the public page or API.
PRIVATE_ENVIRONMENT_KEYS = frozenset({"host", "worker"})


def visible_environment(environment: dict | None, user) -> dict:
    """A run's environment as `user` may see it: all of it for staff, else without the machine names."""
    staff = is_staff(user)
    return {
        key: value
        for key, value in (environment or {}).items()
        if staff or key not in PRIVATE_ENVIRONMENT_KEYS
    }


def visible_sweeps(user) -> QuerySet[Sweep]:
    """The sweeps `user` may see: published ones, or all of them for staff."""
    sweeps = Sweep.objects.all()
    return sweeps if is_staff(user) else sweeps.published()


def visible_runs(user) -> QuerySet[TrainingRun]:
    """The runs `user` may see, without their weights (kilobytes each, and no page shows them)."""
    runs = TrainingRun.objects.defer("weights")
    if is_staff(user):
        return runs
    return runs.filter(Q(published=True) | Q(sweep__published=True))


def run_percent(state: str, step: int, total_steps: int) -> float:
    """Percent of a run's steps done; a failed or cancelled run shows where it stopped."""
    if state == RunState.SUCCEEDED:
        return 100.0
    return round(100.0 * min(step, total_steps) / total_steps, 1) if total_steps else 0.0


def sweep_percent(runs: Iterable[tuple[str, int, int]]) -> float:
    """Percent of a sweep's work done from its runs' (state, step, total_steps): a run that has
    ended counts as done, however it ended."""
    done = [
        100.0 if state in FINAL_STATES else run_percent(state, step, total) for state, step, total in runs
    ]
    return round(sum(done) / len(done), 1) if done else 0.0


# --- leaderboards -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderboardRow:
    """One published sweep on its benchmark's leaderboard; numbers in the metric's own unit."""

    rank: int
    sweep: Sweep
    metric: str
    mean: float | None
    std: float | None
    n: int
    best_seed: int | None
    best: float | None
    verdict: str | None  # "reproduced", "not reproduced", or None while no seed succeeded
    gap: float | None  # mean - claimed value (or minimum) of the first target
    hardware: str
    device: str
    date: datetime | None  # when the sweep finished

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types, for the CSV and JSON downloads."""
        return {
            "rank": self.rank,
            "sweep": self.sweep.pk,
            "metric": self.metric,
            "mean": self.mean,
            "std": self.std,
            "n": self.n,
            "best_seed": self.best_seed,
            "best": self.best,
            "verdict": self.verdict,
            "gap": self.gap,
            "hardware": self.hardware,
            "device": self.device,
            "seeds": list(self.sweep.seeds),
            "finished_at": self.date.isoformat() if self.date else None,
            "published_at": self.sweep.published_at.isoformat() if self.sweep.published_at else None,
        }


@dataclass(frozen=True)
class Board:
    """A benchmark and its published sweeps, best first by the benchmark's primary metric."""

    benchmark: Benchmark
    rows: list[LeaderboardRow] = field(default_factory=list)


def _stats(summary: dict, metric: str) -> dict:
    stats = (summary or {}).get("metrics", {}).get(metric)
    return stats if isinstance(stats, dict) else {}


def _spread(summary: dict, metric: str) -> dict:
    """A sweep's mean and std of ``metric`` over its seeds, and how many seeds succeeded (``n``)."""
    stats = _stats(summary, metric)
    return {"mean": stats.get("mean"), "std": stats.get("std"), "n": int((summary or {}).get("n") or 0)}


def rank_sweeps(benchmark: Benchmark, sweeps: Iterable[Sweep]) -> list[LeaderboardRow]:
    """Rank by the mean of `benchmark.metric` (higher first when higher_is_better), then by the
    smaller spread, then the earlier publication; sweeps without that mean go last. No query."""
    metric = benchmark.metric
    sign = -1.0 if benchmark.higher_is_better else 1.0

    def key(sweep: Sweep):
        stats = _stats(sweep.summary, metric)
        mean = stats.get("mean")
        if not isinstance(mean, int | float):
            return (1, 0.0, 0.0, sweep.pk)
        return (0, sign * mean, stats.get("std") or 0.0, sweep.pk)

    rows = []
    for rank, sweep in enumerate(sorted(sweeps, key=key), start=1):
        summary = sweep.summary or {}
        rows.append(
            LeaderboardRow(
                rank=rank,
                sweep=sweep,
                metric=metric,
                **_spread(summary, metric),
                best_seed=summary.get("best_seed"),
                best=summary.get("best"),
                verdict=summary.get("verdict"),
                gap=summary.get("gap"),
                hardware=str(summary.get("hardware") or ""),
                device=str(summary.get("device") or sweep.device),
                date=sweep.finished_at or sweep.published_at,
            )
        )
    return rows


def _published_sweeps() -> QuerySet[Sweep]:
    return Sweep.objects.published().order_by("published_at", "pk")


def leaderboards() -> list[Board]:
    """Every benchmark with its ranked published sweeps. Two queries."""
    benchmarks = Benchmark.objects.select_related("paper").prefetch_related(
        Prefetch("sweeps", queryset=_published_sweeps(), to_attr="published_sweeps")
    )
    return [Board(b, rank_sweeps(b, b.published_sweeps)) for b in benchmarks]


def leaderboards_for_topic(topic_id: int) -> list[Board]:
    """The benchmarks whose published paper has the topic, with their ranked published sweeps (a
    topic page's reference results). Two queries (one when there is none)."""
    benchmarks = (
        Benchmark.objects.filter(paper__topics=topic_id, paper__status="published")
        .select_related("paper")
        .prefetch_related(Prefetch("sweeps", queryset=_published_sweeps(), to_attr="published_sweeps"))
        .order_by("slug")
    )
    return [Board(b, rank_sweeps(b, b.published_sweeps)) for b in benchmarks]


def benchmark_board(slug: str) -> Board | None:
    """One benchmark and its ranked published sweeps, or None. Two queries (one when unknown)."""
    benchmark = (
        Benchmark.objects.select_related("paper", "leaderboard_task", "leaderboard_dataset")
        .prefetch_related(Prefetch("sweeps", queryset=_published_sweeps(), to_attr="published_sweeps"))
        .filter(slug=slug)
        .first()
    )
    if benchmark is None:
        return None
    return Board(benchmark, rank_sweeps(benchmark, benchmark.published_sweeps))


# --- sweeps and runs ----------------------------------------------------------------------------------


def metrics_by_run(runs: Sequence[TrainingRun]) -> dict[int, list[tuple[int, dict]]]:
    """(step, values) per run id, of each run's current attempt only (an earlier attempt that a
    worker lost is not part of the curve). One query, none when `runs` is empty."""
    result: dict[int, list[tuple[int, dict]]] = defaultdict(list)
    ids = [run.pk for run in runs]
    if not ids:
        return result
    rows = (
        RunMetric.objects.filter(run_id__in=ids, attempt=F("run__attempt"))
        .order_by("run_id", "step")
        .values_list("run_id", "step", "values")
    )
    for run_id, step, values in rows:
        result[run_id].append((step, values if isinstance(values, dict) else {}))
    return result


@dataclass(frozen=True)
class SweepPage:
    sweep: Sweep
    runs: list[TrainingRun]
    metrics: dict[int, list[tuple[int, dict]]]

    @property
    def is_final(self) -> bool:
        return self.sweep.state in FINAL_STATES


def sweep_page(*, pk: int, user) -> SweepPage | None:
    """A sweep `user` may see, its runs by seed and their curves, or None. Three queries."""
    sweep = visible_sweeps(user).select_related("benchmark__paper").filter(pk=pk).first()
    if sweep is None:
        return None
    runs = list(sweep.runs.defer("weights").order_by("seed"))
    for run in runs:
        run.sweep = sweep  # the run table and links use run.sweep; no query per run
    return SweepPage(sweep=sweep, runs=runs, metrics=metrics_by_run(runs))


def run_page(*, pk: int, user) -> tuple[TrainingRun, list[tuple[int, dict]]] | None:
    """A run `user` may see, with `weights_size` (bytes, None without weights) and its current
    attempt's curve, or None. Two queries."""
    run = (
        visible_runs(user)
        .select_related("sweep__benchmark__paper")
        .annotate(weights_size=Length("weights"))
        .filter(pk=pk)
        .first()
    )
    if run is None:
        return None
    return run, metrics_by_run([run])[run.pk]


def run_weights(*, pk: int, user) -> tuple[TrainingRun, bytes] | None:
    """A run's trained weights when `user` may download them: published runs, or any for staff.
    One query, which loads the weights."""
    runs = TrainingRun.objects.select_related("sweep__benchmark").filter(pk=pk, weights__isnull=False)
    if not is_staff(user):
        runs = runs.filter(published=True)
    run = runs.first()
    if run is None or not run.weights:
        return None
    return run, bytes(run.weights)


def _evaluations() -> Count:
    return Count("metrics", filter=Q(metrics__attempt=F("attempt")))


_STATUS_FIELDS = ("pk", "state", "step", "total_steps", "attempt", "cancel_requested", "heartbeat_at")


def run_status(*, pk: int, user) -> dict | None:
    """The few fields a live page polls, with `evaluations` (metric rows of the current attempt).
    One query."""
    return (
        visible_runs(user).filter(pk=pk).values(*_STATUS_FIELDS).annotate(evaluations=_evaluations()).first()
    )


def sweep_status(*, pk: int, user) -> tuple[dict, list[dict]] | None:
    """A sweep's state and its runs' status rows (as `run_status`), or None. Two queries."""
    sweep = visible_sweeps(user).filter(pk=pk).values("pk", "state", "published").first()
    if sweep is None:
        return None
    runs = list(
        TrainingRun.objects.filter(sweep_id=pk)
        .order_by("seed")
        .values("seed", *_STATUS_FIELDS)
        .annotate(evaluations=_evaluations())
    )
    return sweep, runs


def compare_runs(*, ids: Sequence[int], user) -> tuple[list[TrainingRun], list[int]]:
    """The runs of `ids` that `user` may see, in the order asked, and the ids that are missing
    (unknown or not visible: the two are not told apart). One query."""
    found = {
        run.pk: run
        for run in visible_runs(user)
        .select_related("sweep__benchmark")
        .filter(pk__in=list(ids)[:MAX_COMPARE_RUNS])
    }
    return [found[i] for i in ids if i in found], [i for i in ids if i not in found]


# --- what a paper claims, and what the runs achieved --------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One target of a benchmark of a paper, beside the latest published sweep's result for it."""

    benchmark: Benchmark
    target: dict
    sweep: Sweep | None
    mean: float | None
    std: float | None
    n: int
    ok: bool | None  # None: nothing published yet
    gap: float | None

    @property
    def metric(self) -> str:
        return str(self.target.get("metric", ""))


def claims_for_paper(paper: Paper | int | None) -> list[Claim]:
    """Every target of every benchmark of `paper`, with the latest published sweep's mean ± std and
    verdict. Two queries (none without a paper, one when it has no benchmark, none when the paper
    says it has none: `has_benchmarks`, which community.selectors.papers.paper_page annotates)."""
    if paper is None or getattr(paper, "has_benchmarks", True) is False:
        return []
    paper_id = paper if isinstance(paper, int) else paper.pk
    latest = Sweep.objects.published().order_by("-published_at", "-pk")[:1]
    benchmarks = Benchmark.objects.filter(paper_id=paper_id).prefetch_related(
        Prefetch("sweeps", queryset=latest, to_attr="latest_published")
    )
    claims = []
    for benchmark in benchmarks:
        sweep = benchmark.latest_published[0] if benchmark.latest_published else None
        summary = (sweep.summary or {}) if sweep else {}
        checks = {c.get("metric"): c for c in summary.get("checks", []) if isinstance(c, dict)}
        for target in benchmark.targets:
            metric = target.get("metric", "")
            check = checks.get(metric, {})
            claims.append(
                Claim(
                    benchmark=benchmark,
                    target=target,
                    sweep=sweep,
                    **_spread(summary, metric),
                    ok=check.get("ok") if sweep else None,
                    gap=check.get("gap"),
                )
            )
    return claims
