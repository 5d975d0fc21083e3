"""The paper's full MNIST-1D protocol (6000 Adam steps) on CPU: the accuracies the paper reports.

Slow (about 10 s per CNN run on two CPU cores). The reported number is the test accuracy at the last
step. Paper: CNN ~94%, logistic regression ~32%.
"""

from __future__ import annotations

import statistics

import pytest

from training.reference.run import run

pytestmark = pytest.mark.slow


def _final_acc(network: str, seed: int, data_dir) -> float:
    result = run({"network": network, "dataset": "mnist1d"}, seed=seed, device="cpu", data_dir=data_dir)
    assert result.history[-1]["step"] == 6000 and len(result.history) == 24
    print(
        f"{network} seed {seed}: test_acc {result.final['test_acc']:.3f}, "
        f"train {result.timings['train_s']:.1f}s, wall {result.timings['wall_s']:.1f}s"
    )
    return result.final["test_acc"]


def test_cnn1d_reaches_the_papers_accuracy(data_dir):
    accs = [_final_acc("cnn1d", seed, data_dir) for seed in (0, 1)]
    assert statistics.mean(accs) >= 0.92, accs


def test_logistic_regression_matches_the_paper(data_dir):
    accs = [_final_acc("logreg", seed, data_dir) for seed in (0, 1)]
    assert 0.30 <= statistics.mean(accs) <= 0.34, accs
