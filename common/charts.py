"""The SVG chart primitives the apps share: the palette and dash patterns, round tick positions and
how a coordinate is written into the markup, and the opening (and the "nothing to draw" ending) every
chart has, and the line-with-points ending of a chart of records. training/charts.py (training curves) and
community/charts.py (a topic's papers per year) draw their charts with them.

Pure Python: no Django, no model, no query.
"""

import math
from collections.abc import Iterable
from html import escape

# Okabe-Ito and Tableau colours, distinguishable with the common colour-vision deficiencies; the
# legend also varies the dash pattern, so no series is told apart by colour alone.
PALETTE = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#7f7f7f",
    "#8c564b",
    "#bcbd22",
    "#1f3a93",
    "#9467bd",
    "#17becf",
)
DASHES = ("", "6 3", "2 3", "8 3 2 3")


def nice_step(span: float, max_ticks: int) -> float:
    """The 1-2-5 step that divides `span` into at most `max_ticks` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(max_ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def nice_ticks(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Round tick positions covering [lo, hi]: the first at or below lo, the last at or above hi."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(lo) * 0.05 or 1.0
        lo, hi = lo - pad, hi + pad
    step = nice_step(hi - lo, max_ticks)
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    count = round((last - first) / step)
    # round() to 12 digits so 0.1 * 3 is 0.3 and a tick label never reads 0.30000000000000004.
    return [round(first + i * step, 12) for i in range(count + 1)]


def svg_number(value: float) -> str:
    """A coordinate for the markup: two decimals are sub-pixel at any size a page draws."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def svg_open(
    chart_id: str, title: str, description: str, *, width, height, left, css_class: str = "chart"
) -> list[str]:
    """The start of an accessible chart: the <svg> element, labelled by its <title> and <desc> (their
    ids prefixed with `chart_id`, unique on the page), and the title written above the plot from `left`.
    Every text is escaped here."""
    cid = escape(str(chart_id))
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{cid}-title">{escape(str(title))}</title>',
        f'<desc id="{cid}-desc">{escape(str(description))}</desc>',
        f'<text class="chart-title" x="{left}" y="20" font-size="14" font-weight="600" '
        f'fill="currentColor">{escape(str(title))}</text>',
    ]


def svg_empty(out: list[str], message: str, *, x: float, y: float) -> str:
    """The chart `out` began (svg_open), ended with `message` at (x, y), the middle of its plot: a chart
    with nothing to draw says so instead of drawing empty axes."""
    return "".join(
        [
            *out,
            f'<text x="{svg_number(x)}" y="{svg_number(y)}" text-anchor="middle" '
            f'fill="currentColor">{escape(str(message))}</text></svg>',
        ]
    )


def svg_line_with_points(
    name: str, colour: str, path: str, points: Iterable[tuple[float, float, float, str, str]]
) -> str:
    """The end of a chart of points joined by a line: the <path> `path` (class `{name}-line`), then a
    group (class `{name}-points`) of circles, each (x, y, radius, title, extra attributes) with its
    title escaped here; the extra attributes are written as they are. Closes the <svg>."""
    circles = "".join(
        f'<circle cx="{svg_number(x)}" cy="{svg_number(y)}" r="{svg_number(r)}"{extra}>'
        f"<title>{escape(str(title))}</title></circle>"
        for x, y, r, title, extra in points
    )
    return (
        f'<path class="{name}-line" d="{path}" fill="none" stroke="{colour}" stroke-width="2" '
        f'stroke-linejoin="round"/><g class="{name}-points" fill="{colour}">{circles}</g></svg>'
    )
