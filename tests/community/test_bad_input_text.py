"""Awkward but legitimate text through the submit forms (issue 16, "Bad input").

Each case is submitted by a member through the site's own form, approved by a moderator through the
moderation page, then read by an anonymous visitor on the English and the Chinese site:

- a description only in Chinese, or only in English, is accepted and shown on both sites (the form
  has one box per language, each stored in its own column whatever site the form was sent from, and
  the page falls back to the other language);
- a title mixing scripts (Latin, Han, Cyrillic, Greek) and HTML metacharacters is shown escaped;
- a 20,000-character Chinese description (60 kB of UTF-8; a description field has no length limit of
  its own, and the encoded form stays far below the 1 MB request cap) is stored and shown in full;
- right-to-left, bidi-override and zero-width characters in a name are stored exactly as sent, and
  every place that shows the name in a list or a heading isolates it in <bdi>, so it cannot reorder
  the text around it (the CSS makes long unbroken names wrap; e2e/test_layout.py checks the layout).
"""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from community.models import Channel, JobPosting, ModerationStatus, Organization, Paper, Project
from tests.community.moderation_helpers import VALID_POSTS, decide, submit_url

pytestmark = pytest.mark.django_db

CHINESE_DESCRIPTION = "一个用于训练卷积神经网络的开源框架，支持动态图与静态图，文档以中文为主。"
ENGLISH_DESCRIPTION = "An open framework for training convolutional networks, documented in English."
# Latin, Han, Cyrillic and Greek in one title, with characters HTML must escape.
MIXED_TITLE = 'Глубокое обучение 深度学习 & "Deep" <b>learning</b> with αβ-divergence'
# Arabic (right to left), a right-to-left override left open, a zero-width space, joiner and
# non-joiner, and a byte-order mark inside a word.
RTL_NAME = "مختبر التعلم العميق \u202eLab\u200b of\u200d Deep\u200c Learn\ufeffing"


def _in_language(language: str, fn, *args, **kwargs):
    with translation.override(language):
        return fn(*args, **kwargs)


