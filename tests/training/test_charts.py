"""Server-side SVG charts and the number formats of the results pages (pure functions, no database)."""

import re
import xml.etree.ElementTree as ET

import pytest

from training import charts
from training.charts import Series, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed


def test_chart_is_well_formed_accessible_svg_with_axes_series_and_legend():
    svg = line_chart(
        [Series("train", [(250, 1.2), (500, 0.8), (750, 0.5)]), Series("test", [(250, 1.3), (500, 0.9)])],
        chart_id="run-7-loss",
        title="Loss",
        x_label="step",
        y_label="loss",
    )
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "run-7-loss-title run-7-loss-desc"
    assert root.find(f"{SVG}title").text == "Loss"
    assert "train: 0.5 at step 750 (3 points)" in root.find(f"{SVG}desc").text
    polylines = root.findall(f".//{SVG}polyline")
    assert len(polylines) == 2
    assert len(polylines[0].get("points").split()) == 3
    legend = root.find(f".//{SVG}g[@class='chart-legend']")
    assert [t.text for t in legend.findall(f"{SVG}text")] == ["train", "test"]
    tick_labels = [t.text for t in root.find(f".//{SVG}g[@class='chart-axes']").findall(f"{SVG}text")]
    assert "0" in tick_labels and "800" in tick_labels  # x axis from 0 past the last step (750)
    assert "step" in tick_labels and "loss" in tick_labels


def test_chart_has_no_style_attribute_or_script_that_csp_would_block():
    svg = line_chart([Series("a", [(1, 1), (2, 2)])], chart_id="c", title="t", x_label="x", y_label="y")
    assert "style=" not in svg
    assert "<script" not in svg
    assert 'stroke="#0072b2"' in svg  # a presentation attribute, which CSP does not govern


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script> & "quotes"'
    svg = line_chart(
        [Series(evil, [(0, 0.1), (10, 0.2)])],
        chart_id='id" onload="alert(1)',
        title=evil,
        x_label=evil,
        y_label=evil,
    )
    assert "<script>" not in svg
    assert 'onload="' not in svg
    root = _parse(svg)  # still well-formed
    assert root.find(f"{SVG}title").text == evil  # the parser unescapes what we escaped
    assert root.get("aria-labelledby").startswith('id" onload=')


def test_points_that_are_not_finite_are_dropped_and_an_empty_chart_says_so():
    svg = line_chart(
        [Series("nan", [(0, float("nan")), (1, float("inf"))])],
        chart_id="e",
        title="Empty",
        x_label="",
        y_label="",
    )
    root = _parse(svg)
    assert root.findall(f".//{SVG}polyline") == []
    assert "No evaluations recorded yet." in svg


def test_percent_axis_stays_within_0_and_100_percent():
    svg = line_chart(
        [Series("acc", [(250, 0.42), (500, 0.97)])],
        chart_id="p",
        title="Acc",
        x_label="step",
        y_label="acc",
        percent=True,
    )
    labels = re.findall(r">(-?[\d.]+)%<", svg)
    assert labels and all(0 <= float(v) <= 100 for v in labels)


def test_single_point_and_flat_series_do_not_divide_by_zero():
    svg = line_chart([Series("one", [(0, 3.0)])], chart_id="s", title="One", x_label="x", y_label="y")
    assert len(_parse(svg).findall(f".//{SVG}circle")) == 1


def test_twelve_series_get_distinct_colour_and_dash_pairs():
    series = [Series(f"run {i}", [(0, i), (1, i + 1)]) for i in range(12)]
    root = _parse(line_chart(series, chart_id="m", title="Many", x_label="x", y_label="y"))
    styles = {(p.get("stroke"), p.get("stroke-dasharray")) for p in root.findall(f".//{SVG}polyline")}
    assert len(styles) == 12


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0, 6000, [0, 1000, 2000, 3000, 4000, 5000, 6000]),
        (0.61, 0.69, None),
    ],
)
def test_nice_ticks_are_round_and_cover_the_range(lo, hi, expected):
    ticks = nice_ticks(lo, hi, max_ticks=6)
    if expected is not None:
        assert ticks == pytest.approx(expected)
    assert ticks[0] <= lo and ticks[-1] >= hi
    assert len(ticks) <= 8


def test_run_charts_pick_loss_and_accuracy_or_coefficients():
    classification = [(250, {"train_loss": 1.0, "test_loss": 1.1, "train_acc": 0.5, "test_acc": 0.4})]
    assert len(charts.run_charts(classification)) == 2
    regression = [(25, {"train_loss": 0.2, "test_loss": 0.3, "w": 2.0, "b": 2.4})]
    titles = [_parse(c).find(f"{SVG}title").text for c in charts.run_charts(regression)]
    assert titles == ["Loss", "Fitted coefficients"]
    assert "No evaluations" in charts.run_charts([])[0]


def test_overlay_charts_one_per_metric_with_a_line_per_run():
    runs = [
        ("seed 0", [(250, {"test_acc": 0.5})]),
        ("seed 1", [(250, {"test_acc": 0.6}), (500, {"test_acc": 0.7})]),
    ]
    out = charts.overlay_charts(runs, ["test_acc", "test_acc", "test_loss"])
    assert len(out) == 1  # no test_loss values; repeats are dropped
    assert len(_parse(out[0]).findall(f".//{SVG}polyline")) == 2


@pytest.mark.parametrize(
    ("value", "metric", "expected"),
    [
        (0.6734, "test_acc", "67.3%"),
        (2.99812, "w", "2.998"),
        (None, "w", "—"),
        (float("nan"), "test_acc", "—"),
    ],
)
def test_format_value(value, metric, expected):
    assert charts.format_value(value, metric) == expected


def test_gaps_use_points_for_accuracies_and_a_real_minus_sign():
    assert charts.format_gap(-0.007, "test_acc") == "\u22120.7 points"
    assert charts.format_gap(0.003, "test_acc") == "+0.3 points"
    assert charts.format_gap(-0.0004, "test_acc") == "+0.0 points"
    assert charts.format_gap(-0.0123, "b") == "\u22120.0123"
    assert charts.format_gap(None, "b") == ""


def test_targets_and_mean_std():
    assert charts.format_target({"metric": "test_acc", "value": 0.68, "tolerance": 0.03}) == "68.0 ± 3.0%"
    assert charts.format_target({"metric": "test_acc", "minimum": 0.97}) == "≥ 97.0%"
    assert charts.format_mean_std(2.9981, 0.0042, "w") == "2.998 ± 0.0042"
    assert charts.format_mean_std(None, None, "w") == "—"
