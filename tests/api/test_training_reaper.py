"""A run cancelled while running whose worker then dies is ended by the periodic reaper, and its sweep
can be published (issue 12, item 14). The sweep is started, cancelled and published through the API;
the worker's side is its services (claim, finish); the reaper is the beat task's own function."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.training.factories import BenchmarkFactory
from training.models import RunState, Sweep, TrainingRun
from training.services import run_claim, run_finish
from training.tasks import requeue_stale_runs

pytestmark = pytest.mark.django_db


def test_a_cancelled_run_whose_worker_died_is_cancelled_by_the_reaper_and_the_sweep_published(
    staff_api, api, enqueued
):
    benchmark = BenchmarkFactory()
    created = staff_api.post("/api/v1/sweeps/", {"benchmark": benchmark.slug, "seed_count": 2}, format="json")
    assert created.status_code == 201, created.content
    sweep = Sweep.objects.get()
    # A worker takes both runs and finishes seed 0; seed 1 is still training.
    done, alive = (run_claim(run_id=r.pk, worker="gpu-1") for r in sweep.runs.order_by("seed"))
    run_finish(run=done, final={"test_acc": 0.7}, environment={}, timings={}, weights=b"x", n_params=2)

    cancel = staff_api.post(f"/api/v1/sweeps/{sweep.pk}/cancel/")
    assert cancel.status_code == 200 and cancel.json()["cancelled"] == 1
    # The worker dies before its next heartbeat could see the request: nobody will end the run.
    TrainingRun.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    refused = staff_api.post(f"/api/v1/sweeps/{sweep.pk}/publish/", {"published": True}, format="json")
    assert refused.status_code in (400, 409)  # the run still counts as running
    assert "Wait until every run" in refused.json()["error"]["message"]

    enqueued.reset_mock()
    requeue_stale_runs()  # what beat runs every few minutes

    alive.refresh_from_db()
    assert alive.state == RunState.CANCELLED and alive.finished_at
    assert "Cancelled on request" in alive.error
    enqueued.assert_not_called()  # a cancelled run is not woken up again
    body = staff_api.get(f"/api/v1/sweeps/{sweep.pk}/").json()
    assert body["state"] == RunState.CANCELLED and body["summary"]["n"] == 1
    published = staff_api.post(f"/api/v1/sweeps/{sweep.pk}/publish/", {"published": True}, format="json")
    assert published.status_code == 200 and published.json()["published"] is True
    assert api.get(f"/api/v1/sweeps/{sweep.pk}/").status_code == 200
