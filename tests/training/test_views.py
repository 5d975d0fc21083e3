"""The results pages from the outside: leaderboards, benchmark, sweep and run pages, compare, the
downloads, weights and status JSON; who sees what; and a query budget per page."""

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.training.factories import (
    BenchmarkFactory,
    PaperFactory,
    RunMetricFactory,
    SweepFactory,
    TrainingRunFactory,
    finished_sweep,
)
from training.models import RunState

pytestmark = pytest.mark.django_db

MINUS = "\u2212"


def _html(response) -> str:
    return response.content.decode()


def _assert_csp_clean(html: str) -> None:
    """No inline script, no event handler and no style attribute: the strict CSP would block them."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert "cdn" not in html.lower()


# --- leaderboards ------------------------------------------------------------------------------------


def test_results_index_ranks_published_sweeps_and_hides_unpublished(client):
    paper = PaperFactory(title="Scaling down deep learning")
    bench = BenchmarkFactory(name="MNIST-1D · MLP", paper=paper)
    weak = finished_sweep(bench, accs=(0.67, 0.68))  # mean 0.675: gap −0.5 points, within ±3
    strong = finished_sweep(bench, accs=(0.70, 0.72))
    draft = finished_sweep(bench, accs=(0.99,), published=False)

    response = client.get(reverse("training:results"))

    assert response.status_code == 200
    html = _html(response)
    assert html.index(f"Sweep #{strong.pk}") < html.index(f"Sweep #{weak.pk}")
    assert f"Sweep #{draft.pk}<" not in html
    assert "71.0 ± 1.4%" in html
    assert f"Reproduced ({MINUS}0.5 points)" in html
    assert "NVIDIA H200" in html
    assert "68.0 ± 3.0%" in html  # the paper's claim beside the leaderboard
    assert paper.get_absolute_url() in html
    _assert_csp_clean(html)


def test_not_reproduced_shows_the_gap(client):
    bench = BenchmarkFactory()
    finished_sweep(bench, accs=(0.60, 0.62))
    html = _html(client.get(bench.get_absolute_url()))
    assert f"Not reproduced ({MINUS}7.0 points)" in html
    assert "verdict-miss" in html


def test_unpublished_paper_is_named_but_not_linked(client):
    paper = PaperFactory(status="pending")
    bench = BenchmarkFactory(paper=paper)
    html = _html(client.get(bench.get_absolute_url()))
    assert paper.title in html
    assert paper.get_absolute_url() not in html


def test_benchmark_page_shows_protocol_config_targets_and_downloads(client):
    bench = BenchmarkFactory(description="Adam, lr 0.01.\n\n<b>bold?</b>")
    finished_sweep(bench)
    response = client.get(bench.get_absolute_url())
    html = _html(response)
    assert response.status_code == 200
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert "&quot;network&quot;: &quot;mlp&quot;" in html
    assert reverse("training:leaderboard-csv", args=[bench.slug]) in html
    assert reverse("training:leaderboard-json", args=[bench.slug]) in html
    _assert_csp_clean(html)


def test_unknown_benchmark_is_404(client):
    assert client.get(reverse("training:benchmark-detail", args=["nope"])).status_code == 404
    assert client.get(reverse("training:leaderboard-csv", args=["nope"])).status_code == 404
    assert client.get(reverse("training:leaderboard-json", args=["nope"])).status_code == 404


def test_results_are_served_in_chinese_too(client):
    bench = BenchmarkFactory()
    # The locale middleware activates Chinese for the thread; override() restores the language after.
    with translation.override(translation.get_language()):
        response = client.get(f"/zh-hans/results/{bench.slug}/")
    assert response.status_code == 200
    assert reverse("training:results") == "/results/"


# --- downloads ---------------------------------------------------------------------------------------


def test_leaderboard_csv(client):
    bench = BenchmarkFactory(slug="mnist1d-mlp")
    first = finished_sweep(bench, accs=(0.70, 0.72))
    second = finished_sweep(bench, accs=(0.60, 0.62))
    finished_sweep(bench, accs=(0.99,), published=False)

    response = client.get(reverse("training:leaderboard-csv", args=[bench.slug]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="deepcommons-mnist1d-mlp-leaderboard.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [int(r["sweep"]) for r in rows] == [first.pk, second.pk]
    assert (
        rows[0]["rank"] == "1" and rows[0]["benchmark"] == "mnist1d-mlp" and rows[0]["metric"] == "test_acc"
    )
    assert float(rows[0]["mean"]) == pytest.approx(0.71)
    assert rows[0]["n"] == "2" and rows[0]["best_seed"] == "1" and rows[0]["seeds"] == "0 1"
    assert rows[1]["verdict"] == "not reproduced" and float(rows[1]["gap"]) == pytest.approx(-0.07)
    assert rows[0]["url"] == f"http://testserver/results/sweeps/{first.pk}/"


def test_leaderboard_csv_defuses_spreadsheet_formulas(client):
    bench = BenchmarkFactory()
    sweep = finished_sweep(bench, accs=(0.7,))
    sweep.summary = {**sweep.summary, "hardware": '=HYPERLINK("http://evil")'}
    sweep.save(update_fields=["summary"])
    text = client.get(reverse("training:leaderboard-csv", args=[bench.slug])).content.decode()
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["hardware"] == '\'=HYPERLINK("http://evil")'
    assert row["mean"] == "0.7" and row["gap"].startswith("0.")  # numbers are written as numbers


def test_leaderboard_json(client):
    paper = PaperFactory()
    bench = BenchmarkFactory(paper=paper)
    sweep = finished_sweep(bench, accs=(0.67, 0.69))
    response = client.get(reverse("training:leaderboard-json", args=[bench.slug]))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["benchmark"]["slug"] == bench.slug
    assert data["benchmark"]["metric"] == "test_acc" and data["benchmark"]["higher_is_better"] is True
    assert data["benchmark"]["targets"] == bench.targets
    assert data["benchmark"]["paper"]["url"].endswith(paper.get_absolute_url())
    (row,) = data["leaderboard"]
    assert row["sweep"] == sweep.pk and row["n"] == 2 and row["verdict"] == "reproduced"
    assert row["mean"] == pytest.approx(0.68) and row["seeds"] == [0, 1]
    assert row["hardware"] == "NVIDIA H200" and row["url"].endswith(sweep.get_absolute_url())


# --- sweep and run pages -----------------------------------------------------------------------------


def test_sweep_page_shows_summary_runs_and_overlaid_curves(client):
    sweep = finished_sweep(accs=(0.67, 0.69, 0.68))
    response = client.get(sweep.get_absolute_url())
    html = _html(response)
    assert response.status_code == 200
    assert "68.0 ± 1.0%" in html
    assert "Reproduced (+0.0 points)" in html
    for run in sweep.runs.all():
        assert run.get_absolute_url() in html
    assert html.count("<svg") == 2  # test accuracy and test loss, one line per seed
    assert html.count('class="chart-series"') == 6
    assert "data-live-status-url" not in html  # finished: nothing to poll
    assert reverse("training:compare") + "?runs=" in html
    _assert_csp_clean(html)


def test_running_sweep_page_polls_its_status(client, staff_user):
    sweep = SweepFactory(seeds=[0, 1], state=RunState.RUNNING)
    running = TrainingRunFactory(sweep=sweep, seed=0, state=RunState.RUNNING, attempt=1, step=500)
    TrainingRunFactory(sweep=sweep, seed=1)
    client.force_login(staff_user)
    html = _html(client.get(sweep.get_absolute_url()))
    assert f'data-live-status-url="{reverse("training:sweep-status", args=[sweep.pk])}"' in html
    assert 'data-live-refresh="sweep-body"' in html and 'id="sweep-body"' in html
    assert f'data-live-run="{running.pk}"' in html
    assert "training-live.js" in html
    assert "Not published" in html
    _assert_csp_clean(html)


def test_run_page_shows_curves_config_environment_timings_and_weights(client):
    sweep = finished_sweep(accs=(0.68,), n_metrics=5)
    run = sweep.runs.get()
    response = client.get(run.get_absolute_url())
    html = _html(response)
    assert response.status_code == 200
    assert html.count("<svg") == 2  # loss, accuracy
    assert "68.0%" in html  # final test accuracy
    assert "NVIDIA H200" in html and "2.13.0" in html
    assert "gpu-box-7" not in html  # the worker's host name is for staff only
    assert "12.5 s" in html  # wall time
    assert "&quot;network&quot;: &quot;mlp&quot;" in html
    assert reverse("training:run-weights", args=[run.pk]) in html
    assert "data-live-status-url" not in html
    _assert_csp_clean(html)


def test_staff_see_the_worker_host_on_the_run_page(client, staff_user):
    run = finished_sweep(accs=(0.68,)).runs.get()
    client.force_login(staff_user)
    assert "gpu-box-7" in _html(client.get(run.get_absolute_url()))


def test_failed_run_of_a_published_sweep_shows_its_error(client):
    sweep = finished_sweep(accs=(0.68,))
    failed = TrainingRunFactory(
        sweep=sweep, seed=9, state=RunState.FAILED, attempt=1, error="RuntimeError: CUDA <out> of memory"
    )
    html = _html(client.get(failed.get_absolute_url()))
    assert "Why the run failed" in html
    assert "RuntimeError: CUDA &lt;out&gt; of memory" in html
    assert reverse("training:run-weights", args=[failed.pk]) not in html
    assert "No evaluations recorded yet." in html


def test_running_run_page_polls_and_offers_a_reload_link_without_javascript(client, staff_user):
    run = TrainingRunFactory(state=RunState.RUNNING, attempt=1, step=250, total_steps=1000)
    RunMetricFactory(run=run, step=250)
    client.force_login(staff_user)
    html = _html(client.get(run.get_absolute_url()))
    assert f'data-live-status-url="{reverse("training:run-status", args=[run.pk])}"' in html
    assert 'data-live-evaluations="1"' in html
    assert 'data-live-refresh="run-body"' in html and 'id="run-body"' in html
    assert '<progress data-live="progress" max="100" value="25.0"' in html
    assert "<noscript>" in html and "Reload this page" in html
    assert 'http-equiv="refresh"' not in html
    _assert_csp_clean(html)


# --- visibility ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "plain"])
def test_unpublished_sweeps_and_runs_are_404_for_the_public(client, user, who):
    sweep = finished_sweep(published=False)
    run = sweep.runs.first()
    if who == "plain":
        client.force_login(user)
    for url in (
        sweep.get_absolute_url(),
        run.get_absolute_url(),
        reverse("training:run-weights", args=[run.pk]),
        reverse("training:run-status", args=[run.pk]),
        reverse("training:sweep-status", args=[sweep.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("training:compare"), {"runs": str(run.pk)}).status_code == 400


def test_staff_see_unpublished_sweeps_and_runs(client, staff_user):
    sweep = finished_sweep(published=False)
    run = sweep.runs.first()
    client.force_login(staff_user)
    assert client.get(sweep.get_absolute_url()).status_code == 200
    assert client.get(run.get_absolute_url()).status_code == 200
    assert client.get(reverse("training:run-weights", args=[run.pk])).status_code == 200
    assert client.get(reverse("training:compare"), {"runs": str(run.pk)}).status_code == 200


def test_pages_only_answer_get(client):
    sweep = finished_sweep()
    assert client.post(sweep.get_absolute_url()).status_code == 405


# --- weights -------------------------------------------------------------------------------------------


def test_weights_download(client):
    run = finished_sweep(accs=(0.7,)).runs.get()
    response = client.get(reverse("training:run-weights", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response.content == b"PK\x03\x04fake-state-dict"
    assert response["Content-Length"] == str(len(b"PK\x03\x04fake-state-dict"))
    assert f'attachment; filename="deepcommons-run-{run.pk}-' in response["Content-Disposition"]


def test_no_weights_no_download(client, staff_user):
    run = TrainingRunFactory(state=RunState.RUNNING)
    client.force_login(staff_user)
    assert client.get(reverse("training:run-weights", args=[run.pk])).status_code == 404


# --- status JSON ---------------------------------------------------------------------------------------


def test_run_status_json(client, staff_user):
    run = TrainingRunFactory(state=RunState.RUNNING, attempt=2, step=300, total_steps=1000)
    RunMetricFactory(run=run, attempt=1, step=250)  # an earlier attempt's evaluation: not counted
    RunMetricFactory(run=run, attempt=2, step=250)
    client.force_login(staff_user)
    response = client.get(reverse("training:run-status", args=[run.pk]))
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = response.json()
    assert data == {
        **data,
        "id": run.pk,
        "state": "running",
        "state_label": "Running",
        "final": False,
        "step": 300,
        "total_steps": 1000,
        "progress": 30.0,
        "attempt": 2,
        "evaluations": 1,
    }


def test_sweep_status_json(client):
    sweep = finished_sweep(accs=(0.6, 0.7), n_metrics=3)
    data = client.get(reverse("training:sweep-status", args=[sweep.pk])).json()
    assert data["state"] == "succeeded" and data["final"] is True and data["progress"] == 100.0
    assert data["evaluations"] == 6
    assert [(r["seed"], r["state"], r["progress"]) for r in data["runs"]] == [
        (0, "succeeded", 100.0),
        (1, "succeeded", 100.0),
    ]


def test_status_json_404_is_json(client):
    response = client.get(reverse("training:run-status", args=[123456]))
    assert response.status_code == 404
    assert "error" in response.json()


# --- compare -------------------------------------------------------------------------------------------


def test_compare_overlays_the_chosen_runs(client):
    a = finished_sweep(accs=(0.6,)).runs.get()
    b = finished_sweep(accs=(0.7, 0.71)).runs.order_by("seed").first()
    response = client.get(reverse("training:compare"), {"runs": f"{b.pk}, {a.pk},{b.pk}"})
    html = _html(response)
    assert response.status_code == 200
    assert html.index(f"#{b.pk}<") < html.index(f"#{a.pk}<")
    assert html.count('class="chart-series"') == 2 * 3  # test acc, test loss, train loss x two runs
    _assert_csp_clean(html)


def test_compare_without_runs_shows_the_form(client):
    response = client.get(reverse("training:compare"))
    assert response.status_code == 200
    assert 'name="runs"' in _html(response)


@pytest.mark.parametrize(
    ("runs", "message"),
    [
        ("abc", "“abc” is not a run number"),
        ("1;DROP TABLE", "is not a run number"),
        ("", "Give at least one run number"),
        (",,,", "Give at least one run number"),
        ("-1", "is not a run number"),
        ("0", "is not a run number"),
        ("１", "is not a run number"),  # a full-width digit
        ("9" * 40, "is not a run number"),
        (",".join(["1"] * 150), "Ensure this value has at most 200 characters"),
        (",".join(str(i) for i in range(1, 14)), "At most 12 runs can be compared at once; 13 were given."),
    ],
)
def test_bad_compare_params_are_a_400_with_a_clear_message(client, runs, message):
    response = client.get(reverse("training:compare"), {"runs": runs})
    assert response.status_code == 400
    html = _html(response)
    assert message in html
    assert 'aria-invalid="true"' in html


def test_compare_unknown_or_unpublished_runs_is_a_400_naming_them(client):
    run = finished_sweep().runs.first()
    draft = finished_sweep(published=False).runs.first()
    response = client.get(reverse("training:compare"), {"runs": f"{run.pk},{draft.pk},999999"})
    assert response.status_code == 400
    assert f"Runs {draft.pk}, 999999 do not exist or are not published." in _html(response)


# --- query budget --------------------------------------------------------------------------------------


def _queries(client, url, params=None, status=200) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == status, url
    return len(ctx)


BUDGET = 12


def test_query_budget_results_benchmark_and_downloads(client):
    bench = BenchmarkFactory(paper=PaperFactory())
    finished_sweep(bench, accs=(0.7,))
    urls = [
        reverse("training:results"),
        bench.get_absolute_url(),
        reverse("training:leaderboard-csv", args=[bench.slug]),
        reverse("training:leaderboard-json", args=[bench.slug]),
    ]
    one = [_queries(client, url) for url in urls]
    for _ in range(9):
        finished_sweep(bench, accs=(0.6, 0.7))
        finished_sweep(BenchmarkFactory(paper=PaperFactory()), accs=(0.5,))
    ten = [_queries(client, url) for url in urls]
    assert one == ten
    assert max(ten) <= BUDGET


def test_query_budget_sweep_run_status_and_compare(client):
    small = finished_sweep(accs=(0.7,), n_metrics=1)
    big = finished_sweep(accs=[0.6 + i / 100 for i in range(10)], n_metrics=10)
    pages = {
        "sweep": (small.get_absolute_url(), big.get_absolute_url()),
        "run": (small.runs.get().get_absolute_url(), big.runs.last().get_absolute_url()),
        "run status": (
            reverse("training:run-status", args=[small.runs.get().pk]),
            reverse("training:run-status", args=[big.runs.last().pk]),
        ),
        "sweep status": (
            reverse("training:sweep-status", args=[small.pk]),
            reverse("training:sweep-status", args=[big.pk]),
        ),
        "weights": (
            reverse("training:run-weights", args=[small.runs.get().pk]),
            reverse("training:run-weights", args=[big.runs.last().pk]),
        ),
    }
    for name, (one_url, ten_url) in pages.items():
        one, ten = _queries(client, one_url), _queries(client, ten_url)
        assert one == ten, name
        assert ten <= BUDGET, name
    compare = reverse("training:compare")
    one = _queries(client, compare, {"runs": str(small.runs.get().pk)})
    ten = _queries(client, compare, {"runs": ",".join(str(r.pk) for r in big.runs.all())})
    assert one == ten <= BUDGET


def test_query_budget_for_staff_on_unpublished_pages(client, staff_user):
    small = finished_sweep(accs=(0.7,), published=False)
    big = finished_sweep(accs=[0.7] * 10, published=False)
    client.force_login(staff_user)
    one, ten = _queries(client, small.get_absolute_url()), _queries(client, big.get_absolute_url())
    assert one == ten <= BUDGET


# --- web processes never import torch ------------------------------------------------------------------


def test_web_side_modules_do_not_import_torch():
    code = (
        "import django, sys; django.setup(); "
        "import training.views, training.admin, training.selectors, training.forms, training.charts, "
        "training.templatetags.training_tags, config.urls; "
        "from django.urls import reverse; reverse('training:results'); "
        "print('torch' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    assert result.stdout.strip() == "False"
