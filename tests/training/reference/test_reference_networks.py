"""Every reference network: the paper's shapes and parameter counts, and a few training steps on CPU."""

from __future__ import annotations

import pytest
import torch

from training.reference import registry
from training.reference.networks import build_model, count_params
from training.reference.run import run

# (network, dataset, parameter count). The MNIST-1D counts are the paper's models: CNN 5.2k, GRU 5.1k,
# MLP 15k (notebooks/models.py with default sizes).
CASES = [
    ("linear", "regression", 2),
    ("logreg", "mnist1d", 40 * 10 + 10),
    ("mlp", "mnist1d", (40 * 100 + 100) + (100 * 100 + 100) + (100 * 10 + 10)),
    ("cnn1d", "mnist1d", (1 * 25 * 5 + 25) + 2 * (25 * 25 * 3 + 25) + (125 * 10 + 10)),
    ("gru", "mnist1d", 2 * 3 * (6 * 1 + 6 * 6 + 6 + 6) + (480 * 10 + 10)),
    ("lstm", "mnist1d", 2 * 4 * (6 * 1 + 6 * 6 + 6 + 6) + (480 * 10 + 10)),
    ("cnn2d", "digits", (1 * 16 * 9 + 16) + (16 * 32 * 9 + 32) + (512 * 10 + 10)),
    ("logreg", "digits", 64 * 10 + 10),
    ("mlp", "digits", (64 * 100 + 100) + (100 * 100 + 100) + (100 * 10 + 10)),
]


@pytest.mark.parametrize(("network", "dataset", "n_params"), CASES, ids=lambda v: str(v))
def test_output_shape_and_parameter_count(network, dataset, n_params):
    rs = registry.spec({"network": network, "dataset": dataset})
    model = build_model(network, rs.model)
    assert count_params(model) == n_params
    info = rs.dataset_info
    x = torch.zeros(7, *info.input_shape)  # a batch of 7 in the dataset's layout
    out = model(x)
    assert out.shape == (7, info.n_classes or 1)
    assert out.dtype == torch.float32


@pytest.mark.parametrize(("network", "dataset", "n_params"), CASES, ids=lambda v: str(v))
def test_a_few_steps_reduce_the_loss(network, dataset, n_params, data_dir):
    # lr 1e-2 Adam for all but the regression (its own protocol); 60 steps, evaluated every 20.
    train = {"steps": 60, "eval_every": 20}
    result = run(
        {"network": network, "dataset": dataset, "train": train}, seed=0, device="cpu", data_dir=data_dir
    )
    history = result.history
    assert [h["step"] for h in history] == [20, 40, 60]
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert history[-1]["test_loss"] < history[0]["test_loss"] * 1.05  # no blow-up on held-out data
    assert result.n_params == n_params
    expected = {"step", "train_loss", "test_loss"} | (
        {"test_mse", "w", "b"} if dataset == "regression" else {"test_acc", "train_acc"}
    )
    assert expected <= set(history[-1])


def test_wrong_config_class_is_refused():
    with pytest.raises(TypeError, match="needs a CNN1dConfig"):
        build_model("cnn1d", registry.spec({"network": "gru"}).model)


def test_cnn1d_feature_lengths_match_the_paper():
    model = build_model("cnn1d", registry.spec({"network": "cnn1d"}).model)
    x = torch.zeros(3, 1, 40)  # N x C x L
    h1 = model.conv1(x)
    h2 = model.conv2(h1)
    h3 = model.conv3(h2)
    assert (h1.shape, h2.shape, h3.shape) == ((3, 25, 19), (3, 25, 10), (3, 25, 5))
    assert model.linear.in_features == 125


def test_recurrent_reads_one_scalar_per_step_both_directions():
    model = build_model("gru", registry.spec({"network": "gru"}).model)
    assert model.rnn.input_size == 1 and model.rnn.hidden_size == 6 and model.rnn.bidirectional
    assert model.linear.in_features == 40 * 2 * 6
