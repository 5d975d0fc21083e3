"""/api/v1/tasks/, /datasets/, /methods/, /results/ (issue 14): read-only, published items only,
filters, provenance in every answer, the OpenAPI schema, and list query counts that do not grow."""

from decimal import Decimal

import pytest

from tests.api.test_query_budget import LIST_BUDGET
from tests.community import factories as f
from tests.community import factories_leaderboards as lf
from tests.support.queries import queries_for_one_and_many

pytestmark = pytest.mark.django_db


def test_tasks_list_published_ones_with_their_sources(api):
    task = lf.TaskFactory(name="Image Classification", parent=lf.TaskFactory(name="Vision tasks"))
    lf.from_archive(task)
    lf.TaskFactory(name="Hidden", status="pending")
    body = api.get("/api/v1/tasks/", {"search": "classification"}).json()
    assert [t["name"] for t in body["results"]] == ["Image Classification"]
    item = body["results"][0]
    assert item["parent"]["name"] == "Vision tasks"
    assert item["sources"] == [
        {
            "source": "pwc-archive",
            "file": "evaluation-tables.json",
            "revision": "2025-07-01",
            "licence": "CC BY-SA 4.0",
            "attribution": "Papers with Code archive",
        }
    ]
    assert item["web_url"].endswith(task.get_absolute_url())
    assert api.get("/api/v1/tasks/hidden-x/").status_code == 404


def test_task_and_dataset_details_nest_subtasks_variants_and_tasks(api):
    task, dataset = lf.leaderboard(width=1)
    lf.TaskFactory(parent=task, name="Sub")
    lf.DatasetFactory(variant_of=dataset, name="Var")
    body = api.get(f"/api/v1/tasks/{task.slug}/").json()
    assert [s["name"] for s in body["subtasks"]] == ["Sub"]
    assert body["sources"][0]["licence"] == "CC BY-SA 4.0"
    body = api.get(f"/api/v1/datasets/{dataset.slug}/").json()
    assert [v["name"] for v in body["variants"]] == ["Var"]
    assert [t["slug"] for t in body["tasks"]] == [task.slug]


def test_methods_show_the_paper_that_introduced_them_unless_it_is_unpublished(api):
    lf.MethodFactory(name="Dropout", paper=f.PaperFactory(title="Dropout paper"), introduced_year=2014)
    lf.MethodFactory(name="Secret", paper=f.PaperFactory(status="pending"))
    results = {m["name"]: m for m in api.get("/api/v1/methods/").json()["results"]}
    assert results["Dropout"]["paper"]["title"] == "Dropout paper"
    assert results["Dropout"]["introduced_year"] == 2014
    assert results["Secret"]["paper"] is None


def test_results_filter_by_task_dataset_metric_and_paper_and_say_their_source(api):
    task, dataset = lf.leaderboard(width=3)
    other_task, other_dataset = lf.leaderboard(width=1)
    paper = f.PaperFactory()
    lf.ResultFactory(
        task=task, dataset=dataset, paper=paper, metric="BLEU", value=Decimal("28.4"), value_text="28.4"
    )
    body = api.get(
        "/api/v1/results/", {"task": task.slug, "dataset": dataset.slug, "metric": "Error rate"}
    ).json()
    assert body["count"] == 3
    item = body["results"][0]
    assert item["task"]["slug"] == task.slug and item["dataset"]["slug"] == dataset.slug
    assert item["higher_is_better"] is False  # from the metric table
    assert item["source"] == "pwc-archive" and item["licence"] == "CC BY-SA 4.0"
    assert "Papers with Code" in item["attribution"]
    by_paper = api.get("/api/v1/results/", {"paper": paper.slug}).json()["results"]
    assert [(r["metric"], r["value"], r["value_text"]) for r in by_paper] == [("BLEU", 28.4, "28.4")]
    unscored = api.get("/api/v1/results/", {"task": task.slug, "search": "Unscored"}).json()["results"]
    assert unscored[0]["value"] is None and unscored[0]["value_text"] == "--"
    one = api.get(f"/api/v1/results/{item['id']}/").json()
    assert one["id"] == item["id"]


def test_results_of_unpublished_tasks_are_hidden_and_a_moderators_direction_is_returned(api):
    hidden = lf.ResultFactory(task=lf.TaskFactory(status="pending"))
    shown = lf.ResultFactory(metric="Zorblax", higher_is_better=False)
    ids = [r["id"] for r in api.get("/api/v1/results/").json()["results"]]
    assert ids == [shown.pk]
    assert api.get(f"/api/v1/results/{hidden.pk}/").status_code == 404
    assert api.get(f"/api/v1/results/{shown.pk}/").json()["higher_is_better"] is False


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/results/", {"task": "no-such-task"}),
        ("/api/v1/results/", {"ordering": "nonsense"}),
        ("/api/v1/datasets/", {"task": "no-such-task"}),
    ],
)
def test_a_bad_filter_is_a_400(api, url, params):
    lf.leaderboard(width=1)
    assert api.get(url, params).status_code == 400


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_endpoints_are_read_only_even_for_staff(staff_api, method):
    task, _dataset = lf.leaderboard(width=1)
    for url in ("/api/v1/tasks/", f"/api/v1/tasks/{task.slug}/", "/api/v1/results/"):
        assert getattr(staff_api, method)(url, {}, format="json").status_code in (403, 405), (method, url)


MAKERS = {
    "tasks": lambda: lf.from_archive(lf.TaskFactory(parent=lf.TaskFactory())).item,
    "datasets": lambda: lf.from_archive(lf.DatasetFactory(variant_of=lf.DatasetFactory())).item,
    "methods": lambda: lf.MethodFactory(paper=f.PaperFactory()),
    "results": lambda: lf.ResultFactory(paper=f.PaperFactory()),
}


@pytest.mark.parametrize("endpoint", sorted(MAKERS))
def test_list_query_count_does_not_grow_with_the_page(api, endpoint):
    # queries_for_one_and_many warms up first: a process's first request reads the content types a
    # running site keeps (under xdist this test may be a process's first API request: 4 against 3).
    one, many = queries_for_one_and_many(
        api, f"/api/v1/{endpoint}/?page_size=20", lambda _round: MAKERS[endpoint](), rounds=20
    )
    assert one == many and many <= LIST_BUDGET


def test_the_schema_documents_the_endpoints_and_their_filters(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in ("/api/v1/tasks/", "/api/v1/datasets/{slug}/", "/api/v1/methods/", "/api/v1/results/{id}/"):
        assert path in paths, path
        assert set(paths[path]) == {"get"}, path  # read-only
    params = {p["name"] for p in paths["/api/v1/results/"]["get"]["parameters"]}
    assert {"task", "dataset", "metric", "paper", "search", "ordering"} <= params
    result = schema["components"]["schemas"]["Result"]["properties"]
    assert {"value", "value_text", "higher_is_better", "source", "licence", "attribution"} <= set(result)
    assert "sources" in schema["components"]["schemas"]["Task"]["properties"]
