import pytest

from training.verdicts import summarize

CLAIM = [{"metric": "test_acc", "value": 0.94, "tolerance": 0.02}]


def test_mean_and_sample_std_over_seeds_and_the_best_seed():
    s = summarize([{"test_acc": 0.93}, {"test_acc": 0.95}, {"test_acc": 0.94}], [0, 1, 2], CLAIM)
    assert s["metrics"]["test_acc"]["mean"] == pytest.approx(0.94)
    assert s["metrics"]["test_acc"]["std"] == pytest.approx(0.01)
    assert (s["best_seed"], s["best"], s["n"]) == (1, 0.95, 3)
    assert s["verdict"] == "reproduced" and s["gap"] == pytest.approx(0.0)


def test_outside_the_tolerance_is_not_reproduced_either_way():
    low = summarize([{"test_acc": 0.90}], [0], CLAIM)
    high = summarize([{"test_acc": 0.97}], [0], CLAIM)
    assert low["verdict"] == high["verdict"] == "not reproduced"
    assert low["gap"] == pytest.approx(-0.04) and high["gap"] == pytest.approx(0.03)
    assert low["metrics"]["test_acc"]["std"] == 0.0


def test_a_minimum_target_and_several_targets_must_all_hold():
    assert (
        summarize([{"test_acc": 0.975}], [0], [{"metric": "test_acc", "minimum": 0.97}])["verdict"]
        == "reproduced"
    )
    both = [{"metric": "w", "value": 3, "tolerance": 0.3}, {"metric": "b", "value": 2.5, "tolerance": 0.2}]
    assert summarize([{"w": 3.01, "b": 2.53}], [0], both)["verdict"] == "reproduced"
    assert summarize([{"w": 3.01, "b": 2.0}], [0], both)["verdict"] == "not reproduced"


def test_no_finished_seed_gives_no_verdict_and_missing_or_nan_metrics_do_not_count():
    assert summarize([], [], CLAIM)["verdict"] is None
    s = summarize([{"test_acc": float("nan")}, {"test_acc": 0.94}], [0, 1], CLAIM)
    assert s["metrics"]["test_acc"]["mean"] == pytest.approx(0.94)
    missing = summarize([{"loss": 1.0}], [0], CLAIM)
    assert missing["verdict"] == "not reproduced" and "best_seed" not in missing
