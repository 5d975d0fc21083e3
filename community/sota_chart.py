"""The state of the art over time as an SVG step chart: the best claimed value of one metric on a
leaderboard, by paper date (issue 14, item 3).

Built like training/charts.py and community/charts.py, from the same primitives (common/charts.py):
the page works without JavaScript, colours are SVG presentation attributes (which the strict
Content-Security-Policy does not govern), every text that reaches the markup goes through `escape`,
and numbers are formatted here. Pure Python apart from Django's escaping and translation helpers:
no model, no query.

Every dated result is a faint dot; the records (each result that beat every earlier one) are joined
by a step line that stays level until the next record and runs on to the last date shown.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.charts import PALETTE, nice_ticks, svg_empty, svg_line_with_points, svg_open
from common.charts import svg_number as _num

MINUS = "\u2212"
LINE_COLOUR = PALETTE[0]
DOT_COLOUR = PALETTE[6]
MAX_DOTS = 400  # beyond this many results only the records are drawn: the page stays light


@dataclass(frozen=True)
class SotaPoint:
    """One claimed result: its paper's date, its value, and what names it (the model)."""

    when: datetime.date
    value: float
    label: str


def _usable(point: SotaPoint) -> bool:
    return (
        isinstance(point.when, datetime.date)
        and isinstance(point.value, int | float)
        and math.isfinite(point.value)
    )


def sota_frontier(points: Iterable[SotaPoint], *, higher_is_better: bool) -> list[SotaPoint]:
    """The records, oldest first: each point that beat every earlier one. Of points on one date the
    best counts; equalling the record is not a new one. Points without a date or a finite value
    are left out."""
    sign = 1.0 if higher_is_better else -1.0
    ordered = sorted((p for p in points if _usable(p)), key=lambda p: (p.when, -sign * p.value, p.label))
    records: list[SotaPoint] = []
    for point in ordered:
        if not records or sign * point.value > sign * records[-1].value:
            records.append(point)
    return records


def year_fraction(when: datetime.date) -> float:
    """2020-07-02 as 2020.5: a date's place on a time axis measured in years."""
    days = 366 if calendar.isleap(when.year) else 365
    return when.year + (when.timetuple().tm_yday - 1) / days


def format_number(value: float) -> str:
    """85.3 for 85.3, 0.0123 for 0.0123, with a real minus sign."""
    return f"{value:.4g}".replace("-", MINUS)


