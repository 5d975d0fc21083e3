"""The site's first start (scripts/serve-local.sh -> queue_first_start) queues the quick reference
benchmarks once per database, on the cpu queue, and each of those sweeps publishes itself when it
finishes, saying so on /results/ (issue 14, item 3)."""

from io import StringIO

import pytest
from django.core.management import call_command

from training import services
from training.models import RunState, SetupStep, Sweep
from training.services.benchmarks import benchmarks_load

pytestmark = pytest.mark.django_db

QUICK = {"linear-regression", "mnist1d-logreg", "mnist1d-mlp"}
NOTE = "first start (make run), which queued it"


@pytest.fixture
def sent(mocker):
    """The Celery enqueue of training runs, patched: (queue, run ids) of each task sent."""
    mock = mocker.patch("training.tasks.execute_runs.apply_async")
    return lambda: [(c.kwargs["queue"], c.kwargs["args"][0]) for c in mock.call_args_list]


def _start(django_capture_on_commit_callbacks) -> str:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("queue_first_start", stdout=out)
    return out.getvalue()


def _finish(sweep: Sweep, *, seeds=range(5), fail_seeds=()) -> None:
    for run in sweep.runs.filter(state=RunState.QUEUED, seed__in=seeds).order_by("seed"):
        claimed = services.run_claim(run_id=run.pk, worker="w")
        if run.seed in fail_seeds:
            services.run_fail(run=claimed, error="boom")
            continue
        services.run_finish(
            run=claimed,
            final={"w": 3.0, "b": 2.5, "test_acc": 0.5},
            environment={"device": "cpu", "cpu": "test CPU", "cpu_threads": 2},
            timings={"wall_s": 1.0},
            weights=b"x",
            n_params=2,
        )


def test_the_first_start_queues_the_quick_benchmarks_once_on_the_cpu_queue(
    sent, django_capture_on_commit_callbacks
):
    benchmarks_load()

    output = _start(django_capture_on_commit_callbacks)

    sweeps = list(Sweep.objects.select_related("benchmark"))
    assert {s.benchmark.slug for s in sweeps} == QUICK and len(sweeps) == 3
    for sweep in sweeps:
        assert sweep.seeds == [0, 1, 2, 3, 4]
        assert (sweep.queue, sweep.device, sweep.origin) == ("cpu", "cpu", Sweep.Origin.FIRST_START)
        assert not sweep.published
    assert {queue for queue, _ in sent()} == {"cpu"}
    assert sorted(i for _, ids in sent() for i in ids) == sorted(
        Sweep.objects.values_list("runs__pk", flat=True)
    )
    assert "queued on the cpu queue" in output
    assert SetupStep.objects.filter(name="first-start-reference-sweeps").exists()

    calls = len(sent())
    output = _start(django_capture_on_commit_callbacks)

    assert Sweep.objects.count() == 3
    assert len(sent()) == calls
    assert "nothing to do" in output


def test_a_later_start_queues_nothing_even_after_its_sweeps_were_deleted(
    sent, django_capture_on_commit_callbacks
):
    benchmarks_load()
    _start(django_capture_on_commit_callbacks)
    Sweep.objects.all().delete()

    _start(django_capture_on_commit_callbacks)

    assert not Sweep.objects.exists()


def test_a_first_start_sweep_publishes_itself_when_it_finishes_and_says_so(
    sent, django_capture_on_commit_callbacks, client
):
    benchmarks_load()
    _start(django_capture_on_commit_callbacks)
    sweep = Sweep.objects.get(benchmark__slug="linear-regression")
    person = services.sweep_start(benchmark=sweep.benchmark, seeds=2, device="cpu", enqueue=False)

    _finish(sweep, seeds=[0, 1], fail_seeds=[1])
    sweep.refresh_from_db()
    assert not sweep.published  # three seeds still to go

    _finish(sweep)
    _finish(person, seeds=[0, 1])

    sweep.refresh_from_db()
    person.refresh_from_db()
    # Finished, one seed failed: published like a maintainer would (its four seeds are the row's n).
    assert sweep.state == RunState.FAILED and sweep.published and sweep.published_at
    assert sweep.summary["n"] == 4
    assert set(sweep.runs.filter(state=RunState.SUCCEEDED).values_list("published", flat=True)) == {True}
    assert not person.published  # a person's sweep waits for a maintainer
    page = client.get("/results/").content.decode()
    assert f"Sweep #{sweep.pk}" in page and NOTE in page
    assert f"Sweep #{person.pk}" not in page
    detail = client.get(sweep.get_absolute_url()).content.decode()
    assert NOTE in detail


def test_a_first_start_sweep_whose_seeds_all_failed_stays_unpublished(
    sent, django_capture_on_commit_callbacks
):
    benchmarks_load()
    _start(django_capture_on_commit_callbacks)
    sweep = Sweep.objects.get(benchmark__slug="mnist1d-logreg")

    _finish(sweep, fail_seeds=range(5))

    sweep.refresh_from_db()
    assert sweep.state == RunState.FAILED and not sweep.published
