"""Per-language catalogue texts through the site's own forms and the moderator's pages (issue 16.1).

A submission or an edit takes each per-language text (a description, a funding call's eligibility, a
biography) as one box per language; each is stored in its own language whatever site the form was
sent from; the moderator's review page and edit diff show both languages, one row each; approving
an edit writes the language it changed and leaves the other alone.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from community.models import Channel, EditSuggestion, FundingOpportunity
from tests.community import factories as f
from tests.community.moderation_helpers import VALID_POSTS, form_post_data, review_url, submit_url

pytestmark = pytest.mark.django_db

ZH = "一个讨论深度学习论文的中文社区，每周组织读书会。"
EN = "A community that discusses deep learning papers, with a weekly reading group."


def _submit_channel(member_client, language: str, **texts) -> Channel:
    with translation.override(language):
        url = submit_url("channel")
    data = {**VALID_POSTS["channel"](), "name": f"Reading group {len(texts)}{language}", **texts}
    data.pop("description", None)
    response = member_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return Channel.objects.get(name=data["name"])


def test_the_submit_form_shows_one_box_per_language(member_client):
    html = member_client.get(submit_url("channel")).content.decode()
    assert 'name="description_en"' in html and 'name="description_zh_hans"' in html
    assert 'name="description"' not in html
    funding = member_client.get(submit_url("funding")).content.decode()
    assert 'name="eligibility_zh_hans"' in funding
    assert 'name="rolling"' in funding and 'type="checkbox"' in funding


@pytest.mark.parametrize("site", ["en", "zh-hans"])
def test_a_submission_with_only_chinese_stores_it_as_chinese(site, member_client):
    channel = _submit_channel(member_client, site, description_zh_hans=ZH)
    assert channel.description_zh_hans == ZH
    assert not channel.description_en  # not copied into English: the English page shows it as a fallback


def test_a_submission_with_only_english_stores_it_as_english(member_client):
    channel = _submit_channel(member_client, "zh-hans", description_en=EN)
    assert channel.description_en == EN
    assert not channel.description_zh_hans


def test_a_submission_with_both_languages_stores_each(member_client, moderator_client):
    channel = _submit_channel(member_client, "en", description_en=EN, description_zh_hans=ZH)
    assert (channel.description_en, channel.description_zh_hans) == (EN, ZH)
    # The moderator's review page shows both texts, each labelled with its language.
    html = moderator_client.get(review_url(channel)).content.decode()
    assert "Description (English)" in html and EN in html
    assert "Description (Simplified Chinese)" in html and ZH in html


def test_a_funding_call_can_be_marked_rolling_through_the_form(member_client):
    data = {**VALID_POSTS["funding"](), "title": "Open-door travel grants", "rolling": "on"}
    data.update(eligibility_zh_hans="在读博士生", deadline_local="")
    data.pop("eligibility", None)
    response = member_client.post(submit_url("funding"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    call = FundingOpportunity.objects.get(title="Open-door travel grants")
    assert call.rolling is True and call.eligibility_zh_hans == "在读博士生"


def test_an_edit_of_the_chinese_description_is_reviewed_in_both_languages_and_applied_to_chinese(
    member_client, moderator_client, django_capture_on_commit_callbacks
):
    channel = f.ChannelFactory(description_en=EN, description_zh_hans="旧的中文介绍。")
    edit_url = reverse("community:suggest-edit", kwargs={"kind": "channel", "slug": channel.slug})
    form = member_client.get(edit_url).context["form"]
    data = form_post_data(form)
    # The edit form is prefilled with each language's own text.
    assert (data["description_en"], data["description_zh_hans"]) == (EN, "旧的中文介绍。")
    data["description_zh_hans"] = ZH
    assert member_client.post(edit_url, data).status_code == 302
    suggestion = EditSuggestion.objects.get()
    assert suggestion.changes == {"description_zh_hans": ZH}

    url = reverse("community:moderation-edit", args=[suggestion.pk])
    html = moderator_client.get(url).content.decode()
    # Both language rows: the English one unchanged, the Chinese one old beside new.
    assert "Description (English)" in html and "Description (Simplified Chinese)" in html
    assert "<del>旧的中文介绍。</del>" in html and f"<ins>{ZH}</ins>" in html
    assert html.count(EN) >= 2  # now and proposed, unchanged

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(url, {f"e{suggestion.pk}-decision": "approve"})
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.description_en, channel.description_zh_hans) == (EN, ZH)
