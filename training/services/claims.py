"""A benchmark's claim read from a leaderboard of the Papers with Code archive (issue 14, item 3).

A benchmark that points to a leaderboard (task x dataset x metric: Benchmark.leaderboard_*) takes what
it is checked against from there: the result its own paper claims on that leaderboard (the best of
them, if the paper lists several models), else the leaderboard's best value. `benchmark_claim_refresh`
writes that value into the first target (its metric and tolerance kept), so every reader of `targets` (the verdicts, the results
pages, the API) uses it unchanged; a benchmark without a leaderboard (the MNIST-1D ones) keeps the
claim written in its targets.

Units: the training app keeps accuracies as fractions (0.68) and the archive writes percentages
(68.0); a value above 1 read for a percentage metric (training.charts.is_percent) is divided by 100.
"""

from decimal import Decimal

from django.db import transaction

from community.metrics import higher_is_better as metric_direction
from community.models import Result
from training.charts import is_percent
from training.models import Benchmark

# The tolerance of a claim read from a leaderboard when the benchmark's target gives none: one
# percentage point for an accuracy, one percent of the value otherwise.
PERCENT_TOLERANCE = 0.01
RELATIVE_TOLERANCE = 0.01


def leaderboard_result(*, benchmark: Benchmark) -> Result | None:
    """The leaderboard result the benchmark's claim comes from, or None (no leaderboard, or no
    numeric result on it). One or two queries."""
    if not (
        benchmark.leaderboard_task_id and benchmark.leaderboard_dataset_id and benchmark.leaderboard_metric
    ):
        return None
    results = Result.objects.filter(
        task_id=benchmark.leaderboard_task_id,
        dataset_id=benchmark.leaderboard_dataset_id,
        metric=benchmark.leaderboard_metric,
        value__isnull=False,
    )
    overrides = {v for v in results.values_list("higher_is_better", flat=True).distinct() if v is not None}
    higher = overrides.pop() if len(overrides) == 1 else metric_direction(benchmark.leaderboard_metric)
    order = ("-value" if higher is not False else "value", "paper_date", "pk")
    if benchmark.paper_id:
        own = results.filter(paper_id=benchmark.paper_id).order_by(*order).first()
        if own is not None:
            return own
    return results.order_by(*order).first()


def _in_training_units(value: Decimal, metric: str) -> float:
    number = float(value)
    return number / 100 if is_percent(metric) and abs(number) > 1 else number


@transaction.atomic
def benchmark_claim_refresh(*, benchmark: Benchmark) -> bool:
    """Set the benchmark's first target from its leaderboard (see the module docstring); returns
    whether the targets changed. No leaderboard, or no numeric result on it: nothing changes."""
    result = leaderboard_result(benchmark=benchmark)
    if result is None:
        return False
    targets = [dict(t) for t in benchmark.targets] or [{"metric": benchmark.metric}]
    first = targets[0]
    metric = first.get("metric") or benchmark.metric
    value = _in_training_units(result.value, metric)
    tolerance = first.get("tolerance")
    if tolerance is None:
        tolerance = PERCENT_TOLERANCE if is_percent(metric) else abs(value) * RELATIVE_TOLERANCE
    first.pop("minimum", None)
    first.update(metric=metric, value=value, tolerance=tolerance)
    if targets == benchmark.targets:
        return False
    benchmark.targets = targets
    benchmark.save(update_fields=["targets", "updated_at"])
    return True


def benchmarks_claims_refresh() -> int:
    """Refresh every benchmark that points to a leaderboard (after an import); returns how many changed."""
    linked = Benchmark.objects.filter(leaderboard_task__isnull=False, leaderboard_dataset__isnull=False)
    return sum(benchmark_claim_refresh(benchmark=b) for b in linked.exclude(leaderboard_metric=""))
