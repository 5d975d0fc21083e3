import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from training.models import Benchmark, RunState, Sweep

pytestmark = pytest.mark.django_db


def test_load_benchmarks_seeds_the_fixed_slugs_and_is_idempotent():
    out = StringIO()
    call_command("load_benchmarks", stdout=out)
    assert "7 created" in out.getvalue()
    assert set(Benchmark.objects.values_list("slug", flat=True)) == {
        "mnist1d-logreg", "mnist1d-mlp", "mnist1d-cnn", "mnist1d-gru", "mnist1d-lstm", "digits-cnn",
        "linear-regression",
    }  # fmt: skip
    cnn = Benchmark.objects.get(slug="mnist1d-cnn")
    assert cnn.targets == [{"metric": "test_acc", "value": 0.94, "tolerance": 0.02}]
    assert cnn.config["train"] == {**cnn.config["train"], "optimizer": "adam", "lr": 0.01, "batch_size": 100,
                                   "steps": 6000, "eval_every": 250}  # fmt: skip
    assert "6000 steps" in cnn.description and "last step" in cnn.description
    out = StringIO()
    call_command("load_benchmarks", stdout=out)
    assert "0 created, 0 updated, 7 unchanged" in out.getvalue()


def test_the_lstm_benchmark_claims_nothing_and_a_short_cpu_run_is_ranked_without_a_verdict(client):
    call_command("load_benchmarks", stdout=StringIO())
    lstm = Benchmark.objects.get(slug="mnist1d-lstm")
    # The reference code's bidirectional LSTM, with the GRU benchmark's shape and protocol, and no claim.
    assert (lstm.network, lstm.dataset, lstm.targets, lstm.paper) == ("lstm", "mnist1d", [], None)
    gru = Benchmark.objects.get(slug="mnist1d-gru")
    assert lstm.config["model"] == gru.config["model"]
    assert (lstm.config["model"]["hidden"], lstm.config["model"]["bidirectional"]) == (6, True)
    assert lstm.config["train"] == gru.config["train"]
    lstm.config["train"].update(steps=10, eval_every=5)  # a short protocol: this is a test
    lstm.save()

    out, err = StringIO(), StringIO()
    call_command("run_reference", "mnist1d-lstm", "--seeds", "2", "--device", "cpu", "--sync", "--publish",
                 stdout=out, stderr=err)  # fmt: skip

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["seed"] for line in lines] == [0, 1]
    assert all(0 <= line["final"]["test_acc"] <= 1 for line in lines)
    sweep = Sweep.objects.get()
    assert sweep.state == RunState.SUCCEEDED and sweep.summary["verdict"] is None
    page = client.get(lstm.get_absolute_url()).content.decode()
    assert "This benchmark has no target; its sweeps get no verdict." in page
    assert f"/results/sweeps/{sweep.pk}/" in page  # ranked on the leaderboard all the same
    assert "Reproduced" not in page


def test_run_reference_sync_trains_here_and_prints_one_json_line_per_run():
    call_command("load_benchmarks", stdout=StringIO())
    out, err = StringIO(), StringIO()
    call_command("run_reference", "linear-regression", "--seeds", "2", "--device", "cpu", "--sync", "--publish",
                 stdout=out, stderr=err)  # fmt: skip
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["seed"] for line in lines] == [0, 1]
    for line in lines:
        assert line["benchmark"] == "linear-regression" and line["device"] == "cpu"
        assert abs(line["final"]["w"] - line["final"]["lstsq_w"]) < 0.01
        assert abs(line["final"]["b"] - line["final"]["lstsq_b"]) < 0.01
        assert line["wall_s"] > 0 and line["samples_per_s"] > 0
    sweep = Sweep.objects.get()
    assert sweep.state == RunState.SUCCEEDED and sweep.published and "reproduced" in err.getvalue()


def test_run_reference_without_sync_enqueues_and_prints_the_sweep(django_capture_on_commit_callbacks, mocker):
    call_command("load_benchmarks", stdout=StringIO())
    apply_async = mocker.patch("training.tasks.execute_runs.apply_async")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_reference", "mnist1d-cnn", "--seeds", "3", "--device", "cpu", stdout=out)
    assert json.loads(out.getvalue()) == {"sweep": Sweep.objects.get().pk, "runs": 3, "queue": "cpu"}
    assert apply_async.call_count == 1 and len(apply_async.call_args.kwargs["args"][0]) == 3


def test_run_reference_names_the_known_benchmarks_when_given_a_wrong_one():
    call_command("load_benchmarks", stdout=StringIO())
    with pytest.raises(CommandError, match="Unknown benchmark 'nope'; known: .*mnist1d-cnn"):
        call_command("run_reference", "nope", "--sync")


def test_reproduce_table_prints_claimed_vs_reproduced_for_the_four_mnist1d_benchmarks():
    call_command("load_benchmarks", stdout=StringIO())
    for bench in Benchmark.objects.filter(slug__startswith="mnist1d-"):  # a short protocol: this is a test
        bench.config["train"].update(steps=10, eval_every=5)
        bench.save()
    out = StringIO()
    call_command("reproduce_table", "mnist1d", "--seeds", "2", "--device", "cpu", "--sync", "--json", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["benchmark"] for r in rows] == ["mnist1d-logreg", "mnist1d-mlp", "mnist1d-cnn", "mnist1d-gru"]
    assert [r["claimed"] for r in rows] == [0.32, 0.68, 0.94, 0.91]
    for row in rows:
        assert row["n"] == 2 and 0 <= row["mean"] <= 1 and row["verdict"] in ("reproduced", "not reproduced")
    table = StringIO()
    call_command("reproduce_table", "mnist1d", "--seeds", "1", "--device", "cpu", "--sync", stdout=table)
    assert table.getvalue().count(" ± ") == 4 and "mnist1d-gru" in table.getvalue()
