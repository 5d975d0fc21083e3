"""Template helpers for the results pages and the paper page: numbers in their unit, verdicts, and
`{% claimed_vs_reproduced paper %}`.

Every filter returns plain text, so the template's autoescaping applies to it.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import gettext as _

from training import charts, selectors

register = template.Library()


@register.filter
def metric_label(metric: str) -> str:
    return charts.metric_label(str(metric or ""))


@register.filter
def metric_value(value: Any, metric: str) -> str:
    """{{ row.mean|metric_value:row.metric }} -> "67.3%"."""
    return charts.format_value(value, str(metric or ""))


@register.filter
def final_metric(run, metric: str) -> str:
    """A run's final value of `metric`, formatted; an em dash when the run has none."""
    return charts.format_value((getattr(run, "final_metrics", None) or {}).get(metric), str(metric or ""))


@register.filter
def metric_gap(gap: Any, metric: str) -> str:
    return charts.format_gap(gap, str(metric or ""))


@register.filter
def target_text(target: dict) -> str:
    """A target as text: 68.0 ± 3.0% or ≥ 97.0%."""
    return charts.format_target(target or {})


@register.simple_tag
def mean_std(mean: Any, std: Any, metric: str) -> str:
    """{% mean_std row.mean row.std row.metric %} -> "67.3 ± 0.8%"."""
    return charts.format_mean_std(mean, std, str(metric or ""))


@register.simple_tag
def verdict_text(verdict: str | None, gap: Any, metric: str) -> str:
    """Reproduced (+0.3 points), Not reproduced (−0.7 points), or an em dash while there is no
    verdict (no seed succeeded yet, or the benchmark has no target)."""
    gap_text = charts.format_gap(gap, str(metric or ""))
    if verdict == "reproduced" or verdict is True:
        label = _("Reproduced")
    elif verdict == "not reproduced" or verdict is False:
        label = _("Not reproduced")
    else:
        return "—"
    return f"{label} ({gap_text})" if gap_text else label


@register.filter
def verdict_class(verdict: str | bool | None) -> str:
    """A CSS class for the verdict; the text says the same, so colour is never the only cue."""
    if verdict in ("reproduced", True):
        return "verdict verdict-ok"
    if verdict in ("not reproduced", False):
        return "verdict verdict-miss"
    return "verdict verdict-pending"


@register.filter
def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


@register.filter
def duration(seconds: Any) -> str:
    """12.3 s, 4 min 05 s, 1 h 02 min; an em dash without a number."""
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds != seconds or seconds < 0:
        return "—"
    if seconds < 60:
        return _("%(s).1f s") % {"s": seconds}
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return _("%(m)d min %(s)02d s") % {"m": minutes, "s": secs}
    hours, minutes = divmod(minutes, 60)
    return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}


@register.filter
def plain_number(value: Any) -> str:
    """A JSON value for a table cell: 4 significant digits for floats, the rest as it is."""
    if isinstance(value, float):
        return charts.format_value(value, "")
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@register.filter
def filesize_kib(size: Any) -> str:
    if not isinstance(size, int):
        return ""
    return _("%(kib).1f KiB") % {"kib": size / 1024}


@register.inclusion_tag("training/partials/claimed_vs_reproduced.html")
def claimed_vs_reproduced(paper) -> dict:
    """What a paper claims for each of its benchmarks beside what the latest published sweep
    reproduced. Two queries whatever the number of benchmarks and sweeps (none without a paper)."""
    return {"claims": selectors.claims_for_paper(paper), "paper": paper}