def _submit(client, kind: str, data: dict, *, language: str = "en"):
    response = client.post(_in_language(language, submit_url, kind), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response


def _approve(moderator_client, item, capture) -> None:
    with capture(execute=True):
        response = decide(moderator_client, item, "approve")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ModerationStatus.PUBLISHED


def _page(url_name: str, language: str, **kwargs) -> str:
    url = _in_language(language, reverse, url_name, kwargs=kwargs or None)
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _detail(item, language: str) -> str:
    url = _in_language(language, item.get_absolute_url)
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("form_language", ["en", "zh-hans"])
def test_a_chinese_only_description_is_accepted_and_shown_on_both_sites(
    form_language, member, member_client, moderator_client, django_capture_on_commit_callbacks
):
    data = {**VALID_POSTS["project"](), "name": "feiyu-framework", "description_zh_hans": CHINESE_DESCRIPTION}
    _submit(member_client, "project", data, language=form_language)
    project = Project.objects.get(created_by=member)
    _approve(moderator_client, project, django_capture_on_commit_callbacks)

    for language in ("en", "zh-hans"):
        assert CHINESE_DESCRIPTION in _detail(project, language), language
        assert CHINESE_DESCRIPTION in _page("community:project-list", language), language


def test_an_english_only_description_is_accepted_and_shown_on_both_sites(
    member, member_client, moderator_client, django_capture_on_commit_callbacks
):
    data = {**VALID_POSTS["channel"](), "name": "Plain English forum", "description_en": ENGLISH_DESCRIPTION}
    _submit(member_client, "channel", data, language="en")
    channel = Channel.objects.get(created_by=member)
    _approve(moderator_client, channel, django_capture_on_commit_callbacks)

    assert ENGLISH_DESCRIPTION in _detail(channel, "en")
    chinese = _detail(channel, "zh-hans")
    # Shown in English on the Chinese site, marked as such (the page says which language it is in).
    assert ENGLISH_DESCRIPTION in chinese
    assert 'class="lang-fallback"' in chinese and 'lang="en"' in chinese


def test_a_title_in_mixed_scripts_is_shown_escaped_and_isolated(
    member, member_client, moderator_client, django_capture_on_commit_callbacks
):
    data = {**VALID_POSTS["paper"](), "title": MIXED_TITLE}
    _submit(member_client, "paper", data)
    paper = Paper.objects.get(created_by=member)
    assert paper.title == MIXED_TITLE
    _approve(moderator_client, paper, django_capture_on_commit_callbacks)

    escaped = escape(MIXED_TITLE)  # as the templates escape: & < > " '
    for language in ("en", "zh-hans"):
        detail = _detail(paper, language)
        assert f"<h1><bdi>{escaped}</bdi></h1>" in detail, language
        listing = _page("community:paper-list", language)
        assert (
            f'<a href="{_in_language(language, paper.get_absolute_url)}"><bdi>{escaped}</bdi></a>' in listing
        )
        for page in (detail, listing):
            assert "<b>learning</b>" not in page


def test_a_20k_character_chinese_description_is_accepted_within_the_request_limit(
    member, member_client, moderator_client, django_capture_on_commit_callbacks
):
    sentence = "深度学习模型在大规模数据上训练，需要仔细选择学习率、批大小与正则化方法。"
    paragraphs = []
    while sum(len(p) for p in paragraphs) < 20_000:
        paragraphs.append(sentence * 20)
    description = "\n\n".join(paragraphs)
    assert len(description) >= 20_000 and len(description.encode()) >= 60_000
    data = {**VALID_POSTS["channel"](), "name": "长文频道", "description_zh_hans": description}
    # Within the existing cap: the body as the browser sends it (percent-encoded UTF-8, 9 bytes a
    # character) stays under DATA_UPLOAD_MAX_MEMORY_SIZE.
    assert len(urlencode(data, doseq=True)) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    _submit(member_client, "channel", data, language="zh-hans")
    channel = Channel.objects.get(created_by=member)
    assert channel.description == description  # nothing cut
    _approve(moderator_client, channel, django_capture_on_commit_callbacks)

    page = _detail(channel, "zh-hans")
    assert page.count(sentence) == description.count(sentence)
    assert "<h1><bdi>长文频道</bdi></h1>" in page


def test_right_to_left_and_zero_width_characters_in_a_name_are_stored_and_isolated(
    member, member_client, moderator_client, django_capture_on_commit_callbacks
):
    data = {**VALID_POSTS["organization"](), "name": RTL_NAME}
    _submit(member_client, "organization", data)
    organization = Organization.objects.get(created_by=member)
    assert organization.name == RTL_NAME  # stored exactly: nothing stripped or reordered
    _approve(moderator_client, organization, django_capture_on_commit_callbacks)

    # A job at that organisation shows its name in the job list's meta line as well.
    job = {**VALID_POSTS["job"](), "organization": str(organization.pk), "title": f"Engineer at {RTL_NAME}"}
    _submit(member_client, "job", job)
    posting = JobPosting.objects.get(created_by=member)
    _approve(moderator_client, posting, django_capture_on_commit_callbacks)

    for language in ("en", "zh-hans"):
        url = _in_language(language, organization.get_absolute_url)
        detail = _detail(organization, language)
        assert f"<h1><bdi>{RTL_NAME}</bdi></h1>" in detail, language
        listing = _page("community:organization-list", language)
        assert f'<a href="{url}"><bdi>{RTL_NAME}</bdi></a>' in listing, language
        jobs = _page("community:job-list", language)
        assert f'<a href="{url}"><bdi>{RTL_NAME}</bdi></a>' in jobs, language
        assert f"<bdi>Engineer at {RTL_NAME}</bdi>" in jobs, language
        # The job's own page: its title in the heading, the employer's name beside it.
        job_page = _detail(posting, language)
        assert f"<h1><bdi>Engineer at {RTL_NAME}</bdi></h1>" in job_page, language
        assert f'<a href="{url}"><bdi>{RTL_NAME}</bdi></a>' in job_page, language
