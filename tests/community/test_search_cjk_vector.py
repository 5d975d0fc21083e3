"""Migration 0016: the bigram vector `search_cjk` is computed only for rows whose text holds CJK
characters (the import's second full parse of every paper's text, saved). Searching is unchanged:
a Chinese query, alone or with Latin words, still finds the rows with that Chinese text, and only
them; a Latin-only query never reads `search_cjk`. PostgreSQL only (SQLite has no stored vectors)."""

import pytest
from django.db import connection

from community.models import Paper
from community.search import FULL_TEXT_FIELDS, text_search
from tests.community import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="stored vectors are PostgreSQL's"),
]
FIELDS = FULL_TEXT_FIELDS["community.Paper"]


def _vectors(paper: Paper) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text, search_cjk::text FROM community_paper WHERE id = %s", [paper.pk]
        )
        return cursor.fetchone()


def _found(text: str) -> set[int]:
    return set(text_search(Paper.objects.all(), FIELDS, text, by_rank=True).values_list("pk", flat=True))


def test_only_text_with_cjk_characters_gets_a_bigram_vector():
    latin = f.PaperFactory(title="Attention for convolution", abstract="Convolutional attention networks.")
    chinese = f.PaperFactory(title="卷积注意力 attention", abstract="一种卷积网络。")
    english, bigrams = _vectors(latin)
    assert "attent" in english and bigrams == ""
    english, bigrams = _vectors(chinese)
    assert "'卷积'" in bigrams and "'积注'" in bigrams and "'attention'" in bigrams
    # A paper edited to hold Chinese gains its vector (a generated column follows its text).
    latin.abstract = "卷积网络。"
    latin.save()
    assert "'卷积'" in _vectors(latin)[1]


def test_searches_find_what_they_found_before():
    latin = f.PaperFactory(title="Attention for convolution", abstract="Convolutional attention networks.")
    chinese = f.PaperFactory(title="卷积注意力 attention", abstract="一种卷积网络。")
    assert _found("卷积") == {chinese.pk}
    assert _found("卷积 attention") == {chinese.pk}  # the Latin word read from the bigram vector too
    assert _found("attention") == {latin.pk, chinese.pk}  # the English vector, as before
    assert _found("网络 convolution") == set()
