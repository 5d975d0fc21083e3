"""Chinese readers' conveniences (issue 16, item 6): dates written the Chinese way on the Chinese site
(2026年12月2日) and the English way on the English one, and Beijing time offered first in the
deadlines page's zone picker for Chinese readers only."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from common.timezones import SUGGESTED_ZONES
from tests.community import factories as f

pytestmark = pytest.mark.django_db


def _get(client, language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        url = reverse(name, kwargs=kwargs or None)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_deadlines_are_dated_the_chinese_way_on_the_chinese_site(client):
    due = (timezone.now() + dt.timedelta(days=40)).replace(hour=12, minute=0, second=0, microsecond=0)
    f.DeadlineFactory(due_at=due, timezone_label="UTC")
    chinese = _get(client, "zh-hans", "community:deadline-list")
    english = _get(client, "en", "community:deadline-list")
    assert f"{due.year}年{due.month}月{due.day}日 12:00" in chinese
    assert f"{due.day} {due:%B} {due.year}" not in chinese
    assert f"{due.day} {due:%B} {due.year}, 12:00" in english
    assert "年" not in english.split("<main", 1)[1]


def test_a_guide_says_when_it_was_last_reviewed_in_the_readers_way(client):
    guide = f.GuideFactory(reviewed_on=dt.date(2026, 11, 28))
    chinese = _get(client, "zh-hans", "community:guide-detail", slug=guide.slug)
    english = _get(client, "en", "community:guide-detail", slug=guide.slug)
    assert '<time datetime="2026-11-28">2026年11月28日</time>' in chinese
    assert '<time datetime="2026-11-28">28 November 2026</time>' in english


def test_every_date_format_of_the_templates_reads_the_chinese_way_in_chinese():
    # A template's `date:_("…")` format is translated per language; one without a Chinese
    # translation would print "2 十二月 2026" on the Chinese site.
    formats = set()
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        formats |= set(re.findall(r'date:_\("([^"]+)"\)', path.read_text()))
    assert formats
    with translation.override("zh-hans"):
        untranslated = {fmt: translation.gettext(fmt) for fmt in formats}
    assert {fmt: out for fmt, out in untranslated.items() if "Y年n月j日" not in out} == {}


def _zone_options(page: str) -> list[str]:
    datalist = re.search(r'<datalist id="id_tz_suggestions">(.*?)</datalist>', page, re.S)
    assert datalist, "the zone picker offers no suggestions"
    return re.findall(r'<option value="([^"]+)"', datalist.group(1))


def test_beijing_time_comes_first_in_the_zone_picker_for_chinese_readers_only(client):
    chinese = _get(client, "zh-hans", "community:deadline-list")
    english = _get(client, "en", "community:deadline-list")
    assert 'list="id_tz_suggestions"' in chinese
    assert _zone_options(chinese)[0] == "Asia/Shanghai"
    assert sorted(_zone_options(chinese)) == sorted(SUGGESTED_ZONES)
    assert _zone_options(english) == list(SUGGESTED_ZONES)
    assert _zone_options(english)[0] == "UTC"
    # Choosing it shows the deadlines in Beijing time.
    with translation.override("zh-hans"):
        url = reverse("community:deadline-list")
    assert "Asia/Shanghai" in client.get(url, {"tz": "Asia/Shanghai"}).content.decode().split('class="tz-line"', 1)[1][:200]
