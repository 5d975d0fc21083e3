"""The training admin from the outside: the "Start reference runs" page, the actions, who may use
them, and the live progress panel. Nothing trains: enqueuing is patched and checked."""

from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.support.queries import page_queries
from tests.training.factories import (
    BenchmarkFactory,
    RunMetricFactory,
    SweepFactory,
    TrainingRunFactory,
    finished_sweep,
)
from training.models import Benchmark, RunState, Sweep, TrainingRun

pytestmark = pytest.mark.django_db

START_URL = "admin:training_sweep_start"
SWEEPS_URL = "admin:training_sweep_changelist"
RUNS_URL = "admin:training_trainingrun_changelist"


@pytest.fixture
def apply_async():
    with mock.patch("training.tasks.execute_runs.apply_async") as patched:
        yield patched


@pytest.fixture
def staff_without_perms(db):
    return get_user_model().objects.create_user(
        "clerk", "clerk@example.org", "pw-clerk-123456", is_staff=True
    )


def _grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="training", codename__in=codenames)
    )
    return get_user_model().objects.get(pk=user.pk)  # a fresh instance: permissions are cached


# --- registration and pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Benchmark, Sweep, TrainingRun], ids=lambda m: m.__name__)
def test_models_are_registered_with_search(model):
    assert admin.site._registry[model].search_fields


def test_staff_can_open_every_list_and_change_page(client, staff_user):
    sweep = finished_sweep()
    run = sweep.runs.first()
    client.force_login(staff_user)
    for url in (
        reverse("admin:training_benchmark_changelist"),
        reverse("admin:training_benchmark_change", args=[sweep.benchmark.pk]),
        reverse("admin:training_benchmark_add"),
        reverse(SWEEPS_URL),
        reverse(RUNS_URL),
        reverse("admin:training_sweep_change", args=[sweep.pk]),
        reverse("admin:training_trainingrun_change", args=[run.pk]),
    ):
        response = client.get(url, {"q": "<script>x</script>"} if url.endswith("/training/sweep/") else {})
        assert response.status_code == 200, url


def test_sweep_list_shows_verdict_seeds_and_the_start_button(client, staff_user):
    sweep = finished_sweep(accs=(0.60, 0.62))
    client.force_login(staff_user)
    html = client.get(reverse(SWEEPS_URL)).content.decode()
    assert reverse(START_URL) in html and "Start reference runs" in html
    assert "not reproduced (\u22127.0 points)" in html
    assert f'href="/admin/training/sweep/{sweep.pk}/change/' in html
    assert "Add sweep" not in html  # sweeps are started, not added by hand


def test_list_filters_work(client, staff_user):
    finished_sweep()
    client.force_login(staff_user)
    for params in ({"state__exact": "succeeded"}, {"published__exact": "1"}, {"device__exact": "cuda"}):
        assert client.get(reverse(SWEEPS_URL), params).status_code == 200
    assert (
        client.get(reverse(RUNS_URL), {"state__exact": "running", "device__exact": "cpu"}).status_code == 200
    )


def test_run_change_page_is_read_only_with_metrics_weights_and_live_progress(client, staff_user):
    run = TrainingRunFactory(
        state=RunState.RUNNING, attempt=1, step=400, total_steps=1000, worker="celery@w1"
    )
    RunMetricFactory(run=run, step=250, values={"test_acc": 0.4})
    client.force_login(staff_user)
    html = client.get(reverse("admin:training_trainingrun_change", args=[run.pk])).content.decode()
    assert f'data-live-status-url="{reverse("training:run-status", args=[run.pk])}"' in html
    assert 'data-live-final="false"' in html
    assert 'value="40.0"' in html
    assert "training-live.js" in html and "training.css" in html
    assert "test_acc=0.4" in html  # the metric inline
    assert 'name="worker"' not in html and 'name="state"' not in html  # what the worker writes is read-only
    assert 'name="weights"' not in html


def test_run_change_page_links_the_weights(client, staff_user):
    run = finished_sweep(accs=(0.7,)).runs.get()
    client.force_login(staff_user)
    html = client.get(reverse("admin:training_trainingrun_change", args=[run.pk])).content.decode()
    assert reverse("training:run-weights", args=[run.pk]) in html


def test_sweep_change_page_polls_sweep_status(client, staff_user):
    sweep = SweepFactory(state=RunState.RUNNING, seeds=[0, 1])
    TrainingRunFactory(sweep=sweep, seed=0, state=RunState.RUNNING, step=500, total_steps=1000)
    TrainingRunFactory(sweep=sweep, seed=1)
    client.force_login(staff_user)
    html = client.get(reverse("admin:training_sweep_change", args=[sweep.pk])).content.decode()
    assert f'data-live-status-url="{reverse("training:sweep-status", args=[sweep.pk])}"' in html
    assert 'value="25.0"' in html


