"""Line charts of training curves as SVG, built on the server from RunMetric rows, and the number
formats the results pages share.

Why SVG strings built here rather than a JavaScript chart library: the pages work without JavaScript,
nothing has to be vendored, and the strict Content-Security-Policy stays as it is. Colours and dash
patterns are SVG presentation attributes (`stroke="#..."`), which CSP does not govern, never `style`
attributes, which it blocks. Every piece of text that reaches the markup (titles, labels, legend
entries) goes through `escape`; numbers are formatted here, so no caller's string is trusted.

Pure Python apart from Django's escaping and translation helpers: no model, no query, no torch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from common.charts import DASHES, PALETTE, nice_ticks, svg_empty, svg_open
from common.charts import svg_number as _num

# --- numbers as the pages show them -----------------------------------------------------------------

MINUS = "\u2212"  # a real minus sign: "−0.7", not a hyphen

METRIC_LABELS = {
    "train_loss": gettext_lazy("training loss"),
    "test_loss": gettext_lazy("test loss"),
    "train_acc": gettext_lazy("training accuracy"),
    "test_acc": gettext_lazy("test accuracy"),
    "train_mse": gettext_lazy("training MSE"),
    "test_mse": gettext_lazy("test MSE"),
    "w": gettext_lazy("weight w"),
    "b": gettext_lazy("bias b"),
}


def metric_label(metric: str) -> str:
    """The words for a metric (test accuracy for test_acc); an unknown metric keeps its own name."""
    return str(METRIC_LABELS.get(metric, metric))


def is_percent(metric: str) -> bool:
    """Accuracies are stored as fractions (0.68) and shown as percentages (68.0%)."""
    return metric == "acc" or metric.endswith("_acc")


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _signed(text: str) -> str:
    return text.replace("-", MINUS)


def format_value(value: Any, metric: str) -> str:
    """68.0% for an accuracy of 0.68, 2.998 for a weight; an em dash when there is no number."""
    if not _finite(value):
        return "—"
    if is_percent(metric):
        return _signed(f"{value * 100:.1f}%")
    return _signed(f"{value:.4g}")


def format_mean_std(mean: Any, std: Any, metric: str) -> str:
    """67.3 ± 0.8% for accuracies (both in percent), 2.998 ± 0.004 otherwise."""
    if not _finite(mean):
        return "—"
    std = std if _finite(std) else 0.0
    if is_percent(metric):
        return _signed(f"{mean * 100:.1f} ± {std * 100:.1f}%")
    return _signed(f"{mean:.4g} ± {std:.2g}")


def format_gap(gap: Any, metric: str) -> str:
    """−0.7 points for an accuracy 0.007 below its claim; +0.012 for other metrics."""
    if not _finite(gap):
        return ""
    if is_percent(metric):
        # Rounded first, so a gap of -0.0004 reads "+0.0 points" rather than "−0.0 points".
        points = round(gap * 100, 1) + 0.0
        return _("%(gap)s points") % {"gap": _signed(f"{points:+.1f}")}
    return _signed(f"{gap:+.3g}")


def format_target(target: Mapping[str, Any]) -> str:
    """What a benchmark asks for: "68.0 ± 3.0%" (a value and its tolerance) or "≥ 97.0%" (a minimum)."""
    metric = target.get("metric", "")
    if "minimum" in target:
        return f"≥ {format_value(target['minimum'], metric)}"
    return format_mean_std(target.get("value"), target.get("tolerance"), metric)


# --- charts -----------------------------------------------------------------------------------------

MAX_LEGEND_CHARS = 48

# Rough advance width of the 12px sans-serif the chart uses; only sizes the legend's boxes.
_CHAR_W = 6.6


@dataclass(frozen=True)
class Series:
    """One line: a label for the legend and (x, y) points; points that are not finite are dropped."""

    label: str
    points: Sequence[tuple[float, float]]

    def finite_points(self) -> list[tuple[float, float]]:
        return sorted((float(x), float(y)) for x, y in self.points if _finite(x) and _finite(y))


@dataclass
class _Frame:
    width: int
    height: int
    left: int = 64
    right: int = 16
    top: int = 36
    bottom: int = 48
    legend_rows: list[list[tuple[int, str, float]]] = field(default_factory=list)

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        return self.height - self.top - self.bottom


def _tick_label(value: float, step: float, percent: bool) -> str:
    if percent:
        value, step = value * 100, step * 100
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    # 12k rather than 12000 keeps a long run's step axis readable.
    text = f"{value / 1000:g}k" if step >= 1 and abs(value) >= 10_000 else f"{value:.{decimals}f}"
    if text in ("-0", "-0.0") or set(text) <= {"-", "0", "."}:
        text = text.lstrip("-")
    return _signed(text) + ("%" if percent else "")


def _legend_layout(labels: list[str], plot_w: float) -> list[list[tuple[int, str, float]]]:
    rows: list[list[tuple[int, str, float]]] = [[]]
    used = 0.0
    for index, label in enumerate(labels):
        item_w = 30 + _CHAR_W * len(label) + 16
        if rows[-1] and used + item_w > plot_w:
            rows.append([])
            used = 0.0
        rows[-1].append((index, label, used))
        used += item_w
    return [row for row in rows if row]


def _short(label: str) -> str:
    return label if len(label) <= MAX_LEGEND_CHARS else label[: MAX_LEGEND_CHARS - 1] + "…"


def line_chart(
    series: Iterable[Series],
    *,
    chart_id: str,
    title: str,
    x_label: str,
    y_label: str,
    percent: bool = False,
    width: int = 640,
    height: int = 300,
) -> SafeString:
    """An accessible SVG line chart: axes with round ticks, a grid, one polyline per series, a legend.

    `chart_id` prefixes the ids of the title and description (it must be unique on the page and is
    escaped like everything else). `percent` shows y values (fractions) as percentages. A chart with
    no finite point says so instead of drawing empty axes.
    """
    lines = [(s.label, s.finite_points()) for s in series]
    lines = [(label, points) for label, points in lines if points]
    frame = _Frame(width=width, height=height)
    labels = [_short(label) for label, _points in lines]
    frame.legend_rows = _legend_layout(labels, frame.plot_w)
    legend_h = 20 * len(frame.legend_rows)
    frame.height = height + legend_h
    frame.bottom += legend_h

    description = _describe(lines, percent)
    out = svg_open(chart_id, title, description, width=frame.width, height=frame.height, left=frame.left)
    if not lines:
        x, y = frame.left + frame.plot_w / 2, frame.top + frame.plot_h / 2
        empty = svg_empty(out, _("No evaluations recorded yet."), x=x, y=y)
        return mark_safe(empty)  # noqa: S308 - svg_open and svg_empty escape every text

    xs = [x for _label, points in lines for x, _y in points]
    ys = [y for _label, points in lines for _x, y in points]
    x_ticks = nice_ticks(min(0.0, min(xs)), max(xs), max_ticks=6)
    y_lo, y_hi = min(ys), max(ys)
    if percent:
        # A little headroom, but an accuracy axis never runs below 0% or above 100%.
        y_ticks = [
            t for t in nice_ticks(max(0.0, y_lo), min(1.0, y_hi), max_ticks=5) if -1e-9 <= t <= 1 + 1e-9
        ]
        if len(y_ticks) < 2:
            y_ticks = nice_ticks(y_lo, y_hi, max_ticks=5)
    else:
        y_ticks = nice_ticks(y_lo, y_hi, max_ticks=5)
    x0, x1 = x_ticks[0], x_ticks[-1]
    y0, y1 = min(y_ticks[0], y_lo), max(y_ticks[-1], y_hi)

    def px(x: float) -> float:
        return frame.left + (x - x0) / (x1 - x0) * frame.plot_w

    def py(y: float) -> float:
        return frame.top + frame.plot_h - (y - y0) / (y1 - y0) * frame.plot_h

    bottom = frame.top + frame.plot_h
    x_step = x_ticks[1] - x_ticks[0] if len(x_ticks) > 1 else 1.0
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0

    out.append('<g class="chart-grid" stroke="currentColor" stroke-opacity="0.12" aria-hidden="true">')
    for t in y_ticks:
        out.append(
            f'<line x1="{frame.left}" x2="{_num(frame.left + frame.plot_w)}" y1="{_num(py(t))}" y2="{_num(py(t))}"/>'
        )
    out.append("</g>")

    out.append('<g class="chart-axes" fill="currentColor" aria-hidden="true">')
    out.append(
        f'<line x1="{frame.left}" x2="{frame.left}" y1="{frame.top}" y2="{_num(bottom)}" stroke="currentColor"/>'
        f'<line x1="{frame.left}" x2="{_num(frame.left + frame.plot_w)}" y1="{_num(bottom)}" y2="{_num(bottom)}" '
        f'stroke="currentColor"/>'
    )
    for t in y_ticks:
        out.append(
            f'<text x="{frame.left - 6}" y="{_num(py(t) + 4)}" text-anchor="end">'
            f"{escape(_tick_label(t, y_step, percent))}</text>"
        )
    for t in x_ticks:
        out.append(
            f'<line x1="{_num(px(t))}" x2="{_num(px(t))}" y1="{_num(bottom)}" y2="{_num(bottom + 4)}" '
            f'stroke="currentColor"/>'
            f'<text x="{_num(px(t))}" y="{_num(bottom + 17)}" text-anchor="middle">'
            f"{escape(_tick_label(t, x_step, False))}</text>"
        )
    out.append(
        f'<text class="chart-axis-label" x="{_num(frame.left + frame.plot_w / 2)}" y="{_num(bottom + 34)}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    mid_y = _num(frame.top + frame.plot_h / 2)
    out.append(
        f'<text class="chart-axis-label" x="14" y="{mid_y}" text-anchor="middle" '
        f'transform="rotate(-90 14 {mid_y})">{escape(y_label)}</text>'
    )
    out.append("</g>")

    for index, (label, points) in enumerate(lines):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[(index // 2) % len(DASHES)] if len(lines) > 2 else DASHES[index % 2]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        coords = " ".join(f"{_num(px(x))},{_num(py(y))}" for x, y in points)
        out.append(f'<g class="chart-series" data-series="{index}">')
        out.append(f"<title>{escape(label)}</title>")
        out.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-linejoin="round" stroke-linecap="round"{dash_attr}/>'
        )
        if len(points) <= 40:  # markers show where the evaluations are; too many would hide the line
            out.extend(
                f'<circle cx="{_num(px(x))}" cy="{_num(py(y))}" r="2.5" fill="{colour}"/>' for x, y in points
            )
        out.append("</g>")

    legend_top = bottom + 50
    out.append('<g class="chart-legend" fill="currentColor">')
    for row_index, row in enumerate(frame.legend_rows):
        y = legend_top + 20 * row_index
        for index, label, offset in row:
            colour = PALETTE[index % len(PALETTE)]
            dash = DASHES[(index // 2) % len(DASHES)] if len(lines) > 2 else DASHES[index % 2]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            x = frame.left + offset
            out.append(
                f'<line x1="{_num(x)}" x2="{_num(x + 24)}" y1="{_num(y - 4)}" y2="{_num(y - 4)}" '
                f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
                f'<text x="{_num(x + 30)}" y="{_num(y)}">{escape(label)}</text>'
            )
    out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


def _describe(lines: list[tuple[str, list[tuple[float, float]]]], percent: bool) -> str:
    """The text a screen reader gets instead of the picture: each series' last value."""
    if not lines:
        return _("No evaluations recorded yet.")
    parts = []
    for label, points in lines:
        x, y = points[-1]
        value = _signed(f"{y * 100:.1f}%") if percent else _signed(f"{y:.4g}")
        parts.append(
            _("%(label)s: %(value)s at step %(step)s (%(count)s points)")
            % {"label": label, "value": value, "step": f"{x:g}", "count": len(points)}
        )
    # The separator and the full stop are the reader's language's (Chinese: ；and 。).
    return _("%(series)s.") % {"series": pgettext("between chart series", "; ").join(parts)}


