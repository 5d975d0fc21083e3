"""Bar charts of the catalogue as SVG built on the server (a topic's papers per year).

Built like training/charts.py, from the same primitives (common/charts.py): the page works without JavaScript, and
colours are SVG presentation attributes (`fill="#..."`), which the strict Content-Security-Policy
does not govern, never `style` attributes, which it blocks. Every text that reaches the markup goes
through `escape`; numbers are formatted here. No model, no query.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.charts import PALETTE, nice_ticks, svg_empty, svg_open
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

    out.append('<g class="chart-axes" fill="currentColor" aria-hidden="true">')
    for t in y_ticks:
        out.append(
            f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(py(t))}" y2="{_num(py(t))}" '
            f'stroke="currentColor" stroke-opacity="0.12"/>'
            f'<text x="{left - 6}" y="{_num(py(t) + 4)}" text-anchor="end">{int(t)}</text>'
        )
    out.append(
        f'<line x1="{left}" x2="{_num(left + plot_w)}" y1="{_num(base)}" y2="{_num(base)}" stroke="currentColor"/>'
    )
    for year in _year_ticks(first, last):
        out.append(
            f'<line x1="{_num(px(year))}" x2="{_num(px(year))}" y1="{_num(base)}" y2="{_num(base + 4)}" '
            f'stroke="currentColor"/>'
            f'<text x="{_num(px(year))}" y="{_num(base + 17)}" text-anchor="middle">{year}</text>'
        )
    out.append("</g>")

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