def _tick_label(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    text = f"{value:.{decimals}f}"
    if set(text) <= {"-", "0", "."}:
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def _year_ticks(first: float, last: float) -> list[int]:
    ticks = [int(t) for t in nice_ticks(first, last, max_ticks=8) if float(t).is_integer()]
    return [t for t in ticks if first - 1e-9 <= t <= last + 1e-9]


def _describe(records: Sequence[SotaPoint], count: int) -> str:
    """What a screen reader gets instead of the picture."""
    if not records:
        return _("No dated numeric result yet.")
    first, best = records[0], records[-1]
    return _(
        "%(count)s dated results; the best value went from %(first)s (%(first_label)s, %(first_date)s) "
        "to %(best)s (%(best_label)s, %(best_date)s) in %(records)s records."
    ) % {
        "count": count,
        "first": format_number(first.value),
        "first_label": first.label,
        "first_date": first.when.isoformat(),
        "best": format_number(best.value),
        "best_label": best.label,
        "best_date": best.when.isoformat(),
        "records": len(records),
    }


def sota_chart(
    points: Iterable[SotaPoint],
    *,
    higher_is_better: bool,
    chart_id: str,
    title: str,
    y_label: str,
    width: int = 640,
    height: int = 300,
) -> SafeString:
    """An accessible SVG step chart of the best value by date (see the module docstring).

    `chart_id` prefixes the ids of the title and description (unique on the page; escaped). A chart
    with no dated numeric point says so instead of drawing empty axes.
    """
    usable = sorted((p for p in points if _usable(p)), key=lambda p: (p.when, p.label))
    records = sota_frontier(usable, higher_is_better=higher_is_better)
    left, right, top, bottom = 64, 16, 36, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    description = _describe(records, len(usable))
    out = svg_open(
        chart_id, title, description, width=width, height=height, left=left, css_class="chart sota-chart"
    )
    if not records:
        empty = svg_empty(out, _("No dated numeric result yet."), x=left + plot_w / 2, y=top + plot_h / 2)
        return mark_safe(empty)  # noqa: S308 - svg_open and svg_empty escape every text

    xs = [year_fraction(p.when) for p in usable]
    ys = [p.value for p in usable]
    x0 = math.floor(min(xs))
    x1 = max(math.ceil(max(xs) + 1e-9), x0 + 1)
    y_ticks = nice_ticks(min(ys), max(ys), max_ticks=5)
    y0, y1 = min(y_ticks[0], min(ys)), max(y_ticks[-1], max(ys))
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    base = top + plot_h

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        return base - (y - y0) / (y1 - y0) * plot_h

    out.append('<g class="chart-grid" stroke="currentColor" stroke-opacity="0.12" aria-hidden="true">')
    out.extend(
        f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(py(t))}" y2="{_num(py(t))}"/>'
        for t in y_ticks
    )
    out.append("</g>")
    out.append('<g class="chart-axes" fill="currentColor" aria-hidden="true">')
    out.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{_num(base)}" stroke="currentColor"/>'
        f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(base)}" y2="{_num(base)}" stroke="currentColor"/>'
    )
    out.extend(
        f'<text x="{left - 6}" y="{_num(py(t) + 4)}" text-anchor="end">{escape(_tick_label(t, y_step))}</text>'
        for t in y_ticks
    )
    for year in _year_ticks(x0, x1):
        out.append(
            f'<line x1="{_num(px(year))}" x2="{_num(px(year))}" y1="{_num(base)}" y2="{_num(base + 4)}" '
            f'stroke="currentColor"/><text x="{_num(px(year))}" y="{_num(base + 17)}" text-anchor="middle">'
            f"{year}</text>"
        )
    out.append(
        f'<text class="chart-axis-label" x="{_num(left + plot_w / 2)}" y="{_num(base + 34)}" '
        f'text-anchor="middle">{escape(_("paper date"))}</text>'
    )
    mid_y = _num(top + plot_h / 2)
    out.append(
        f'<text class="chart-axis-label" x="14" y="{mid_y}" text-anchor="middle" '
        f'transform="rotate(-90 14 {mid_y})">{escape(y_label)}</text>'
    )
    out.append("</g>")

    record_set = set(map(id, records))
    if len(usable) <= MAX_DOTS:
        out.append(f'<g class="sota-results" fill="{DOT_COLOUR}" fill-opacity="0.55">')
        for point in usable:
            if id(point) in record_set:
                continue
            out.append(
                f'<circle cx="{_num(px(year_fraction(point.when)))}" cy="{_num(py(point.value))}" r="2.5">'
                f"<title>{escape(_point_text(point))}</title></circle>"
            )
        out.append("</g>")

    # The step line: level from each record to the next, then up (or down) to it; on to the last date.
    path = [f"M{_num(px(year_fraction(records[0].when)))},{_num(py(records[0].value))}"]
    for record in records[1:]:
        path.append(f"H{_num(px(year_fraction(record.when)))}V{_num(py(record.value))}")
    path.append(f"H{_num(px(max(xs)))}")
    records_drawn = [(px(year_fraction(r.when)), py(r.value), 3.5, _point_text(r), "") for r in records]
    out.append(svg_line_with_points("sota", LINE_COLOUR, "".join(path), records_drawn))
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


def _point_text(point: SotaPoint) -> str:
    return _("%(label)s: %(value)s (%(date)s)") % {
        "label": point.label,
        "value": format_number(point.value),
        "date": point.when.isoformat(),
    }
