"""The archive's kinds (Task, Dataset, Method, Result; issue 14) are searched as papers and projects
are: on PostgreSQL through their stored vectors (migration 0018), GIN-indexed, words as prefixes; on
SQLite, and for text with Chinese characters (these kinds store no bigram vector), by substring."""

import pytest
from django.db import connection

from community.leaderboard_filters import DatasetFilter, MethodFilter, ResultFilter, TaskFilter
from community.models import Dataset, Method, Result, Task
from community.search import index_name, text_search, uses_full_text
from community.selectors.leaderboards import archive_search
from tests.community import factories_leaderboards as lf

POSTGRES = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db
KINDS = ((Task, TaskFilter), (Dataset, DatasetFilter), (Method, MethodFilter), (Result, ResultFilter))


@pytest.fixture
def archive():
    segmentation = lf.TaskFactory(name="Semantic Segmentation", description="Label every pixel.")
    lf.TaskFactory(name="Speech Recognition", description="Transcribe speech. 语音识别")
    cityscapes = lf.DatasetFactory(name="Cityscapes", full_name="Cityscapes urban scenes segmentation")
    lf.MethodFactory(name="Atrous Convolution", full_name="Dilated convolution for segmentation")
    lf.ResultFactory(task=segmentation, dataset=cityscapes, model_name="DeepLabv3+",
                     paper_title="Encoder-Decoder with Atrous Separable Convolution for Semantic Segmentation")  # fmt: skip
    lf.ResultFactory(
        task=segmentation, dataset=cityscapes, model_name="FCN", paper_title="Fully convolutional"
    )


@pytest.mark.parametrize(("model", "filterset"), KINDS)
def test_each_kind_is_found_by_a_word_prefix(archive, model, filterset):
    found = text_search(model.objects.all(), filterset.search_fields, "segmen", by_rank=True)
    assert found.count() == 1
    assert uses_full_text(model.objects.all(), "segmen") is POSTGRES
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        # Unordered: with sequential scans barred, an ordered query on a few rows may rather walk the
        # index of its ordering and filter each row, which says nothing about the GIN index.
        matches = text_search(model.objects.all(), filterset.search_fields, "segmen", by_rank=False)
        plan = matches.order_by().explain()
        assert index_name(model._meta.model_name) in plan, plan
    else:
        # The substring match also finds a fragment inside a word, which full text does not.
        assert "LIKE" in str(found.query)


def test_chinese_text_takes_the_substring_match_on_these_kinds(archive):
    found = text_search(Task.objects.all(), TaskFilter.search_fields, "语音识别", by_rank=False)
    assert [task.name for task in found] == ["Speech Recognition"]
    assert not uses_full_text(Task.objects.all(), "语音识别")


def test_the_site_search_finds_tasks_datasets_and_methods(archive):
    hits = archive_search(text="segmentation", limit=10)
    assert {(hit.kind, hit.name) for hit in hits} == {
        ("task", "Semantic Segmentation"),
        ("dataset", "Cityscapes"),
        ("method", "Atrous Convolution"),
    }


def test_the_results_api_searches_model_and_paper(archive, client):
    response = client.get("/api/v1/results/", {"search": "deeplab"})
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [row["model_name"] for row in rows] == ["DeepLabv3+"]
