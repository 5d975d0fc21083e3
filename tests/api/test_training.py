"""The training results through /api/v1/: benchmarks with leaderboards, sweeps, runs with their
curves, and staff starting, cancelling and publishing sweeps (Celery never runs: the enqueue is
patched where it happens: the training task's apply_async, see conftest.enqueued)."""

import pytest

from tests.training.factories import BenchmarkFactory, SweepFactory, TrainingRunFactory, finished_sweep
from training.models import RunState, Sweep, TrainingRun

pytestmark = pytest.mark.django_db


def test_benchmark_list_and_leaderboard(api):
    benchmark = BenchmarkFactory()
    better = finished_sweep(benchmark, accs=(0.70, 0.70, 0.70))
    worse = finished_sweep(benchmark, accs=(0.60, 0.62, 0.61))
    finished_sweep(benchmark, published=False)

    listing = api.get("/api/v1/benchmarks/").json()
    assert [b["slug"] for b in listing["results"]] == [benchmark.slug]

    body = api.get(f"/api/v1/benchmarks/{benchmark.slug}/").json()
    assert body["metric"] == "test_acc"
    assert [row["sweep"] for row in body["leaderboard"]] == [better.pk, worse.pk]
    top = body["leaderboard"][0]
    assert top["rank"] == 1 and top["n"] == 3 and top["verdict"] == "reproduced"
    assert top["mean"] == pytest.approx(0.70)
    assert top["sweep_url"].endswith(f"/api/v1/sweeps/{better.pk}/")
    assert api.get("/api/v1/benchmarks/nope/").status_code == 404


def test_sweeps_and_runs_are_public_once_published(api, staff_api):
    published = finished_sweep()
    hidden = finished_sweep(published=False)

    listing = api.get("/api/v1/sweeps/").json()
    assert [s["id"] for s in listing["results"]] == [published.pk]
    assert api.get(f"/api/v1/sweeps/{hidden.pk}/").status_code == 404
    run_ids = {r["id"] for r in api.get("/api/v1/runs/").json()["results"]}
    assert run_ids == set(published.runs.values_list("pk", flat=True))

    # Staff see everything, as on the pages.
    staff_ids = {s["id"] for s in staff_api.get("/api/v1/sweeps/").json()["results"]}
    assert staff_ids == {published.pk, hidden.pk}
    assert staff_api.get(f"/api/v1/sweeps/{hidden.pk}/").status_code == 200


def test_sweep_detail_has_summary_and_runs(api):
    sweep = finished_sweep(accs=(0.67, 0.69, 0.68))

    body = api.get(f"/api/v1/sweeps/{sweep.pk}/").json()

    assert body["state"] == RunState.SUCCEEDED
    assert body["summary"]["verdict"] == "reproduced"
    assert body["summary"]["metrics"]["test_acc"]["mean"] == pytest.approx(0.68)
    assert [r["seed"] for r in body["runs"]] == [0, 1, 2]
    assert body["runs"][0]["final_metrics"]["test_acc"] == pytest.approx(0.67)
    assert body["runs"][0]["progress"] == 100.0


def test_run_detail_has_the_metrics_history_and_hides_machine_names(api, staff_api):
    sweep = finished_sweep(accs=(0.68,), n_metrics=4)
    run = sweep.runs.get()

    body = api.get(f"/api/v1/runs/{run.pk}/").json()

    assert [point["step"] for point in body["metrics"]] == [250, 500, 750, 1000]
    assert body["metrics"][-1]["values"]["test_acc"] == pytest.approx(0.68)
    assert body["benchmark"]["slug"] == sweep.benchmark.slug
    assert "host" not in body["environment"] and "worker" not in body["environment"]
    assert body["environment"]["gpu"] == "NVIDIA H200"
    assert body["weights_url"].endswith(f"/results/runs/{run.pk}/weights.pt")
    assert "host" in staff_api.get(f"/api/v1/runs/{run.pk}/").json()["environment"]


def test_run_filters(api):
    sweep = finished_sweep(accs=(0.6, 0.7))
    other = finished_sweep(accs=(0.5,))

    by_sweep = api.get("/api/v1/runs/", {"sweep": sweep.pk}).json()
    assert {r["sweep"] for r in by_sweep["results"]} == {sweep.pk}
    by_benchmark = api.get("/api/v1/runs/", {"benchmark": other.benchmark.slug}).json()
    assert by_benchmark["count"] == 1
    bad = api.get("/api/v1/runs/", {"state": "exploded"})
    assert bad.status_code == 400 and "state" in bad.json()["error"]["fields"]


# --- writes: staff only ---------------------------------------------------------------------------


