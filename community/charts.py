"""Charts of the catalogue as SVG built on the server (a topic's papers per year, a venue's acceptance
rate by year).

Built like training/charts.py, from the same primitives (common/charts.py): the page works without JavaScript, and
colours are SVG presentation attributes (`fill="#..."`), which the strict Content-Security-Policy
does not govern, never `style` attributes, which it blocks. Every text that reaches the markup goes
through `escape`; numbers are formatted here. No model, no query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.charts import PALETTE, nice_ticks, svg_empty, svg_line_with_points, svg_open
from common.charts import svg_number as _num

BAR_COLOUR = PALETTE[0]


def _year_ticks(first: int, last: int, max_ticks: int = 8) -> list[int]:
    """Round years to label (every 10 or 20 years over a long span), inside [first, last]."""
    if first == last:
        return [first]
    return [
        int(t) for t in nice_ticks(first, last, max_ticks) if first <= t <= last and float(t).is_integer()
    ]


def year_bar_chart(
    counts: Sequence[tuple[int, int]],
    *,
    chart_id: str,
    title: str,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """One bar per year from the first year in `counts` to the last (years without papers stay
    empty, so gaps in time read as gaps), `counts` being (year, number of papers) pairs.

    `chart_id` prefixes the ids of the title and description; it must be unique on the page. With no
    counts the chart says so instead of drawing empty axes.
    """
    by_year = {int(year): int(n) for year, n in counts if n > 0}
    left, right, top, bottom = 48, 16, 36, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    out = svg_open(chart_id, title, _describe(by_year), width=width, height=height, left=left)
    if not by_year:
        empty = svg_empty(out, _("No papers yet."), x=left + plot_w / 2, y=top + plot_h / 2)
        return mark_safe(empty)  # noqa: S308 - svg_open and svg_empty escape every text

    first, last = min(by_year), max(by_year)
    years = last - first + 1
    y_ticks = [t for t in nice_ticks(0, max(by_year.values()), max_ticks=4) if float(t).is_integer()]
    y_max = max(y_ticks[-1], max(by_year.values()))
    slot = plot_w / years
    bar_w = max(min(slot * 0.8, 40), 1.5)
    base = top + plot_h

    def px(year: int) -> float:  # the centre of the year's slot
        return left + (year - first + 0.5) * slot

    def py(value: float) -> float:
        return base - value / y_max * plot_h

    _year_axes(
        out,
        y_ticks,
        [str(int(t)) for t in y_ticks],
        _year_ticks(first, last),
        px=px,
        py=py,
        box=(left, plot_w, base),
    )

    out.append(f'<g class="chart-bars" fill="{BAR_COLOUR}">')
    for year, n in sorted(by_year.items()):
        out.append(
            f'<rect x="{_num(px(year) - bar_w / 2)}" y="{_num(py(n))}" width="{_num(bar_w)}" '
            f'height="{_num(base - py(n))}" data-year="{year}" data-count="{n}">'
            f"<title>{escape(_bar_label(year, n))}</title></rect>"
        )
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


def _bar_label(year: int, n: int) -> str:
    return ngettext("%(year)s: %(count)s paper", "%(year)s: %(count)s papers", n) % {"year": year, "count": n}


def _describe(by_year: dict[int, int]) -> str:
    """What a screen reader gets instead of the picture: every year that has papers."""
    if not by_year:
        return _("No papers yet.")
    return "; ".join(_bar_label(year, n) for year, n in sorted(by_year.items()))


def _year_axes(
    out: list[str],
    y_ticks: Sequence[float],
    y_labels: Sequence[str],
    years: Iterable[int],
    *,
    px: Callable[[float], float],
    py: Callable[[float], float],
    box: tuple[float, float, float],
) -> None:
    """The axes of a chart by year: a faint grid line and a label (`y_labels`, already formatted) at
    each y tick, the base line, and a tick and label under each of `years`. `box` is (left, plot
    width, base line's y)."""
    left, plot_w, base = box
    out.append('<g class="chart-axes" fill="currentColor" aria-hidden="true">')
    for t, label in zip(y_ticks, y_labels, strict=True):
        out.append(
            f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(py(t))}" y2="{_num(py(t))}" '
            f'stroke="currentColor" stroke-opacity="0.12"/>'
            f'<text x="{left - 6}" y="{_num(py(t) + 4)}" text-anchor="end">{escape(label)}</text>'
        )
    out.append(
        f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(base)}" y2="{_num(base)}" stroke="currentColor"/>'
    )
    for year in years:
        out.append(
            f'<line x1="{_num(px(year))}" x2="{_num(px(year))}" y1="{_num(base)}" y2="{_num(base + 4)}" '
            f'stroke="currentColor"/>'
            f'<text x="{_num(px(year))}" y="{_num(base + 17)}" text-anchor="middle">{year}</text>'
        )
    out.append("</g>")


