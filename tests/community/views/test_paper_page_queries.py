"""A paper's page and its API record ask only for the relations the paper has rows in
(community.selectors._common.one_with_relations): a paper with authors and topics and nothing else
costs three queries, and a relation that has rows is still shown in full."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import PaperCode, Provenance, SimilarPaper
from tests.community import factories as f
from tests.support.queries import page_queries

pytestmark = pytest.mark.django_db


def _plain_paper():
    """A published paper with two authors and two topics: no project, guide, similar paper,
    source, claimed result, code link or benchmark."""
    paper = f.PaperFactory()
    for position in range(2):
        f.AuthorshipFactory(paper=paper, person=f.PersonFactory(), position=position)
    return f.with_topics(paper, 2)


@pytest.mark.parametrize("api", [False, True], ids=["page", "api"])
def test_a_paper_with_only_authors_and_topics_costs_three_queries(client, api):
    paper = _plain_paper()
    url = f"/api/v1/papers/{paper.slug}/" if api else paper.get_absolute_url()
    client.get(url)  # a process's first request loads what it keeps (content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The paper (with venue, edition and which relations have rows), its authors, its topics.
    assert len(queries) == 3, [q["sql"][:120] for q in queries.captured_queries]
    body = response.content.decode()
    for authorship in paper.authorships.all():
        assert authorship.person.name in body
    for topic in paper.topics.all():
        assert topic.name in body


def test_relations_with_rows_are_all_shown(client):
    paper = f.fully_linked_paper(width=2)
    neighbour = f.PaperFactory(title="A neighbour in words")
    SimilarPaper.objects.create(paper=paper, similar=neighbour, score=0.5, rank=1)
    code = f.ProjectFactory(name="the-code-repository")
    PaperCode.objects.create(paper=paper, project=code, is_official=True)
    Provenance.objects.create(item=paper, source="arxiv", file="export.arxiv.org/api/query")
    plain = page_queries(client, _plain_paper().get_absolute_url())
    linked = page_queries(client, paper.get_absolute_url())
    body = client.get(paper.get_absolute_url()).content.decode()
    assert "A neighbour in words" in body
    assert "the-code-repository" in body
    for project in paper.projects.all():
        assert project.name in body
    for guide in paper.guides.all():
        assert guide.title in body
    # One more query for each relation with rows: projects, guides, similar papers, sources, code.
    assert linked == plain + 5


def test_an_unknown_or_unpublished_paper_is_a_404(client):
    hidden = f.PaperFactory(status="pending")
    for url in ("/papers/no-such-paper/", hidden.get_absolute_url(), f"/api/v1/papers/{hidden.slug}/"):
        assert client.get(url).status_code == 404
