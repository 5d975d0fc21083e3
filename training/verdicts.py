"""Summaries of a sweep's seeds and the verdict against what a paper claims. Pure functions."""

import math
import statistics
from typing import Any


def summarize(final_metrics: list[dict[str, Any]], seeds: list[int], targets: list[dict[str, Any]]) -> dict:
    """Mean ± sample std per target metric over the succeeded seeds, the best seed, and the verdict.

    `verdict` is "reproduced" when every target holds for the mean, "not reproduced" otherwise, and
    None while no seed has finished. `gap` is mean - claimed value of the first target (in the
    metric's own unit), so a page can say "2.1 points short".
    """
    if not final_metrics or not targets:
        return {"n": len(final_metrics), "verdict": None, "metrics": {}}
    metrics: dict[str, dict[str, float]] = {}
    for name in {t["metric"] for t in targets}:
        values = [float(m[name]) for m in final_metrics if _finite(m.get(name))]
        if not values:
            continue
        metrics[name] = {
            "mean": statistics.fmean(values),
            "std": statistics.stdev(values) if len(values) > 1 else 0.0,
            "min": min(values),
            "max": max(values),
        }
    primary = targets[0]["metric"]
    checks = [_check(t, metrics.get(t["metric"])) for t in targets]
    summary: dict[str, Any] = {
        "n": len(final_metrics),
        "metric": primary,
        "metrics": metrics,
        "checks": checks,
        "verdict": "reproduced" if all(c["ok"] for c in checks) else "not reproduced",
    }
    if primary in metrics:
        best = max(range(len(final_metrics)), key=lambda i: float(final_metrics[i].get(primary, -math.inf)))
        summary["best_seed"] = seeds[best]
        summary["best"] = float(final_metrics[best][primary])
        summary["gap"] = checks[0].get("gap")
    return summary


def _check(target: dict[str, Any], stats: dict[str, float] | None) -> dict[str, Any]:
    check: dict[str, Any] = {"metric": target["metric"], "ok": False}
    if stats is None:
        return check
    mean = stats["mean"]
    if "minimum" in target:
        check.update(minimum=target["minimum"], gap=mean - target["minimum"], ok=mean >= target["minimum"])
    else:
        gap = mean - target["value"]
        check.update(value=target["value"], tolerance=target["tolerance"], gap=gap)
        check["ok"] = abs(gap) <= target["tolerance"] + 1e-12
    return check


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)
