"""The venue page's acceptance-rate chart (issue 15, item 3): one point per year with a rate, each
titled with its figure and source, drawn on the server from the prefetched rates; and the ranks
shown on the venue list."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from community.charts import acceptance_rate_chart, rate_point_label
from community.models import AcceptanceRate
from tests.community import factories as f


def rate(year, value, *, submitted=None, accepted=None, source=""):
    return SimpleNamespace(year=year, rate=value, submitted=submitted, accepted=accepted, source_url=source)


def points(svg: str) -> dict[int, float]:
    """{year: rate in percent} of the chart's points."""
    return {
        int(y): float(r) for y, r in re.findall(r'<circle [^>]*data-year="(\d+)" data-rate="([\d.]+)"', svg)
    }


def heights(svg: str) -> dict[int, float]:
    return {int(y): float(cy) for cy, y in re.findall(r'cy="([\d.]+)" r="4" data-year="(\d+)"', svg)}


# --- the chart ----------------------------------------------------------------------------------


def test_without_rates_the_chart_says_so():
    svg = acceptance_rate_chart([rate(2020, None, submitted=10)], chart_id="c", title="Rates")
    assert "No acceptance rate yet." in svg and "<circle" not in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_one_year_is_one_point_titled_with_its_figure_and_source():
    svg = acceptance_rate_chart(
        [rate(2024, 0.221, submitted=1000, accepted=221, source="https://example.org/stats")],
        chart_id="c",
        title="Rates",
    )
    assert points(svg) == {2024: 22.1}
    assert "<title>2024: 22.1% (221 of 1000 accepted); source: https://example.org/stats</title>" in svg
    # The description (what a screen reader hears) gives the figures; the table beside it the sources.
    assert re.search(r"<desc [^>]*>2024: 22.1% \(221 of 1000 accepted\)</desc>", svg)
    assert 'role="img"' in svg and "style=" not in svg


def test_many_years_sorted_lower_rates_lower_and_a_missing_year_breaks_the_line():
    svg = acceptance_rate_chart(
        [rate(2021, 0.3), rate(2019, 0.2), rate(2020, 0.25), rate(2023, 0.1)], chart_id="c", title="Rates"
    )
    assert points(svg) == {2019: 20.0, 2020: 25.0, 2021: 30.0, 2023: 10.0}
    cy = heights(svg)  # SVG y grows downwards
    assert cy[2023] > cy[2019] > cy[2020] > cy[2021]
    path = re.search(r'class="rate-line" d="([^"]+)"', svg).group(1)
    assert path.count("M") == 2 and path.count("L") == 2  # 2019-2020-2021, then 2023 alone
    assert "2019: 20%; 2020: 25%; 2021: 30%; 2023: 10%" in svg


def test_rates_zero_and_one_sit_on_the_base_and_the_top_of_the_axis():
    svg = acceptance_rate_chart([rate(2010, 0.0), rate(2011, 1.0)], chart_id="c", title="Rates")
    assert points(svg) == {2010: 0.0, 2011: 100.0}
    assert "2010: 0%" in svg and "2011: 100%" in svg
    cy = heights(svg)
    base = float(re.search(r'<text x="42" y="([\d.]+)" text-anchor="end">0%</text>', svg).group(1)) - 4
    top = float(re.search(r'<text x="42" y="([\d.]+)" text-anchor="end">100%</text>', svg).group(1)) - 4
    assert cy[2010] == base and cy[2011] == top
    # Only 0 to 1 is a rate: a figure out of range (refused by the database too) is not drawn.
    assert points(acceptance_rate_chart([rate(2012, 1.5)], chart_id="c", title="Rates")) == {}


def test_every_text_is_escaped():
    svg = acceptance_rate_chart(
        [rate(2020, 0.5, source='https://example.org/?a=1&b="<script>"')],
        chart_id='x"y',
        title="<script>alert(1)</script>",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert 'aria-labelledby="x&quot;y-title x&quot;y-desc"' in svg
    assert "a=1&amp;b=&quot;&lt;script&gt;&quot;" in svg


# --- on the venue page ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("en", "Acceptance rates"), ("zh-hans", "录用率")])
def test_the_venue_page_shows_the_chart_in_both_languages(client, language, heading):
    venue = f.VenueFactory(name="ICXR")
    AcceptanceRate.objects.create(venue=venue, year=2022, submitted=100, accepted=20, rate=0.2)
    AcceptanceRate.objects.create(venue=venue, year=2023, rate=0.25, source_url="https://example.org/icxr")
    with translation.override(language):
        url = venue.get_absolute_url()
        # The chart speaks the page's language (the texts as that language's catalogue has them).
        title = gettext("Acceptance rate of %(venue)s by year") % {"venue": "ICXR"}
        figure = rate_point_label(rate(2023, 0.25, source="https://example.org/icxr"))
    html = client.get(url).content.decode()
    assert f'id="related-acceptance-rates">{heading}</h2>' in html
    assert "{#" not in html  # no template comment printed (one spanning lines was)
    chart = re.search(r'<svg [^>]*class="chart rate-chart".*?</svg>', html, re.S).group(0)
    assert points(chart) == {2022: 20.0, 2023: 25.0}
    assert f">{escape(title)}</title>" in chart
    assert f"<title>{escape(figure)}</title>" in chart


@pytest.mark.django_db
def test_a_venue_without_rates_has_no_chart(client):
    venue = f.VenueFactory()
    assert "rate-chart" not in client.get(venue.get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "label"), [("en", "CCF rank"), ("zh-hans", "CCF 等级")])
def test_the_venue_list_shows_each_venues_ranks_in_both_languages(client, language, label):
    f.VenueFactory(name="Ranked", ccf_rank="A", core_rank="A*")
    f.VenueFactory(name="Unranked")
    with translation.override(language):
        html = client.get(reverse("community:venue-list")).content.decode()
    assert html.count('class="rank-ccf"') == 1 and html.count('class="rank-core"') == 1
    assert f'<span class="rank-ccf">{label} A</span>' in html
    assert re.search(r"<span class=\"rank-core\">[^<]+ A\*</span>", html), re.findall(
        r"rank-core.{0,40}", html
    )
