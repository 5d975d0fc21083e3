"""Chinese search (issue 16, item 6): a two-character Chinese query such as 卷积 finds the CNN guide and
catalogue items, on SQLite (substring match over every language's column) and on PostgreSQL, where
the default parser keeps a Chinese sentence as one word and the big kinds are searched through the
bigram vector `search_cjk` of migration 0012 (checked with EXPLAIN). Runs on both databases; the
PostgreSQL-only assertions are guarded by the vendor, the SQLite ones assert the fallback."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from community.models import FundingOpportunity, Project
from community.search import has_cjk, text_search, uses_full_text
from tests.community import factories as f

POSTGRES = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db

CNN_GUIDE = "/guides/convolutional-networks/"


def _project(**kwargs) -> Project:
    return f.ProjectFactory(
        name=kwargs.pop("name", "Tinyconv"),
        description_en="A library of convolution kernels for small devices.",
        description_zh_hans="面向小型设备的卷积神经网络算子库，支持量化推理。",
        **kwargs,
    )


@pytest.mark.usefixtures("seed_for_the_class")  # loaded once for both languages
class TestOnTheLoadedSeed:
    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_two_chinese_characters_find_the_cnn_guide_and_catalogue_items_on_either_site(self, client, language):
        project = _project()
        with translation.override(language):
            url = reverse("community:search")
        response = client.get(url, {"q": "卷积"})
        assert response.status_code == 200
        page = response.content.decode()
        # The guide (its Chinese text), a project (a big kind: bigrams on PostgreSQL), a topic and a
        # venue whose Chinese description names convolutions (small kinds: substring match).
        assert CNN_GUIDE in page
        assert f"/projects/{project.slug}/" in page
        assert "/topics/convolutional-neural-networks/" in page
        assert "/venues/proceedings-of-the-ieee/" in page


def test_the_list_page_and_the_api_find_a_project_by_its_chinese_description(client):
    project = _project()
    other = f.ProjectFactory(name="Other", description_en="Graph tools.", description_zh_hans="图计算工具。")
    with translation.override("en"):
        listing = client.get(reverse("community:project-list"), {"q": "卷积"})
    assert f"/projects/{project.slug}/" in listing.content.decode()
    assert f"/projects/{other.slug}/" not in listing.content.decode()
    found = client.get("/api/v1/projects/", {"search": "神经网络"}).json()["results"]
    assert [item["slug"] for item in found] == [project.slug]


def test_a_chinese_query_matches_the_characters_in_sequence_and_mixes_with_latin_words():
    project = _project(name="TinyConv")
    f.ProjectFactory(name="Unrelated", description_en="Recurrent networks.", description_zh_hans="循环网络。")
    projects = Project.objects.all()
    fields = ("name", "description")

    def found(text):
        return [p.slug for p in text_search(projects, fields, text, by_rank=True)]

    assert found("卷积神经网络") == [project.slug]
    assert found("网络神经") == []  # the same characters in another order are another word
    assert found("量化") == [project.slug]
    # Latin words beside the Chinese are further terms, all required (prefixes of words, any case, on
    # PostgreSQL; fragments anywhere in the substring fallback of SQLite).
    assert found("tinyconv 卷积") == [project.slug]
    assert found("tiny 卷积") == [project.slug]
    assert found("Tinyconv 循环") == []


def test_postgresql_answers_a_chinese_query_from_the_bigram_index_and_sqlite_by_substring():
    _project()
    f.FundingOpportunityFactory(description_zh_hans="资助青年学者开展卷积网络研究。")
    for model in (Project, FundingOpportunity):
        queryset = text_search(model.objects.all(), ("description",), "卷积", by_rank=True)
        assert queryset.count() == 1
        assert has_cjk("卷积")
        if POSTGRES:
            assert uses_full_text(model.objects.all(), "卷积")
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            plan = queryset.explain()
            assert f"{model._meta.model_name}_search_cjk_gin" in plan, plan
        else:
            assert not uses_full_text(model.objects.all(), "卷积")
            sql = str(queryset.query)
            assert "description_zh_hans" in sql and "description_en" in sql, sql
