"""A topic's page is its hub: papers, projects (most-linked first), venues with their open deadlines,
jobs, funding, guides, the reference results of its papers' benchmarks and a chart of papers per
year (server-side SVG, no inline style, every text escaped)."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from community.charts import year_bar_chart
from community.services.catalogue_stats import catalogue_stats_refresh
from community.services.seed import seed_load
from tests.community import factories as f
from tests.training.factories import BenchmarkFactory, finished_sweep

pytestmark = pytest.mark.django_db


def html_of(client, item, language: str = "en") -> str:
    with translation.override(language):
        url = item.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def bars(html: str) -> dict[int, int]:
    return {int(y): int(n) for y, n in re.findall(r'<rect [^>]*data-year="(\d+)" data-count="(\d+)"', html)}


# --- the chart ----------------------------------------------------------------------------------


def test_the_bar_chart_draws_one_bar_per_year_with_papers_and_escapes_its_text():
    svg = year_bar_chart([(1998, 1), (2012, 3), (2015, 2)], chart_id='x"y', title="<script>alert(1)</script>")
    assert bars(svg) == {1998: 1, 2012: 3, 2015: 2}
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-labelledby="x&quot;y-title x&quot;y-desc"' in svg
    assert "style=" not in svg
    assert "2012: 3 papers" in svg and "1998: 1 paper" in svg  # the description and the bar titles
    heights = {int(y): float(h) for h, y in re.findall(r'height="([\d.]+)" data-year="(\d+)"', svg)}
    assert heights[2012] > heights[2015] > heights[1998] > 0


def test_the_bar_chart_without_papers_says_so():
    svg = year_bar_chart([], chart_id="c", title="Papers")
    assert "No papers yet." in svg and "<rect" not in svg


# --- the hub ------------------------------------------------------------------------------------


def test_the_hub_charts_papers_per_year_and_skips_unpublished_ones(client):
    topic = f.TopicFactory(name="Sequence <models>")
    for year in (1997, 2014, 2014, 2017):
        f.PaperFactory(year=year).topics.add(topic)
    f.PaperFactory(year=2020, status="pending").topics.add(topic)
    f.PaperFactory(year=2021)  # another topic's
    # The counts are stored by the periodic job, not counted per request: none before it runs.
    assert bars(html_of(client, topic)) == {}
    assert catalogue_stats_refresh().topics >= 1
    html = html_of(client, topic)
    assert bars(html) == {1997: 1, 2014: 2, 2017: 1}
    assert catalogue_stats_refresh().topics == 0  # a second run changes nothing
    assert "Papers on Sequence &lt;models&gt; per year" in html
    assert "<models>" not in html


def test_projects_come_most_linked_first(client):
    topic = f.TopicFactory()
    rare, popular, unused = (f.ProjectFactory(name=name) for name in ("rare", "popular", "aaa unused"))
    for project in (rare, popular, unused):
        project.topics.add(topic)
    for _ in range(3):
        f.PaperFactory().projects.add(popular)
    f.PaperFactory().projects.add(rare)
    f.PaperFactory(status="pending").projects.add(rare)  # not counted
    assert catalogue_stats_refresh().projects == 2  # the counts the topic page shows, stored
    html = html_of(client, topic)
    section = html.split('id="related-projects"')[1].split("</section>")[0]
    assert section.index(">popular<") < section.index(">rare<") < section.index(">aaa unused<")
    assert "(3 papers)" in section and "(1 paper)" in section


def test_venues_with_an_open_deadline_come_first_with_it(client):
    topic = f.TopicFactory()
    closed, open_soon, open_later, none = (f.VenueFactory(name=n) for n in ("Closed", "Soon", "Later", "AAA"))
    for venue in (closed, open_soon, open_later, none):
        venue.topics.add(topic)
    now = timezone.now()
    f.DeadlineFactory(venue=closed, due_at=now - dt.timedelta(days=3))
    f.DeadlineFactory(venue=open_soon, due_at=now + dt.timedelta(days=5))
    f.DeadlineFactory(venue=open_later, due_at=now + dt.timedelta(days=50))
    html = html_of(client, topic)
    section = html.split('id="related-venues"')[1].split("</section>")[0]
    order = [section.index(f">{name}<") for name in ("Soon", "Later", "AAA", "Closed")]
    assert order[:2] == sorted(order[:2]) and order[1] < min(order[2:])
    assert section.count("next deadline") == 2


def test_reference_results_are_the_benchmarks_of_the_topics_papers(client):
    topic = f.TopicFactory()
    paper = f.PaperFactory()
    paper.topics.add(topic)
    mine = BenchmarkFactory(paper=paper, name="Mine · MLP")
    strong = finished_sweep(mine, accs=(0.70, 0.69))
    other = BenchmarkFactory(paper=f.PaperFactory(), name="Other · CNN")
    finished_sweep(other)
    html = html_of(client, topic)
    assert "Reference results" in html and "Mine · MLP" in html and "Other · CNN" not in html
    assert f"Sweep #{strong.pk}" in html


def test_jobs_funding_guides_and_papers_are_gathered(client):
    topic = f.linked_topic(width=2)
    html = html_of(client, topic)
    for key in ("papers", "projects", "venues", "jobs", "funding", "channels", "guides"):
        items = getattr(topic, key).all()
        assert items, key
        for item in items:
            with translation.override("en"):
                assert item.get_absolute_url() in html, (key, item)


def test_the_seed_topics_read_in_chinese_with_their_chart(client):
    seed_load()
    from community.models import Topic

    topic = Topic.objects.get(slug="convolutional-neural-networks")
    html = html_of(client, topic, "zh-hans")
    assert "<h1><bdi>卷积神经网络</bdi></h1>" in html
    assert bars(html) == {1998: 1, 2012: 1, 2015: 1, 2016: 1}
