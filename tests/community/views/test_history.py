"""/history/: the field's timeline from the 1940s to today, in both languages, each event linked to
its paper or project, loaded from community/seed/history.yaml."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from community.models import Paper, Project, TimelineEvent
from community.seed import SEED_DIR, SeedDataError
from community.services.seed import seed_load

pytestmark = pytest.mark.django_db


def get(client, language: str = "en") -> str:
    with translation.override(language):
        url = reverse("community:history")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def events_in(html: str) -> list[tuple[int, str]]:
    """(year, linked address) of every event, in page order."""
    return [
        (int(year), href)
        for year, href in re.findall(
            r'<time class="timeline-year" datetime="\d+">(\d+)</time>.*?<a href="([^"]+)"', html, re.DOTALL
        )
    ]


def test_an_untranslated_event_falls_back_to_english(client):
    paper = Paper.objects.create(slug="p", title="A paper", year=1958, status="published")
    TimelineEvent.objects.create(slug="e", year=1958, text_en="Only in English.", paper=paper)
    assert "Only in English." in get(client, "zh-hans")


def test_an_event_names_a_paper_or_a_project(tmp_path: Path):
    for path in SEED_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    history = tmp_path / "history.yaml"
    items = yaml.safe_load(history.read_text(encoding="utf-8"))
    items[0]["project"] = "pytorch"  # and it already names a paper
    history.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(SeedDataError, match="either a paper or a project"):
        seed_load(data_dir=tmp_path)
    items[0].pop("project")
    items[0]["paper"] = "no-such-paper"
    history.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(SeedDataError, match="no-such-paper"):
        seed_load(data_dir=tmp_path)


def test_the_page_is_in_the_navigation(client):
    html = get(client)
    assert '<a href="/history/" aria-current="page">' in html


@pytest.mark.usefixtures("seed_for_the_class")
class TestOnTheLoadedSeed:
    """The timeline of the shipped seed: read by each test, loaded once for them all."""

    def test_the_timeline_runs_from_the_1940s_to_today_in_order_with_links(self, client):
        html = get(client)
        events = events_in(html)
        assert len(events) == TimelineEvent.objects.count() >= 20
        years = [year for year, _ in events]
        assert years == sorted(years)
        assert years[0] < 1950 and years[-1] >= 2020
        with translation.override("en"):
            papers = {p.get_absolute_url() for p in Paper.objects.all()}
            projects = {p.get_absolute_url() for p in Project.objects.all()}
        assert all(href in papers | projects for _, href in events)
        assert {href for _, href in events} & projects, "no project milestone"
        # Every landmark paper of the seed has its place on the timeline.
        assert papers <= {href for _, href in events}
        assert "McCulloch and Pitts" in html

    def test_events_of_one_year_keep_the_files_order(self, client):
        items = yaml.safe_load((SEED_DIR / "history.yaml").read_text(encoding="utf-8"))
        in_file = [item["slug"] for item in items if item["year"] == 2015]
        assert len(in_file) > 1
        events = {e.slug: e for e in TimelineEvent.objects.select_related("paper", "project")}
        with translation.override("en"):
            expected = [events[slug].target.get_absolute_url() for slug in in_file]
        assert [href for year, href in events_in(get(client)) if year == 2015] == expected

    def test_the_chinese_timeline_reads_in_chinese_and_links_chinese_pages(self, client):
        html = get(client, "zh-hans")
        assert "McCulloch 与 Pitts" in html and "McCulloch and Pitts" not in html
        assert all(href.startswith("/zh-hans/") for _, href in events_in(html))

    def test_events_of_unpublished_items_are_hidden_and_the_query_count_is_constant(self, client):
        with CaptureQueriesContext(connection) as queries:
            get(client)
        assert len(queries) == 1
        Paper.objects.filter(slug="attention-is-all-you-need").update(status="pending")
        html = get(client)
        assert "Attention Is All You Need" not in html
        assert len(events_in(html)) == TimelineEvent.objects.count() - 1

    def test_the_admin_edits_timeline_events_and_guides_per_language(self, client, staff_user):
        client.force_login(staff_user)
        assert client.get(reverse("admin:community_timelineevent_changelist")).status_code == 200
        event = TimelineEvent.objects.get(slug="transformer")
        html = client.get(reverse("admin:community_timelineevent_change", args=[event.pk])).content.decode()
        assert 'name="text_en"' in html and 'name="text_zh_hans"' in html
        from community.models import Guide

        guide = Guide.objects.get(slug="linear-regression")
        html = client.get(reverse("admin:community_guide_change", args=[guide.pk])).content.decode()
        assert 'name="title_zh_hans"' in html and 'name="body_en"' in html and 'name="benchmark"' in html
