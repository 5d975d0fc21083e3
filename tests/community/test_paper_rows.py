"""The papers list's rows (issue 18): authors and topics read as plain rows
(community.selectors.papers.with_row_links), shown as a paper's own row shows them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from community.models import Paper
from community.selectors._common import ordered_authorships, published_topics
from community.selectors.papers import paper_rows, with_row_links
from community.templatetags.list_rows import paper_row
from tests.community import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    paper = f.PaperFactory(title="Rows of a list")
    for position, name in [(2, "Carol Third"), (0, "Ada First"), (1, "Bob Hidden")]:
        status = "pending" if name == "Bob Hidden" else "published"
        f.AuthorshipFactory(paper=paper, person=f.PersonFactory(name=name, status=status), position=position)
    paper.topics.add(
        f.TopicFactory(name_en="Vision", name_zh_hans="视觉", slug="vision"),
        f.TopicFactory(name_en="Audio", name_zh_hans="", slug="audio"),  # no Chinese name yet
        f.TopicFactory(name_en="Draft topic", slug="draft", status="pending"),
    )
    return paper


def test_published_authors_in_order_and_published_topics_by_name_in_two_queries(paper):
    with CaptureQueriesContext(connection) as queries:
        (row,) = with_row_links(paper_rows().filter(pk=paper.pk))
    assert len(queries) == 3  # the page, its authors, its topics
    assert [name for _slug, name in row.row_authors] == ["Ada First", "Carol Third"]
    assert row.row_topics == [("audio", "Audio"), ("vision", "Vision")]
    with translation.override("zh-hans"):
        (row,) = with_row_links(paper_rows().filter(pk=paper.pk))
    # The Chinese name where there is one, else the English one (the field's own fallback).
    assert sorted(row.row_topics) == [("audio", "Audio"), ("vision", "视觉")]


def test_a_list_row_shows_what_the_papers_own_row_shows(client, paper):
    """The home page and a project's page render a paper's row from prefetched instances."""
    alone = Paper.objects.prefetch_related(ordered_authorships(), published_topics()).get(pk=paper.pk)
    listed = client.get(reverse("community:paper-list")).text
    assert str(paper_row(alone, show_topics=True)) in listed
    assert "Bob Hidden" not in listed and "Draft topic" not in listed


def test_only_six_authors_are_named(client):
    paper = f.PaperFactory(title="Many hands")
    for position in range(9):
        f.AuthorshipFactory(paper=paper, person=f.PersonFactory(name=f"Author {position}"), position=position)
    listed = client.get(reverse("community:paper-list")).text
    assert "Author 5</bdi></a> et al." in listed and "Author 6" not in listed
