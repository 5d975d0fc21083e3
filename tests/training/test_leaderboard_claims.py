"""A benchmark pointing to a leaderboard of the Papers with Code archive takes its claim from there
(its paper's own result, else the leaderboard's best, in the training app's units); one without a
leaderboard keeps its own (issue 14, item 3)."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.community import factories as f
from tests.community import factories_leaderboards as lf
from tests.training.factories import BenchmarkFactory
from training.forms import BenchmarkAdminForm
from training.models import Benchmark
from training.services.claims import benchmark_claim_refresh, benchmarks_claims_refresh

pytestmark = pytest.mark.django_db


def _board(metric="Accuracy", values=("91.5", "93.0", "88.0"), paper=None):
    task, dataset = lf.TaskFactory(), lf.DatasetFactory()
    for i, value in enumerate(values):
        lf.ResultFactory(
            task=task,
            dataset=dataset,
            metric=metric,
            value=Decimal(value),
            paper=paper if i == 0 else None,
            paper_date=dt.date(2018 + i, 1, 1),
        )
    lf.ResultFactory(task=task, dataset=dataset, metric=metric, value=None, value_text="--")
    return task, dataset


def _linked(task, dataset, metric="Accuracy", **fields):
    return BenchmarkFactory(
        leaderboard_task=task, leaderboard_dataset=dataset, leaderboard_metric=metric, **fields
    )


def test_the_papers_own_result_is_the_claim_in_training_units():
    paper = f.PaperFactory()
    task, dataset = _board(paper=paper)
    benchmark = _linked(task, dataset, paper=paper)
    assert benchmark_claim_refresh(benchmark=benchmark) is True
    benchmark.refresh_from_db()
    assert benchmark.targets == [{"metric": "test_acc", "value": 0.915, "tolerance": 0.03}]  # tolerance kept
    assert benchmark_claim_refresh(benchmark=benchmark) is False  # a second run changes nothing


def test_without_a_result_of_its_paper_the_leaderboards_best_is_the_claim():
    task, dataset = _board()
    benchmark = _linked(task, dataset, paper=f.PaperFactory(), targets=[])
    benchmark_claim_refresh(benchmark=benchmark)
    benchmark.refresh_from_db()
    assert benchmark.targets == [{"metric": "test_acc", "value": 0.93, "tolerance": 0.01}]


def test_a_lower_is_better_leaderboard_gives_its_smallest_value():
    task, dataset = _board(metric="Error rate", values=("3.5", "2.5", "4.0"))
    benchmark = _linked(task, dataset, metric="Error rate", targets=[{"metric": "test_loss", "minimum": 1.0}])
    benchmark_claim_refresh(benchmark=benchmark)
    benchmark.refresh_from_db()
    assert benchmark.targets == [{"metric": "test_loss", "value": 2.5, "tolerance": 0.025}]


def test_benchmarks_without_a_leaderboard_keep_their_claim():
    mnist = BenchmarkFactory()
    before = list(mnist.targets)
    task, dataset = _board()
    _linked(task, dataset)
    assert benchmarks_claims_refresh() == 1
    mnist.refresh_from_db()
    assert mnist.targets == before


def _form(**link):
    benchmark = BenchmarkFactory.build()
    data = {
        "slug": "linked-bench",
        "name": "Linked",
        "description": "x",
        "config": json.dumps(benchmark.config),
        "targets": '[{"metric": "test_acc", "value": 0.5, "tolerance": 0.1}]',
        "higher_is_better": True,
        "time_limit_s": 600,
        **link,
    }
    return BenchmarkAdminForm(data)


def test_the_admin_form_wants_the_whole_leaderboard_and_a_metric_it_has():
    task, dataset = _board()
    assert "leaderboard" in " ".join(_form(leaderboard_task=task.pk).errors["__all__"])
    form = _form(leaderboard_task=task.pk, leaderboard_dataset=dataset.pk, leaderboard_metric="BLEU")
    assert "no metric" in " ".join(form.errors["__all__"])
    assert _form(
        leaderboard_task=task.pk, leaderboard_dataset=dataset.pk, leaderboard_metric="Accuracy"
    ).is_valid()
    assert _form().is_valid()


def test_saving_in_the_admin_reads_the_claim(client, staff_user):
    task, dataset = _board()
    client.force_login(staff_user)
    form = _form(leaderboard_task=task.pk, leaderboard_dataset=dataset.pk, leaderboard_metric="Accuracy")
    response = client.post(reverse("admin:training_benchmark_add"), form.data)
    assert response.status_code == 302
    assert Benchmark.objects.get(slug="linked-bench").targets[0]["value"] == 0.93


def test_the_benchmark_page_says_which_leaderboard_its_claim_comes_from(client):
    task, dataset = _board()
    benchmark = _linked(task, dataset)
    html = client.get(benchmark.get_absolute_url()).content.decode()
    assert reverse("community:leaderboard", args=[task.slug, dataset.slug]) in html
    assert "From the Papers with Code archive (CC BY-SA 4.0)" in html
    task.status = "pending"
    task.save()
    html = client.get(benchmark.get_absolute_url()).content.decode()
    assert reverse("community:leaderboard", args=[task.slug, dataset.slug]) not in html


def test_the_benchmark_api_names_its_leaderboard(client):
    task, dataset = _board()
    linked = _linked(task, dataset, slug="linked-api")
    BenchmarkFactory(slug="plain-api")
    body = client.get("/api/v1/benchmarks/linked-api/").json()
    assert body["claimed_from"]["task"] == task.slug and body["claimed_from"]["metric"] == "Accuracy"
    assert body["claimed_from"]["web_url"].endswith(
        reverse("community:leaderboard", args=[task.slug, dataset.slug])
    )
    assert client.get("/api/v1/benchmarks/plain-api/").json()["claimed_from"] is None
    assert linked.targets  # unchanged by reading


def _table(*rows: tuple[str, str]) -> bytes:
    """An evaluation-tables file (the sota-extractor format) of one task and dataset."""
    sota_rows = [
        {"model_name": model, "paper_title": f"Paper on {model}", "paper_url": "", "paper_date": "2020-01-01",
         "code_links": [], "model_links": [], "metrics": {"Accuracy": value}, "uses_additional_data": False}
        for model, value in rows
    ]  # fmt: skip
    dataset = {"dataset": "Digits-10", "description": "", "subdatasets": [], "dataset_links": [],
               "dataset_citations": [], "sota": {"metrics": ["Accuracy"], "rows": sota_rows}}  # fmt: skip
    task = {
        "task": "Digit Classification",
        "description": "",
        "categories": [],
        "subtasks": [],
        "datasets": [dataset],
    }
    return json.dumps([task]).encode()


def test_an_archive_import_refreshes_the_claims_of_the_benchmarks_on_its_leaderboards():
    import io

    from community.models import Dataset, Task
    from community.services.imports.pwc import pwc_import

    pwc_import(io.BytesIO(_table(("NetA", "95.0"))), source="evaluation-tables.json")
    benchmark = _linked(
        Task.objects.get(name="Digit Classification"), Dataset.objects.get(name="Digits-10"), targets=[]
    )
    benchmark_claim_refresh(benchmark=benchmark)
    benchmark.refresh_from_db()
    assert benchmark.targets[0]["value"] == 0.95

    # A newer table with a better result: the benchmark's claim follows without anyone saving it.
    pwc_import(io.BytesIO(_table(("NetA", "95.0"), ("NetB", "97.5"))), source="evaluation-tables.json")
    benchmark.refresh_from_db()
    assert benchmark.targets[0]["value"] == 0.975
