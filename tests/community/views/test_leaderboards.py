"""Task, dataset, method, claimed-result and leaderboard pages (issue 14), read by anyone, in both
languages, with the archive's attribution, escaped text and a fixed number of queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.community import factories as f
from tests.community import factories_leaderboards as lf

pytestmark = pytest.mark.django_db

ATTRIBUTION = "From the Papers with Code archive (CC BY-SA 4.0)"


def _board_url(task, dataset, **query):
    url = reverse("community:leaderboard", args=[task.slug, dataset.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _rows(html: str) -> list[str]:
    """The model names of the leaderboard's rows, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row"><bdi>(.*?)</bdi></th>', body)


def test_leaderboard_ranks_best_first_marks_rows_and_draws_the_state_of_the_art(client):
    task, dataset = lf.leaderboard(width=4)
    response = client.get(_board_url(task, dataset))
    assert response.status_code == 200
    html = response.content.decode()
    assert _rows(html) == ["Net-3", "Net-2", "Net-1", "Net-0", "Unscored"]
    assert "Top-1 Accuracy" in html and "Error rate" in html  # one column per metric
    # Both metrics have four numbers: the first column sorts (error rates 3.0 ... 2.7, the smallest first).
    assert 'aria-sort="ascending"' in html
    assert html.count(">Code</a>") == 2  # Net-1 and Net-3 have code
    assert html.count(">Extra data</span>") == 2  # Net-0 and Net-3 (every third)
    assert 'title="Not a number: left out of the ranking">--</span>' in html
    assert 'class="chart sota-chart"' in html and '<path class="sota-line"' in html
    assert ATTRIBUTION in html


def test_leaderboard_sorts_by_the_chosen_metric_in_its_direction(client):
    task, dataset = lf.TaskFactory(), lf.DatasetFactory()
    for name, acc, err in (("a", "70", "2.0"), ("b", "80", "3.0"), ("c", "75", "1.0")):
        row = {"task": task, "dataset": dataset, "model_name": name, "paper_title": name}
        lf.ResultFactory(**row, metric="Accuracy", value=Decimal(acc))
        lf.ResultFactory(**row, metric="Error rate", value=Decimal(err))
    html = client.get(_board_url(task, dataset, metric="Accuracy")).content.decode()
    assert _rows(html) == ["b", "c", "a"]
    assert 'aria-sort="descending"' in html and "higher is better" in html
    html = client.get(_board_url(task, dataset, metric="Error%20rate")).content.decode()
    assert _rows(html) == ["c", "a", "b"]
    assert 'aria-sort="ascending"' in html and "lower is better" in html


def test_ties_are_broken_by_the_earlier_paper(client):
    task, dataset = lf.TaskFactory(), lf.DatasetFactory()
    lf.ResultFactory(
        task=task, dataset=dataset, model_name="later", value=Decimal("90"), paper_date=dt.date(2021, 1, 1)
    )
    lf.ResultFactory(
        task=task, dataset=dataset, model_name="first", value=Decimal("90"), paper_date=dt.date(2019, 1, 1)
    )
    assert _rows(client.get(_board_url(task, dataset)).content.decode()) == ["first", "later"]


@pytest.mark.parametrize("metric", ["BLEU", "x" * 300, "%00"])
def test_an_unknown_sort_metric_is_a_400_that_names_the_columns(client, metric):
    task, dataset = lf.leaderboard(width=1)
    response = client.get(_board_url(task, dataset, metric=metric))
    assert response.status_code == 400
    assert "Error rate, Top-1 Accuracy" in response.content.decode()


def test_unknown_or_unpublished_task_or_dataset_is_a_404(client):
    task, dataset = lf.leaderboard(width=1)
    hidden = lf.TaskFactory(status="pending")
    assert client.get(reverse("community:leaderboard", args=["nope", dataset.slug])).status_code == 404
    assert client.get(reverse("community:leaderboard", args=[hidden.slug, dataset.slug])).status_code == 404
    assert client.get(reverse("community:task-detail", args=[hidden.slug])).status_code == 404


def _count_queries(client, url, django_assert_max_num_queries, limit=12):
    with django_assert_max_num_queries(limit) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_leaderboard_and_task_pages_cost_the_same_queries_whatever_the_rows(
    client, django_assert_max_num_queries
):
    small_task, small_dataset = lf.leaderboard(width=1)
    big_task, big_dataset = lf.leaderboard(width=25)
    for _ in range(5):
        lf.leaderboard(width=2, task=big_task)
    lf.TaskFactory.create_batch(4, parent=big_task)
    counts = {}
    for name, task, dataset in (("small", small_task, small_dataset), ("big", big_task, big_dataset)):
        counts[name] = (
            _count_queries(client, _board_url(task, dataset), django_assert_max_num_queries),
            _count_queries(client, task.get_absolute_url(), django_assert_max_num_queries),
        )
    assert counts["small"] == counts["big"]