# --- the charts each page draws ---------------------------------------------------------------------

MetricRows = Sequence[tuple[int, Mapping[str, Any]]]  # (step, values) of one run, by step

# Per run: which metrics share a chart. A chart is drawn only when one of its metrics has values.
RUN_CHART_GROUPS = (
    ("loss", gettext_lazy("Loss"), ("train_loss", "test_loss"), False),
    ("accuracy", gettext_lazy("Accuracy"), ("train_acc", "test_acc"), True),
    ("coefficients", gettext_lazy("Fitted coefficients"), ("w", "b"), False),
)


def _points(rows: MetricRows, metric: str) -> list[tuple[float, float]]:
    return [(step, values[metric]) for step, values in rows if _finite(values.get(metric))]


def run_charts(rows: MetricRows, *, prefix: str = "run") -> list[SafeString]:
    """A run's own curves: loss, and accuracy (classification) or the fitted coefficients (regression)."""
    charts = []
    for key, title, metrics, percent in RUN_CHART_GROUPS:
        series = [Series(metric_label(m), _points(rows, m)) for m in metrics]
        series = [s for s in series if s.points]
        if not series:
            continue
        charts.append(
            line_chart(
                series,
                chart_id=f"{prefix}-{key}",
                title=str(title),
                x_label=_("step"),
                y_label=str(title).lower() if not percent else _("accuracy"),
                percent=percent,
            )
        )
    if not charts:
        charts.append(
            line_chart([], chart_id=f"{prefix}-empty", title=_("Training curves"), x_label="", y_label="")
        )
    return charts


def overlay_charts(
    runs: Sequence[tuple[str, MetricRows]], metrics: Sequence[str], *, prefix: str = "overlay"
) -> list[SafeString]:
    """One chart per metric with a line per run (`runs` is (legend label, rows) in legend order)."""
    charts = []
    for metric in dict.fromkeys(metrics):  # keeps order, drops repeats
        series = [Series(label, _points(rows, metric)) for label, rows in runs]
        if not any(s.points for s in series):
            continue
        charts.append(
            line_chart(
                series,
                chart_id=f"{prefix}-{metric}",
                title=metric_label(metric).capitalize(),
                x_label=_("step"),
                y_label=metric_label(metric),
                percent=is_percent(metric),
            )
        )
    return charts
