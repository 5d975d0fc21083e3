"""The API's per-language texts (issue 16.1): `?lang=` or Accept-Language chooses the language of a
description, the answer says which (Content-Language, and `description_language` per item, another
language where the item has none in the one asked for), and writes take `description_zh_hans`."""

import pytest

from community.models import FundingOpportunity, Organization
from tests.community import factories as f

pytestmark = pytest.mark.django_db

ZH = "中国科学院下属的研究所，从事模式识别与智能系统研究。"
EN = "An institute of the Chinese Academy of Sciences researching pattern recognition."


@pytest.fixture
def items():
    both = f.OrganizationFactory(name="Both", slug="both", description_en=EN, description_zh_hans=ZH)
    english = f.OrganizationFactory(name="Only English", slug="only-english", description_en=EN)
    return both, english


def _by_slug(response) -> dict:
    return {row["slug"]: row for row in response.json()["results"]}


@pytest.mark.parametrize(
    "query, headers",
    [
        ("?lang=zh-hans", {}),
        ("", {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}),
        ("?lang=zh-hans", {"HTTP_ACCEPT_LANGUAGE": "en"}),
    ],
)
def test_chinese_asked_for_answers_chinese_and_says_so_with_an_english_fallback(api, items, query, headers):
    response = api.get(f"/api/v1/organizations/{query}", **headers)
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    rows = _by_slug(response)
    assert (rows["both"]["description"], rows["both"]["description_language"]) == (ZH, "zh-hans")
    # No Chinese text: the English one, marked as English.
    assert (rows["only-english"]["description"], rows["only-english"]["description_language"]) == (EN, "en")
    detail = api.get(f"/api/v1/organizations/both/{query}", **headers)
    assert detail["Content-Language"] == "zh-hans"
    assert (detail.json()["description"], detail.json()["description_language"]) == (ZH, "zh-hans")


def test_lang_wins_over_accept_language_and_english_is_the_default(api, items):
    english = api.get("/api/v1/organizations/both/?lang=en", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert english["Content-Language"] == "en"
    assert (english.json()["description"], english.json()["description_language"]) == (EN, "en")
    plain = api.get("/api/v1/organizations/both/")
    assert plain["Content-Language"] == "en" and plain.json()["description"] == EN


def test_an_unknown_lang_is_a_400_naming_the_parameter(api, items):
    response = api.get("/api/v1/organizations/?lang=fr")
    assert response.status_code == 400
    assert "lang" in response.json()["error"]["fields"]


def test_a_write_with_description_zh_hans_stores_the_chinese_text(user_api):
    response = user_api.post(
        "/api/v1/organizations/",
        {"name": "Institute of Automation", "kind": "research_lab", "description_zh_hans": ZH},
        format="json",
    )
    assert response.status_code == 202, response.json()
    item = Organization.objects.get(name="Institute of Automation")
    assert item.description_zh_hans == ZH and not item.description_en


def test_description_in_a_chinese_request_is_the_chinese_text(user_api):
    response = user_api.post(
        "/api/v1/organizations/?lang=zh-hans",
        {"name": "Shanghai AI Laboratory", "kind": "research_lab", "description": ZH, "description_en": EN},
        format="json",
    )
    assert response.status_code == 202, response.json()
    item = Organization.objects.get(name="Shanghai AI Laboratory")
    assert (item.description_en, item.description_zh_hans) == (EN, ZH)


def test_a_funding_call_can_be_submitted_rolling_and_reads_so(user_api, api):
    funder = f.OrganizationFactory()
    response = user_api.post(
        "/api/v1/funding/",
        {
            "title": "Rolling travel grants",
            "funder": funder.slug,
            "kind": "grant",
            "rolling": True,
            "url": "https://grants.example.org/travel",
        },
        format="json",
    )
    assert response.status_code == 202, response.json()
    call = FundingOpportunity.objects.get(title="Rolling travel grants")
    assert call.rolling is True
    call.status = "published"
    call.save()
    assert api.get(f"/api/v1/funding/{call.slug}/").json()["rolling"] is True


def test_an_empty_explicit_copy_of_the_request_language_does_not_wipe_its_text(user_api):
    # `description` is the request's language (English here); an empty `description_en` beside it
    # says nothing, rather than clearing what `description` gives.
    response = user_api.post(
        "/api/v1/organizations/",
        {"name": "Peking University lab", "kind": "research_lab", "description": EN, "description_en": ""},
        format="json",
    )
    assert response.status_code == 202, response.json()
    assert Organization.objects.get(name="Peking University lab").description_en == EN


def test_a_chinese_name_another_topic_has_is_a_409_duplicate_naming_it(user_api):
    f.TopicFactory(name="Convolutional networks", slug="cnn", name_zh_hans="卷积网络")
    response = user_api.post("/api/v1/topics/", {"name": "Convnets", "name_zh_hans": "卷积网络"}, format="json")
    assert response.status_code == 409, response.json()
    assert response.json()["error"]["code"] == "duplicate"
