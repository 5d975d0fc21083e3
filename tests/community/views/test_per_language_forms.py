"""A guide's title, summary and body and a topic's name are written per language in the web forms
too (issue 16): one box per language on either site, each stored in its own language, at least one
language required; the API already took `title_en` / `title_zh_hans`."""

import pytest

from community.forms.submissions import FORMS
from community.models import Guide
from tests.community.moderation_helpers import submit_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "fields"),
    [("guide", ["title", "summary", "body"]), ("topic", ["name", "description"])],
)
def test_translated_fields_are_one_box_per_language(kind, fields):
    boxes = FORMS[kind].base_fields
    for name in fields:
        assert name not in boxes
        assert {f"{name}_en", f"{name}_zh_hans"} <= set(boxes)


@pytest.mark.parametrize("site", ["", "/zh-hans"])
def test_a_guide_written_only_in_chinese_is_stored_as_chinese_from_either_site(member_client, member, site):
    response = member_client.post(
        site + submit_url("guide"),
        {
            "title_zh_hans": "反向传播入门",
            "summary_zh_hans": "链式法则。",
            "body_zh_hans": "# 链式法则\n\n正文。",
        },
    )
    assert response.status_code == 302

    guide = Guide.objects.get(created_by=member)
    assert (guide.title_zh_hans, guide.body_zh_hans) == ("反向传播入门", "# 链式法则\n\n正文。")
    assert not guide.title_en and not guide.body_en
    assert guide.slug  # made from the Chinese title, since there is no English one


def test_a_guide_written_in_both_languages_keeps_both(member_client, member):
    member_client.post(
        submit_url("guide"),
        {"title_en": "Backprop", "title_zh_hans": "反向传播", "body_en": "Body.", "body_zh_hans": "正文。"},
    )
    guide = Guide.objects.get(created_by=member)
    assert (guide.title_en, guide.title_zh_hans, guide.body_en, guide.body_zh_hans) == (
        "Backprop",
        "反向传播",
        "Body.",
        "正文。",
    )


def test_a_guide_needs_its_title_and_body_in_at_least_one_language(member_client):
    response = member_client.post(submit_url("guide"), {"summary_en": "Only a summary."})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title_en"] == ["Write this in at least one language."]
    assert errors["body_en"] == ["Write this in at least one language."]
    assert not Guide.objects.exists()


def test_a_preview_with_nothing_written_says_so(member_client):
    response = member_client.post(submit_url("guide"), {"title_en": "T", "preview": "1"})
    assert "Nothing to preview yet" in response.content.decode()
    assert not Guide.objects.exists()