def test_task_page_lists_subtasks_and_datasets_with_their_leaderboards(client):
    task, dataset = lf.leaderboard(width=3)
    sub = lf.TaskFactory(parent=task, name="A subtask")
    lf.TaskFactory(parent=task, name="Hidden subtask", status="pending")
    html = client.get(task.get_absolute_url()).content.decode()
    assert sub.name in html and "Hidden subtask" not in html
    assert _board_url(task, dataset) in html
    assert ATTRIBUTION in html


def test_dataset_method_and_result_pages_show_their_links_and_attribution(
    client, django_assert_max_num_queries
):
    task, dataset = lf.leaderboard(width=2)
    variant = lf.DatasetFactory(variant_of=dataset, name="Variant X")
    html = client.get(dataset.get_absolute_url()).content.decode()
    assert _board_url(task, dataset) in html and variant.name in html and ATTRIBUTION in html

    paper = f.PaperFactory(title="Introducing it")
    method = lf.MethodFactory(
        paper=paper, introduced_year=2017, collections=[{"collection": "Attention", "area": "General"}]
    )
    method.papers.add(*f.PaperFactory.create_batch(3))
    lf.from_archive(method)
    with django_assert_max_num_queries(12):
        html = client.get(method.get_absolute_url()).content.decode()
    assert paper.title in html and "Attention (General)" in html and ATTRIBUTION in html

    result = task.results.get(model_name="Net-1", metric="Top-1 Accuracy")
    html = client.get(result.get_absolute_url()).content.decode()
    assert "Net-1" in html and "Error rate" in html  # the row's other metric
    assert _board_url(task, dataset) in html and ATTRIBUTION in html


