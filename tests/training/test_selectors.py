"""The training app's shared reads: ranking, visibility, curves of the current attempt, claims."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from tests.training import factories as tf
from training import selectors
from training.models import RunState

pytestmark = pytest.mark.django_db


def test_leaderboard_ranks_published_sweeps_by_mean_and_hides_unpublished():
    bench = tf.BenchmarkFactory()
    low = tf.finished_sweep(bench, accs=(0.60, 0.62))
    high = tf.finished_sweep(bench, accs=(0.70, 0.72))
    hidden = tf.finished_sweep(bench, accs=(0.99, 0.99), published=False)

    (board,) = [b for b in selectors.leaderboards() if b.benchmark == bench]

    assert [row.sweep.pk for row in board.rows] == [high.pk, low.pk]
    assert hidden.pk not in [row.sweep.pk for row in board.rows]
    top = board.rows[0]
    assert (top.rank, top.n, top.metric) == (1, 2, "test_acc")
    assert top.mean == pytest.approx(0.71)
    assert top.best_seed == 1 and top.best == pytest.approx(0.72)
    assert top.verdict == "reproduced" and top.gap == pytest.approx(0.03)
    assert top.hardware == "NVIDIA H200"


def test_lower_is_better_ranks_the_smallest_mean_first():
    bench = tf.BenchmarkFactory(higher_is_better=False, targets=[{"metric": "test_acc", "minimum": 0.1}])
    big = tf.finished_sweep(bench, accs=(0.9,))
    small = tf.finished_sweep(bench, accs=(0.3,))
    board = selectors.benchmark_board(bench.slug)
    assert [row.sweep.pk for row in board.rows] == [small.pk, big.pk]


def test_a_sweep_without_the_primary_metric_goes_last():
    bench = tf.BenchmarkFactory()
    good = tf.finished_sweep(bench, accs=(0.5,))
    odd = tf.SweepFactory(
        benchmark=bench, published=True, state=RunState.SUCCEEDED, summary={"n": 0, "metrics": {}}
    )
    board = selectors.benchmark_board(bench.slug)
    assert [row.sweep.pk for row in board.rows] == [good.pk, odd.pk]
    assert board.rows[1].mean is None


def test_benchmark_board_is_none_for_an_unknown_slug():
    assert selectors.benchmark_board("no-such-benchmark") is None


def test_visibility_anonymous_plain_and_staff(user, staff_user):
    published = tf.finished_sweep(accs=(0.7,))
    draft = tf.finished_sweep(accs=(0.7,), published=False)
    failed = tf.TrainingRunFactory(sweep=published, seed=5, state=RunState.FAILED, error="boom")
    draft_run = draft.runs.get()

    for viewer in (AnonymousUser(), user):
        assert set(selectors.visible_sweeps(viewer)) == {published}
        visible = set(selectors.visible_runs(viewer))
        assert failed in visible, "a failed seed of a published sweep is shown with its error"
        assert draft_run not in visible
    assert set(selectors.visible_sweeps(staff_user)) == {published, draft}
    assert draft_run in set(selectors.visible_runs(staff_user))


def test_inactive_staff_is_not_staff(staff_user):
    staff_user.is_active = False
    assert not selectors.is_staff(staff_user)
    assert not selectors.is_staff(AnonymousUser())


def test_weights_only_for_published_runs_or_staff(user, staff_user):
    run = tf.finished_sweep(accs=(0.7,)).runs.get()
    draft = tf.finished_sweep(accs=(0.7,), published=False).runs.get()
    assert selectors.run_weights(pk=run.pk, user=AnonymousUser())[1] == b"PK\x03\x04fake-state-dict"
    assert selectors.run_weights(pk=draft.pk, user=user) is None
    assert selectors.run_weights(pk=draft.pk, user=staff_user) is not None


def test_curves_are_those_of_the_current_attempt_only(staff_user):
    run = tf.TrainingRunFactory(state=RunState.RUNNING, attempt=2)
    tf.RunMetricFactory(run=run, attempt=1, step=250, values={"test_acc": 0.1})
    tf.RunMetricFactory(run=run, attempt=2, step=250, values={"test_acc": 0.2})
    tf.RunMetricFactory(run=run, attempt=2, step=500, values={"test_acc": 0.3})
    assert selectors.metrics_by_run([run])[run.pk] == [(250, {"test_acc": 0.2}), (500, {"test_acc": 0.3})]
    status = selectors.run_status(pk=run.pk, user=staff_user)
    assert status["evaluations"] == 2


def test_metrics_by_run_of_nothing_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.metrics_by_run([]) == {}


def test_compare_runs_keeps_the_order_asked_and_reports_missing_ones(user):
    sweep = tf.finished_sweep(accs=(0.6, 0.7))
    a, b = sweep.runs.order_by("seed")
    draft = tf.finished_sweep(accs=(0.5,), published=False).runs.get()
    runs, missing = selectors.compare_runs(ids=[b.pk, a.pk, draft.pk, 999_999], user=user)
    assert runs == [b, a]
    assert missing == [draft.pk, 999_999]


def test_sweep_status_lists_runs_with_their_evaluations(staff_user):
    sweep = tf.finished_sweep(accs=(0.6, 0.7), n_metrics=3, published=False)
    assert selectors.sweep_status(pk=sweep.pk, user=AnonymousUser()) is None
    found_sweep, runs = selectors.sweep_status(pk=sweep.pk, user=staff_user)
    assert found_sweep["state"] == RunState.SUCCEEDED
    assert [(r["seed"], r["evaluations"]) for r in runs] == [(0, 3), (1, 3)]


# --- claims of a paper ---------------------------------------------------------------------------------


def test_claims_for_paper_use_the_latest_published_sweep(django_assert_num_queries):
    paper = tf.PaperFactory()
    bench = tf.BenchmarkFactory(paper=paper)
    tf.finished_sweep(bench, accs=(0.50, 0.52))  # older, not reproduced
    latest = tf.finished_sweep(bench, accs=(0.67, 0.69))
    tf.finished_sweep(bench, accs=(0.10,), published=False)  # newer but unpublished: ignored
    other = tf.BenchmarkFactory(paper=paper, targets=[{"metric": "test_acc", "minimum": 0.97}])
    tf.BenchmarkFactory()  # another paper's benchmark

    with django_assert_num_queries(2):
        claims = selectors.claims_for_paper(paper)

    by_bench = {c.benchmark.pk: c for c in claims}
    assert set(by_bench) == {bench.pk, other.pk}
    claim = by_bench[bench.pk]
    assert claim.sweep == latest and claim.n == 2 and claim.ok is True
    assert claim.mean == pytest.approx(0.68)
    assert by_bench[other.pk].sweep is None and by_bench[other.pk].ok is None


def test_claims_query_count_does_not_grow_with_benchmarks(django_assert_num_queries):
    paper = tf.PaperFactory()
    for _ in range(5):
        bench = tf.BenchmarkFactory(paper=paper)
        tf.finished_sweep(bench, accs=(0.7,))
        tf.finished_sweep(bench, accs=(0.6,))
    with django_assert_num_queries(2):
        assert len(selectors.claims_for_paper(paper)) == 5
    with django_assert_num_queries(0):
        assert selectors.claims_for_paper(None) == []


def test_claimed_vs_reproduced_tag_renders_the_table_in_two_queries(django_assert_num_queries):
    paper = tf.PaperFactory()
    bench = tf.BenchmarkFactory(paper=paper, name="MNIST-1D <MLP>")
    tf.finished_sweep(bench, accs=(0.64, 0.65))  # mean 0.645: 3.5 points short of 68 ± 3
    template = Template("{% load training_tags %}{% claimed_vs_reproduced paper %}")
    with django_assert_num_queries(2):
        html = template.render(Context({"paper": paper}))
    assert "MNIST-1D &lt;MLP&gt;" in html and "<MLP>" not in html
    assert "68.0 ± 3.0%" in html
    assert "64.5 ± 0.7%" in html
    assert "Not reproduced (\u22123.5 points)" in html


def test_claimed_vs_reproduced_is_empty_for_a_paper_without_benchmarks():
    html = Template("{% load training_tags %}{% claimed_vs_reproduced paper %}").render(
        Context({"paper": tf.PaperFactory()})
    )
    assert html.strip() == ""