def test_sweep_change_page_query_count_does_not_grow_with_runs(client, staff_user):
    small = finished_sweep(accs=(0.7,))
    big = finished_sweep(accs=[0.7] * 10)
    client.force_login(staff_user)
    # One request first, as queries_for_one_and_many does: the admin looks up content types, which
    # Django caches for the process, so the first admin page a test process renders asks one or two
    # queries more than any later one (which test comes first depends on the xdist schedule).
    client.get(reverse("admin:training_sweep_change", args=[small.pk]))
    counts = [
        page_queries(client, reverse("admin:training_sweep_change", args=[sweep.pk]))
        for sweep in (small, big)
    ]
    assert counts[0] == counts[1] <= 12


# --- who may get in ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", [START_URL, SWEEPS_URL, RUNS_URL])
def test_anonymous_and_plain_users_are_sent_to_the_login(client, user, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(user)
    response = client.get(reverse(url_name))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_plain_user_cannot_post_the_start_page(client, user, apply_async):
    bench = BenchmarkFactory()
    client.force_login(user)
    response = client.post(reverse(START_URL), {"benchmarks": [bench.pk], "seeds": 2, "device": "cpu"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Sweep.objects.exists()


def test_staff_without_the_add_permission_get_403_and_no_button(client, staff_without_perms):
    clerk = _grant(staff_without_perms, "view_sweep")
    client.force_login(clerk)
    assert client.get(reverse(START_URL)).status_code == 403
    html = client.get(reverse(SWEEPS_URL)).content.decode()
    assert reverse(START_URL) not in html


def test_staff_with_the_add_permission_may_start(client, staff_without_perms):
    client.force_login(_grant(staff_without_perms, "view_sweep", "add_sweep"))
    assert client.get(reverse(START_URL)).status_code == 200


# --- the start page --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("device", "queue"), [("cpu", "cpu"), ("cuda", "gpu")])
def test_start_page_creates_a_sweep_per_benchmark_and_enqueues_on_the_right_queue(
    client, staff_user, apply_async, django_capture_on_commit_callbacks, device, queue
):
    a, b = BenchmarkFactory(time_limit_s=300), BenchmarkFactory()
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(START_URL), {"benchmarks": [a.pk, b.pk], "seeds": 3, "device": device})

    assert response.status_code == 302 and response["Location"] == reverse(SWEEPS_URL)
    sweeps = Sweep.objects.order_by("benchmark_id")
    assert [(s.benchmark, s.seeds, s.device, s.queue, s.created_by) for s in sweeps] == [
        (a, [0, 1, 2], device, queue, staff_user),
        (b, [0, 1, 2], device, queue, staff_user),
    ]
    assert TrainingRun.objects.filter(state=RunState.QUEUED).count() == 6
    # One task per sweep: its seeds are trained together as one batch.
    assert apply_async.call_count == 2
    assert {c.kwargs["queue"] for c in apply_async.call_args_list} == {queue}
    run_ids = sorted(pk for c in apply_async.call_args_list for pk in c.kwargs["args"][0])
    assert run_ids == sorted(TrainingRun.objects.values_list("pk", flat=True))
    first = next(
        c
        for c in apply_async.call_args_list
        if TrainingRun.objects.get(pk=c.kwargs["args"][0][0]).sweep.benchmark == a
    )
    assert first.kwargs["soft_time_limit"] == 3 * 300  # three seeds, each within the benchmark's 300 s
    messages = [str(m) for m in response.wsgi_request._messages]
    assert f"Started 2 sweeps (6 runs) on the {queue} queue." in messages


def test_start_page_rejects_a_bad_form_and_starts_nothing(client, staff_user, apply_async):
    client.force_login(staff_user)
    response = client.post(reverse(START_URL), {"benchmarks": [], "seeds": 0, "device": "tpu"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"benchmarks", "seeds", "device"}
    assert not Sweep.objects.exists()
    apply_async.assert_not_called()


def test_start_page_is_all_or_nothing_when_one_benchmark_is_broken(
    client, staff_user, apply_async, django_capture_on_commit_callbacks
):
    good = BenchmarkFactory()
    broken = BenchmarkFactory(config={"network": "resnet-9000"})  # edited around the admin's validation
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(START_URL), {"benchmarks": [good.pk, broken.pk], "seeds": 2, "device": "cpu"}
        )
    assert response.status_code == 200
    assert "has an invalid config" in response.content.decode()
    assert not Sweep.objects.exists()
    apply_async.assert_not_called()


# --- sweep actions -------------------------------------------------------------------------------------


def _action(client, url_name, action, objects):
    return client.post(
        reverse(url_name), {"action": action, "_selected_action": [o.pk for o in objects]}, follow=True
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_cancel_sweeps_cancels_queued_runs_and_asks_running_ones_to_stop(client, staff_user):
    sweep = SweepFactory(seeds=[0, 1], state=RunState.RUNNING)
    queued = TrainingRunFactory(sweep=sweep, seed=0)
    running = TrainingRunFactory(sweep=sweep, seed=1, state=RunState.RUNNING, attempt=1)
    client.force_login(staff_user)
    response = _action(client, SWEEPS_URL, "cancel_sweeps", [sweep])
    queued.refresh_from_db()
    running.refresh_from_db()
    assert queued.state == RunState.CANCELLED
    assert running.state == RunState.RUNNING and running.cancel_requested
    assert "2 runs cancelled or asked to stop." in _messages(response)


def test_rerun_starts_a_new_sweep_with_the_same_seeds_and_device(
    client, staff_user, apply_async, django_capture_on_commit_callbacks
):
    old = finished_sweep(accs=(0.6, 0.7))
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(client, SWEEPS_URL, "rerun_sweeps", [old])
    new = Sweep.objects.exclude(pk=old.pk).get()
    assert (new.benchmark, new.seeds, new.device, new.queue, new.created_by) == (
        old.benchmark,
        old.seeds,
        old.device,
        "gpu",
        staff_user,
    )
    (call,) = apply_async.call_args_list  # both seeds in one batched task
    assert call.kwargs["queue"] == "gpu" and len(call.kwargs["args"][0]) == 2
    assert f"Started 1 new sweep: #{new.pk}." in _messages(response)


def test_publish_refuses_an_unfinished_sweep_with_an_error_message(client, staff_user):
    done = finished_sweep(published=False)
    running = SweepFactory(state=RunState.RUNNING)
    TrainingRunFactory(sweep=running, seed=0, state=RunState.RUNNING)
    client.force_login(staff_user)
    response = _action(client, SWEEPS_URL, "publish_sweeps", [done, running])
    done.refresh_from_db()
    running.refresh_from_db()
    assert done.published and not running.published
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors == [f"{running}: Only a sweep with at least one succeeded run can be published."]
    assert "1 sweep published." in _messages(response)
    assert client.get(done.get_absolute_url()).status_code == 200


def test_unpublish_hides_the_sweep_again(client, staff_user):
    sweep = finished_sweep()
    client.force_login(staff_user)
    response = _action(client, SWEEPS_URL, "unpublish_sweeps", [sweep])
    sweep.refresh_from_db()
    assert not sweep.published and not sweep.runs.filter(published=True).exists()
    assert "1 sweep unpublished." in _messages(response)
    client.logout()
    assert client.get(sweep.get_absolute_url()).status_code == 404


def test_staff_without_change_permission_cannot_run_actions(client, staff_without_perms):
    sweep = finished_sweep(published=False)
    client.force_login(_grant(staff_without_perms, "view_sweep"))
    html = client.get(reverse(SWEEPS_URL)).content.decode()
    assert "publish_sweeps" not in html and "cancel_sweeps" not in html and "rerun_sweeps" not in html
    _action(client, SWEEPS_URL, "publish_sweeps", [sweep])
    sweep.refresh_from_db()
    assert not sweep.published


def test_plain_user_cannot_run_actions(client, user):
    sweep = finished_sweep(published=False)
    client.force_login(user)
    response = client.post(reverse(SWEEPS_URL), {"action": "publish_sweeps", "_selected_action": [sweep.pk]})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    sweep.refresh_from_db()
    assert not sweep.published


# --- run actions ---------------------------------------------------------------------------------------


def test_cancel_runs(client, staff_user):
    sweep = SweepFactory(seeds=[0, 1])
    first = TrainingRunFactory(sweep=sweep, seed=0)
    other = TrainingRunFactory(sweep=sweep, seed=1)
    client.force_login(staff_user)
    response = _action(client, RUNS_URL, "cancel_runs", [first])
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.state == RunState.CANCELLED and other.state == RunState.QUEUED
    assert "1 run cancelled or asked to stop." in _messages(response)


# --- benchmark form --------------------------------------------------------------------------------------


def test_benchmark_admin_refuses_an_untrainable_config_and_bad_targets(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:training_benchmark_add"),
        {
            "slug": "compare",
            "name": "Broken",
            "description": "x",
            "config": '{"network": "mlp", "train": {"lr": -1}}',
            "targets": '[{"metric": "test_acc", "value": 0.5}]',
            "higher_is_better": "on",
            "time_limit_s": 60,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"slug", "config", "targets"}
    assert "train.lr" in str(errors["config"]) or "lr" in str(errors["config"])
    assert not Benchmark.objects.filter(name="Broken").exists()