def test_imported_text_is_escaped_everywhere(client):
    evil = '<script>alert("x")</script>'
    task = lf.TaskFactory(name=f"Task {evil}", description=evil)
    dataset = lf.DatasetFactory(description=evil)
    lf.ResultFactory(
        task=task, dataset=dataset, model_name=evil, metric=evil, value_text=evil, paper_title=evil
    )
    lf.ResultFactory(
        task=task, dataset=dataset, model_name="other", metric="Acc", value=None, value_text=evil
    )
    urls = [task.get_absolute_url(), dataset.get_absolute_url(), _board_url(task, dataset)]
    urls += [r.get_absolute_url() for r in task.results.all()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>alert" not in response.content.decode(), url


def test_chinese_pages_keep_imported_english_text_marked_as_english():
    task, dataset = lf.leaderboard(width=2)
    client = Client()
    urls = [_board_url(task, dataset), dataset.get_absolute_url(), reverse("community:task-list")]
    html = client.get(f"/zh-hans{task.get_absolute_url()}").content.decode()
    assert 'lang="en"' in html and task.description in html
    for url in (f"/zh-hans{url}" for url in urls):
        assert client.get(url).status_code == 200, url
    board = client.get(f"/zh-hans{urls[0]}").content.decode()
    assert 'href="/zh-hans/claimed-results/' in board and 'href="/zh-hans/papers/paper-' in board


@pytest.mark.parametrize(
    ("url_name", "factory", "field"),
    [
        ("community:task-list", lf.TaskFactory, "name"),
        ("community:dataset-list", lf.DatasetFactory, "name"),
        ("community:method-list", lf.MethodFactory, "name"),
    ],
)
def test_lists_are_searchable_and_show_published_items_only(client, url_name, factory, field):
    factory(**{field: "Semantic Segmentation Thing"})
    factory(**{field: "Other item"})
    factory(**{field: "Segmentation hidden", "status": "pending"})
    response = client.get(reverse(url_name), {"q": "segmentation"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Semantic Segmentation Thing" in html
    assert "Other item" not in html and "Segmentation hidden" not in html
    assert ATTRIBUTION in html


def test_dataset_list_filters_by_task_and_refuses_an_unknown_one(client):
    task, dataset = lf.leaderboard(width=1)
    lf.DatasetFactory(name="Unrelated set")
    html = client.get(reverse("community:dataset-list"), {"task": task.slug}).content.decode()
    assert dataset.name in html and "Unrelated set" not in html
    assert client.get(reverse("community:dataset-list"), {"task": "no-such-task"}).status_code == 400


def test_paper_page_shows_its_code_official_first_and_its_claimed_results(
    client, django_assert_max_num_queries
):
    paper = f.fully_linked_paper(width=3)
    lf.PaperCodeFactory(paper=paper, project=f.ProjectFactory(name="Community port"), framework="jax")
    lf.PaperCodeFactory(paper=paper, project=f.ProjectFactory(name="Official code"), is_official=True)
    lf.PaperCodeFactory(paper=paper, project=f.ProjectFactory(name="Hidden repo", status="pending"))
    task, dataset = lf.leaderboard(width=2)
    for metric, value in (("Top-1 Accuracy", "91.5"), ("Error rate", "0.9")):
        lf.ResultFactory(
            paper=paper, task=task, dataset=dataset, model_name="Ours", metric=metric, value=Decimal(value)
        )
    lf.ResultFactory(
        paper=paper, task=lf.TaskFactory(status="pending"), dataset=dataset, model_name="Hidden task"
    )
    with django_assert_max_num_queries(12):
        response = client.get(paper.get_absolute_url())
    html = response.content.decode()
    code = html.split('id="paper-code"', 1)[1].split("</section>", 1)[0]
    assert code.index("Official code") < code.index("Community port")
    assert "official</span>" in code and "jax" in code and "Hidden repo" not in code
    claimed = html.split('id="paper-claimed"', 1)[1].split("</section>", 1)[0]
    assert "91.5" in claimed and "Ours" in claimed and "Hidden task" not in claimed
    assert _board_url(task, dataset) in claimed
    assert ATTRIBUTION in claimed


def _direction(client, task, dataset, **data):
    return client.post(reverse("community:leaderboard-direction", args=[task.slug, dataset.slug]), data)


def test_a_moderator_sets_which_way_a_column_ranks_and_an_import_will_leave_it(moderator_client):
    from community.services.field_edits import protected_fields

    task, dataset = lf.leaderboard(width=3)
    assert 'name="direction"' in moderator_client.get(_board_url(task, dataset)).content.decode()
    response = _direction(moderator_client, task, dataset, metric="Error rate", direction="higher")
    assert response.status_code == 302 and response["Location"].endswith("?metric=Error+rate")
    html = moderator_client.get(response["Location"]).content.decode()
    assert _rows(html)[:3] == ["Net-0", "Net-1", "Net-2"]  # 3.0 first now
    column = task.results.filter(metric="Error rate")
    assert set(column.values_list("higher_is_better", flat=True)) == {True}
    assert all(
        "higher_is_better" in fields
        for fields in protected_fields(column.model, column.values_list("pk", flat=True)).values()
    )
    _direction(moderator_client, task, dataset, metric="Error rate", direction="auto")
    assert set(column.values_list("higher_is_better", flat=True)) == {None}


def test_only_moderators_set_a_direction_and_bad_input_is_a_400(client, member_client, moderator_client):
    task, dataset = lf.leaderboard(width=1)
    assert 'name="direction"' not in client.get(_board_url(task, dataset)).content.decode()
    response = _direction(client, task, dataset, metric="Error rate", direction="higher")
    assert response.status_code == 302 and "login" in response["Location"]
    assert (
        _direction(member_client, task, dataset, metric="Error rate", direction="higher").status_code == 403
    )
    assert _direction(moderator_client, task, dataset, metric="BLEU", direction="higher").status_code == 400
    assert (
        _direction(moderator_client, task, dataset, metric="Error rate", direction="sideways").status_code
        == 400
    )
    assert (
        moderator_client.get(
            reverse("community:leaderboard-direction", args=[task.slug, dataset.slug])
        ).status_code
        == 405
    )
    assert set(task.results.values_list("higher_is_better", flat=True)) == {None}


def test_the_site_search_finds_tasks_datasets_and_methods(client):
    lf.TaskFactory(name="Optical Flow Estimation")
    lf.DatasetFactory(name="Flow Chairs")
    lf.MethodFactory(name="FlowNet block")
    lf.MethodFactory(name="Flow hidden", status="pending")
    lf.DatasetFactory(name="Unrelated", description="Nothing that streams.")
    response = client.get(reverse("community:search"), {"q": "flow"})
    (section,) = [s for s in response.context["sections"] if s.key == "archive"]
    assert [(hit.kind, hit.name) for hit in section.items] == [
        ("dataset", "Flow Chairs"),
        ("method", "FlowNet block"),
        ("task", "Optical Flow Estimation"),
    ]
    html = response.content.decode()
    assert ">Tasks, datasets and methods</h2>" in html and "Flow hidden" not in html
    assert section.items[0].get_absolute_url() in html
