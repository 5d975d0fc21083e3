"""The state-of-the-art step chart of a leaderboard (pure functions, no database)."""

import datetime
import re
import xml.etree.ElementTree as ET

from community.sota_chart import SotaPoint, format_number, sota_chart, sota_frontier, year_fraction

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed


POINTS = [
    SotaPoint(D(2016, 3, 1), 70.0, "A"),
    SotaPoint(D(2017, 6, 1), 75.5, "B"),
    SotaPoint(D(2017, 9, 1), 74.0, "C"),  # worse than B: no record
    SotaPoint(D(2019, 1, 1), 75.5, "D"),  # equals B: no new record
    SotaPoint(D(2020, 7, 1), 81.2, "E"),
]


def test_frontier_keeps_each_result_that_beat_every_earlier_one():
    assert [p.label for p in sota_frontier(POINTS, higher_is_better=True)] == ["A", "B", "E"]


def test_frontier_for_lower_is_better_keeps_falling_values():
    errors = [
        SotaPoint(D(2015, 1, 1), 5.0, "a"),
        SotaPoint(D(2016, 1, 1), 6.0, "b"),
        SotaPoint(D(2017, 1, 1), 3.2, "c"),
        SotaPoint(D(2018, 1, 1), 3.3, "d"),
    ]
    assert [p.label for p in sota_frontier(errors, higher_is_better=False)] == ["a", "c"]


def test_frontier_on_one_date_takes_the_best_and_ignores_undated_or_non_finite_points():
    points = [
        SotaPoint(D(2018, 5, 5), 60.0, "worse"),
        SotaPoint(D(2018, 5, 5), 64.0, "better"),
        SotaPoint(None, 99.0, "undated"),
        SotaPoint(D(2019, 1, 1), float("nan"), "nan"),
        SotaPoint(D(2019, 1, 1), float("inf"), "inf"),
    ]
    assert [p.label for p in sota_frontier(points, higher_is_better=True)] == ["better"]


def test_year_fraction_places_a_date_on_a_year_axis():
    assert year_fraction(D(2020, 1, 1)) == 2020.0
    assert abs(year_fraction(D(2021, 7, 2)) - 2021.4986) < 1e-3


def test_chart_is_well_formed_accessible_svg_with_a_step_line_through_the_records():
    svg = sota_chart(POINTS, higher_is_better=True, chart_id="sota-top1", title="Top-1", y_label="Top-1")
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "sota-top1-title sota-top1-desc"
    desc = root.find(f"{SVG}desc").text
    assert "5 dated results" in desc and "70 (A, 2016-03-01)" in desc and "81.2 (E, 2020-07-01)" in desc
    path = root.find(f".//{SVG}path[@class='sota-line']").get("d")
    # M to the first record, then level-and-up to each next one (H..V..), then on to the last date.
    assert len(re.findall(r"H[\d.]+V[\d.]+", path)) == 2
    records = root.find(f".//{SVG}g[@class='sota-points']").findall(f"{SVG}circle")
    assert [c.find(f"{SVG}title").text for c in records] == [
        "A: 70 (2016-03-01)",
        "B: 75.5 (2017-06-01)",
        "E: 81.2 (2020-07-01)",
    ]
    others = root.find(f".//{SVG}g[@class='sota-results']").findall(f"{SVG}circle")
    assert len(others) == 2  # C and D, drawn faintly
    axis_text = [t.text for t in root.find(f".//{SVG}g[@class='chart-axes']").findall(f"{SVG}text")]
    assert "2016" in axis_text and "2020" in axis_text and "paper date" in axis_text


def test_a_record_higher_on_the_page_for_higher_values_and_lower_for_lower_is_better():
    svg = sota_chart(POINTS[:2], higher_is_better=True, chart_id="c", title="t", y_label="y")
    first, second = _parse(svg).find(f".//{SVG}g[@class='sota-points']").findall(f"{SVG}circle")
    assert float(second.get("cy")) < float(first.get("cy"))  # SVG y grows downwards


def test_chart_without_dated_numbers_says_so():
    svg = sota_chart([SotaPoint(None, 1.0, "x")], higher_is_better=True, chart_id="c", title="t", y_label="y")
    root = _parse(svg)
    assert "No dated numeric result yet." in "".join(root.itertext())
    assert root.find(f".//{SVG}path") is None


def test_every_text_is_escaped_and_nothing_csp_would_block():
    evil = '<script>alert("x")</script> & "q"'
    svg = sota_chart(
        [SotaPoint(D(2020, 1, 1), 1.0, evil), SotaPoint(D(2021, 1, 1), 2.0, evil)],
        higher_is_better=True,
        chart_id='id" onload="alert(1)',
        title=evil,
        y_label=evil,
    )
    assert "<script>" not in svg and 'onload="' not in svg and "style=" not in svg
    _parse(svg)


def test_negative_numbers_use_a_minus_sign():
    assert format_number(-0.25) == "\u22120.25"
    assert format_number(85.3) == "85.3"