def test_staff_start_a_sweep_and_its_runs_are_enqueued(
    staff_api, staff_user, enqueued, django_capture_on_commit_callbacks
):
    benchmark = BenchmarkFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(
            "/api/v1/sweeps/", {"benchmark": benchmark.slug, "seed_count": 3, "device": "cpu"}, format="json"
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    sweep = Sweep.objects.get(pk=body["id"])
    assert sweep.created_by == staff_user and sweep.seeds == [0, 1, 2] and sweep.queue == "cpu"
    assert body["state"] == RunState.QUEUED and len(body["runs"]) == 3
    assert response["Location"] == body["api_url"]
    assert sorted(enqueued.run_ids()) == sorted(sweep.runs.values_list("pk", flat=True))


def test_start_takes_an_explicit_seed_list_and_refuses_bad_input(staff_api, enqueued):
    benchmark = BenchmarkFactory()
    ok = staff_api.post("/api/v1/sweeps/", {"benchmark": benchmark.slug, "seeds": [7, 3]}, format="json")
    assert ok.status_code == 201 and ok.json()["seeds"] == [7, 3]

    for payload, field in (
        ({"benchmark": "nope", "seed_count": 1}, "benchmark"),
        ({"benchmark": benchmark.slug, "seed_count": 0}, "seed_count"),
        ({"benchmark": benchmark.slug, "seed_count": 65}, "seed_count"),
        ({"benchmark": benchmark.slug, "seeds": [-1]}, "seeds.0"),
        ({"benchmark": benchmark.slug, "seed_count": 1, "device": "tpu"}, "device"),
    ):
        response = staff_api.post("/api/v1/sweeps/", payload, format="json")
        assert response.status_code == 400, payload
        assert field in response.json()["error"]["fields"], response.json()

    both = staff_api.post(
        "/api/v1/sweeps/", {"benchmark": benchmark.slug, "seeds": [1], "seed_count": 1}, format="json"
    )
    assert both.status_code == 400 and "seeds" in both.json()["error"]["message"]
    # A service's own refusal (duplicate seeds) is a 400 in the same shape.
    dup = staff_api.post("/api/v1/sweeps/", {"benchmark": benchmark.slug, "seeds": [1, 1]}, format="json")
    assert dup.status_code == 400 and "distinct" in dup.json()["error"]["message"]


def test_staff_cancel_a_sweep(staff_api, enqueued):
    sweep = SweepFactory(seeds=[0, 1])
    TrainingRunFactory(sweep=sweep, seed=0)
    TrainingRunFactory(sweep=sweep, seed=1, state=RunState.RUNNING)

    response = staff_api.post(f"/api/v1/sweeps/{sweep.pk}/cancel/")

    assert response.status_code == 200
    assert response.json()["cancelled"] == 2
    assert TrainingRun.objects.get(sweep=sweep, seed=0).state == RunState.CANCELLED
    assert TrainingRun.objects.get(sweep=sweep, seed=1).cancel_requested


def test_staff_publish_and_unpublish(staff_api, api):
    sweep = finished_sweep(published=False)

    response = staff_api.post(f"/api/v1/sweeps/{sweep.pk}/publish/", {"published": True}, format="json")
    assert response.status_code == 200 and response.json()["published"] is True
    assert api.get(f"/api/v1/sweeps/{sweep.pk}/").status_code == 200

    staff_api.post(f"/api/v1/sweeps/{sweep.pk}/publish/", {"published": False}, format="json")
    assert api.get(f"/api/v1/sweeps/{sweep.pk}/").status_code == 404


def test_an_unfinished_sweep_cannot_be_published(staff_api):
    sweep = SweepFactory()
    TrainingRunFactory(sweep=sweep, seed=0)

    response = staff_api.post(f"/api/v1/sweeps/{sweep.pk}/publish/", {}, format="json")

    # A well-formed request the sweep's state refuses: 409 (a 400 would say the body was wrong, which
    # the schema's positive_data_acceptance check in test_fuzz.py flagged).
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict" and "succeeded run" in error["message"]
    assert not Sweep.objects.get(pk=sweep.pk).published


@pytest.mark.parametrize("who", ["anonymous", "user", "moderator"])
def test_only_staff_write_sweeps(who, api, user_api, moderator_api, enqueued):
    client = {"anonymous": api, "user": user_api, "moderator": moderator_api}[who]
    benchmark = BenchmarkFactory()
    sweep = finished_sweep(benchmark, published=False)
    expected = 401 if who == "anonymous" else 403

    responses = [
        client.post("/api/v1/sweeps/", {"benchmark": benchmark.slug, "seed_count": 1}, format="json"),
        client.post(f"/api/v1/sweeps/{sweep.pk}/cancel/"),
        client.post(f"/api/v1/sweeps/{sweep.pk}/publish/", {"published": True}, format="json"),
    ]

    assert [r.status_code for r in responses] == [expected] * 3
    assert all(r.json()["error"]["code"] in ("not_authenticated", "permission_denied") for r in responses)
    assert Sweep.objects.count() == 1 and not Sweep.objects.get().published
    enqueued.assert_not_called()