# --- a venue's acceptance rate by year ---------------------------------------------------------------

RATE_COLOUR = PALETTE[1]


def _percent(rate: float) -> str:
    """0.221 as "22.1%"; 0 and 1 as "0%" and "100%"."""
    return f"{rate * 100:.1f}".removesuffix(".0") + "%"


def rate_point_label(rate: Any, *, with_source: bool = True) -> str:
    """What one year's point says: its figure (with the counts when known) and its source."""
    values = {"year": rate.year, "rate": _percent(rate.rate)}
    if rate.accepted is not None and rate.submitted is not None:
        text = _("%(year)s: %(rate)s (%(accepted)s of %(submitted)s accepted)") % {
            **values,
            "accepted": rate.accepted,
            "submitted": rate.submitted,
        }
    else:
        text = _("%(year)s: %(rate)s") % values
    if with_source and rate.source_url:
        text = _("%(figure)s; source: %(source)s") % {"figure": text, "source": rate.source_url}
    return text


def acceptance_rate_chart(
    rates: Iterable[Any],
    *,
    chart_id: str,
    title: str,
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """One point per year with a rate (the fraction 0 to 1 of `rates`: objects with `year`, `rate`,
    `submitted`, `accepted` and `source_url`, such as a venue's prefetched AcceptanceRate rows), joined
    by a line between consecutive years (a year without figures breaks it). The y axis starts at 0%,
    so a low rate looks low. Each point's title gives its figure and its source.

    `chart_id` prefixes the ids of the title and description; it must be unique on the page. With no
    rate the chart says so instead of drawing empty axes.
    """
    by_year = {int(r.year): r for r in rates if r.rate is not None and 0 <= r.rate <= 1}
    points = [by_year[year] for year in sorted(by_year)]
    left, right, top, bottom = 48, 16, 36, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    # The table beside the chart lists the sources: a screen reader hears the figures only.
    description = "; ".join(rate_point_label(r, with_source=False) for r in points)
    description = description or _("No acceptance rate yet.")
    out = svg_open(
        chart_id, title, description, width=width, height=height, left=left, css_class="chart rate-chart"
    )
    if not points:
        empty = svg_empty(out, _("No acceptance rate yet."), x=left + plot_w / 2, y=top + plot_h / 2)
        return mark_safe(empty)  # noqa: S308 - svg_open and svg_empty escape every text

    first, last = points[0].year, points[-1].year
    slot = plot_w / (last - first + 1)
    top_percent = max(10.0, max(r.rate for r in points) * 100)
    y_ticks = [t for t in nice_ticks(0, top_percent, max_ticks=4) if 0 <= t <= 100]
    y_max = max(y_ticks[-1], top_percent)
    base = top + plot_h

    def px(year: float) -> float:  # the centre of the year's slot
        return left + (year - first + 0.5) * slot

    def py(percent: float) -> float:
        return base - percent / y_max * plot_h

    labels = [f"{t:g}%" for t in y_ticks]
    _year_axes(out, y_ticks, labels, _year_ticks(first, last), px=px, py=py, box=(left, plot_w, base))

    path = []
    for previous, point in zip([None, *points], points, strict=False):
        move = "L" if previous is not None and point.year == previous.year + 1 else "M"
        path.append(f"{move}{_num(px(point.year))},{_num(py(point.rate * 100))}")
    drawn = [
        (
            px(r.year),
            py(r.rate * 100),
            4,
            rate_point_label(r),
            f' data-year="{r.year}" data-rate="{_num(r.rate * 100)}"',
        )
        for r in points
    ]
    out.append(svg_line_with_points("rate", RATE_COLOUR, "".join(path), drawn))
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()
