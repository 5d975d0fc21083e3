"""Similar papers: tf-idf over titles and abstracts (topics and venue without an abstract), cosine top
5, recomputed by one idempotent service that a Celery task runs after papers are published."""

from itertools import combinations

import pytest
from django.utils import translation

from community.models import ModerationStatus, Paper, SimilarPaper
from community.services import moderation, similar, submissions
from community.services.imports import bibtex_import
from community.services.seed import seed_load
from community.services.similar import TOP_K, similar_papers_refresh
from tests.community import factories as f

pytestmark = pytest.mark.django_db


def page(client, paper: Paper) -> str:
    with translation.override("en"):
        url = paper.get_absolute_url()
    return client.get(url).content.decode()


def listed(paper: Paper) -> list[tuple[str, float]]:
    return [(link.similar.slug, link.score) for link in paper.similar_links.select_related("similar")]


def test_on_the_seed_every_paper_that_shares_a_topic_gets_similar_papers_best_first(client):
    seed_load()
    report = similar_papers_refresh()
    papers = list(Paper.objects.prefetch_related("topics"))
    assert report.papers == len(papers)
    topics = {paper.pk: {t.pk for t in paper.topics.all()} for paper in papers}
    sharing = {p.pk for p, q in combinations(papers, 2) if topics[p.pk] & topics[q.pk]}
    sharing |= {q.pk for p, q in combinations(papers, 2) if topics[p.pk] & topics[q.pk]}
    # Only a few seed papers have a topic to themselves (GANs, LSTM, explainability).
    assert len(sharing) >= len(papers) - 3
    for paper in papers:
        links = list(paper.similar_links.order_by("rank"))
        if paper.pk in sharing:
            assert links, paper.title
        assert len(links) <= TOP_K
        scores = [link.score for link in links]
        assert scores == sorted(scores, reverse=True), paper.title
        assert [link.rank for link in links] == list(range(1, len(links) + 1))
        assert paper.pk not in {link.similar_id for link in links}
    # The two transformer papers are each other's nearest neighbours.
    attention, bert = Paper.objects.get(slug="attention-is-all-you-need"), Paper.objects.get(slug="bert")
    assert bert.pk in {link.similar_id for link in attention.similar_links.all()[:2]}
    # A paper page lists them, in that order.
    html = page(client, attention)
    section = html.split('id="related-similar"')[1].split("</section>")[0]
    positions = [
        section.index(link.similar.title) for link in attention.similar_links.select_related("similar")
    ]
    assert positions == sorted(positions) and len(positions) == attention.similar_links.count()


def test_similar_papers_are_ranked_by_cosine_of_titles_and_abstracts():
    base = f.PaperFactory(title="Graph networks", abstract="message passing over graph nodes and edges")
    near = f.PaperFactory(title="Graph attention", abstract="attention over graph nodes and their edges")
    far = f.PaperFactory(title="Graph kernels", abstract="kernels for comparing molecules")
    f.PaperFactory(title="Unrelated", abstract="speech synthesis from spectrograms")
    similar_papers_refresh()
    assert [slug for slug, _ in listed(base)] == [near.slug, far.slug]
    (_, near_score), (_, far_score) = listed(base)
    assert 1 >= near_score > far_score > 0


def test_the_refresh_is_idempotent_and_forgets_unpublished_papers():
    a = f.PaperFactory(title="Residual networks", abstract="deep residual networks for images")
    b = f.PaperFactory(title="Residual learning", abstract="residual networks trained deeper")
    first = similar_papers_refresh()
    rows = list(SimilarPaper.objects.values_list("pk", "paper_id", "similar_id", "score", "rank"))
    assert first.changed == 2 and len(rows) == 2

    again = similar_papers_refresh()
    assert again.changed == 0
    assert list(SimilarPaper.objects.values_list("pk", "paper_id", "similar_id", "score", "rank")) == rows

    Paper.objects.filter(pk=b.pk).update(status=ModerationStatus.REJECTED)
    similar_papers_refresh()
    assert not SimilarPaper.objects.exists()
    assert listed(a) == []


def test_a_paper_page_shows_only_published_neighbours(client):
    a = f.PaperFactory(title="Residual networks", abstract="deep residual networks")
    b = f.PaperFactory(title="Residual learning", abstract="residual networks deeper")
    similar_papers_refresh()
    assert b.title in page(client, a)
    Paper.objects.filter(pk=b.pk).update(status=ModerationStatus.PENDING)  # not refreshed yet
    assert b.title not in page(client, a)


def test_approving_a_paper_enqueues_the_refresh_after_commit(
    moderator, member, mocker, django_capture_on_commit_callbacks
):
    delay = mocker.patch("community.tasks.similar_papers_refresh.delay")
    paper = submissions.paper_submit(
        data={"title": "Pending paper", "year": 2020, "authors": "Ada Lovelace"}, user=member
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        moderation.submission_approve(item=paper, moderator=moderator)
    delay.assert_not_called()  # nothing leaves before the approval is committed
    for callback in callbacks:
        callback()
    delay.assert_called_once_with()


def test_approving_something_else_does_not(moderator, member, mocker, django_capture_on_commit_callbacks):
    delay = mocker.patch("community.tasks.similar_papers_refresh.delay")
    channel = submissions.channel_submit(
        data={"name": "Chan", "kind": "chat", "url": "https://c.example.org"}, user=member
    )
    with django_capture_on_commit_callbacks(execute=True):
        moderation.submission_approve(item=channel, moderator=moderator)
    delay.assert_not_called()


def test_an_import_that_publishes_papers_enqueues_it_once(mocker, django_capture_on_commit_callbacks):
    delay = mocker.patch("community.tasks.similar_papers_refresh.delay")
    bib = "@article{a, title={One}, author={Ada Lovelace}, year={2020}}\n@article{b, title={Two}, author={Alan Turing}, year={2021}}"
    with django_capture_on_commit_callbacks(execute=True):
        bibtex_import(text=bib)
    delay.assert_called_once_with()
    delay.reset_mock()
    with django_capture_on_commit_callbacks(execute=True):
        bibtex_import(text=bib)  # unchanged: nothing to recompute
        bibtex_import(text=bib.replace("One", "Three"), pending=True)  # waits for moderation
    delay.assert_not_called()


def test_the_task_calls_the_service():
    from community.tasks import similar_papers_refresh as task

    f.PaperFactory(title="Residual networks", abstract="deep residual networks")
    f.PaperFactory(title="Residual learning", abstract="residual networks deeper")
    assert task.run() == 2
    assert task.name == "community.similar_papers_refresh"


def test_the_web_side_never_imports_scikit_learn():
    import subprocess
    import sys

    code = (
        "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.test'; django.setup();"
        "import community.services.moderation, community.services.imports, community.tasks, community.urls;"
        "print('sklearn' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.strip() == "False"
    assert similar.TOP_K == 5
