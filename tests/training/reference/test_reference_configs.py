"""Config and registry validation: clear errors, dict round trips, no torch needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from training.reference import configs, registry
from training.reference.configs import TrainConfig
from training.reference.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]

ALL_CONFIGS = [
    configs.LinearRegressionConfig,
    configs.LogisticRegressionConfig,
    configs.MLPConfig,
    configs.CNN1dConfig,
    configs.GRUConfig,
    configs.LSTMConfig,
    configs.CNN2dConfig,
    configs.TrainConfig,
]


def test_configs_and_registry_import_without_torch():
    code = (
        "import sys\n"
        "import training.reference, training.reference.configs, training.reference.registry\n"
        "training.reference.registry.spec({'network': 'cnn1d', 'train': {'steps': 10}})\n"
        "bad = [m for m in ('torch', 'numpy') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    # A fresh interpreter, because this one has torch loaded already; fixed argv, no untrusted input.
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_defaults_are_the_paper_protocol():
    cfg = TrainConfig()
    assert (cfg.optimizer, cfg.lr, cfg.batch_size, cfg.steps, cfg.eval_every) == (
        "adam",
        1e-2,
        100,
        6000,
        250,
    )
    assert cfg.n_evals == 24


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"steps": 0}, "steps must be between 1 and 100000, got 0"),
        ({"steps": 100_001}, "steps must be between 1 and 100000"),
        ({"steps": 10.0}, "steps must be an integer"),
        ({"batch_size": 0}, "batch_size must be between 1 and 4096"),
        ({"batch_size": 4097}, "batch_size must be between 1 and 4096"),
        ({"batch_size": True}, "batch_size must be an integer"),
        ({"lr": 0}, "lr must be in (0, 10]"),
        ({"lr": -1e-3}, "lr must be in (0, 10]"),
        ({"lr": 10.5}, "lr must be in (0, 10]"),
        ({"lr": float("nan")}, "lr must be finite"),
        ({"lr": "0.1"}, "lr must be a number"),
        ({"optimizer": "rmsprop"}, "optimizer must be one of adam, sgd"),
        ({"eval_every": 0}, "eval_every must be between 1"),
        ({"weight_decay": -0.1}, "weight_decay must be in [0, 1]"),
        ({"momentum": 0.9}, "momentum applies only to the sgd optimizer"),
        ({"optimizer": "sgd", "momentum": 1.0}, "momentum must be in [0, 1)"),
        ({"target_acc": 1.5}, "target_acc must be in (0, 1]"),
    ],
)
def test_train_config_rejects_out_of_bounds(kwargs, message):
    with pytest.raises(ValueError) as excinfo:
        TrainConfig(**kwargs)
    assert message in str(excinfo.value)
    assert excinfo.value.field in kwargs


@pytest.mark.parametrize(
    "kwargs",
    [
        {"steps": 1, "batch_size": 1, "lr": 10},
        {"steps": 100_000, "batch_size": 4096, "lr": 1e-6, "optimizer": "sgd", "momentum": 0.9, "target_acc": 1.0},
        {"eval_every": 100_000, "weight_decay": 1.0, "optimizer": "sgd", "momentum": 0.0},
    ],
)
def test_train_config_accepts_the_bounds(kwargs):
    # Each bound is kept as given (not clamped, not replaced by a default), and validates again when
    # read back as a worker reads it.
    cfg = TrainConfig(**kwargs)
    stored = cfg.to_dict()
    assert {key: stored[key] for key in kwargs} == kwargs
    assert TrainConfig.from_dict(json.loads(json.dumps(stored))) == cfg


@pytest.mark.parametrize("cls", ALL_CONFIGS, ids=lambda c: c.__name__)
def test_round_trip_through_json(cls):
    cfg = cls()
    assert cls.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg


def test_from_dict_rejects_unknown_keys():
    with pytest.raises(
        ConfigError, match=r"unknown key\(s\) for TrainConfig: learning_rate \(allowed: optimizer, lr"
    ):
        TrainConfig.from_dict({"learning_rate": 0.1})
    with pytest.raises(ConfigError, match="expects a mapping"):
        TrainConfig.from_dict([("lr", 0.1)])


def test_configs_are_frozen():
    cfg = TrainConfig()
    with pytest.raises(AttributeError):
        cfg.lr = 1.0  # type: ignore[misc]


def test_network_shape_arithmetic_matches_the_paper():
    cnn = configs.CNN1dConfig()
    assert cnn.out_length == 5 and cnn.flat_features == 125  # 40 -> 19 -> 10 -> 5
    assert configs.GRUConfig().flat_features == 480
    assert configs.GRUConfig(bidirectional=False).flat_features == 240
    assert configs.CNN2dConfig().flat_features == 512


@pytest.mark.parametrize(
    ("cls", "kwargs", "message"),
    [
        (configs.MLPConfig, {"hidden": 0}, "hidden must be between 1 and"),
        (configs.CNN1dConfig, {"channels": 100_000}, "channels must be between 1 and"),
        (configs.GRUConfig, {"bidirectional": 1}, "bidirectional must be true or false"),
        (configs.LogisticRegressionConfig, {"n_classes": 1}, "n_classes must be between 2 and"),
    ],
)
def test_network_configs_reject_bad_values(cls, kwargs, message):
    with pytest.raises(ConfigError, match=message):
        cls(**kwargs)


# --- registry.spec -------------------------------------------------------------------------------------


def test_registry_covers_every_network_and_dataset():
    assert set(registry.NETWORKS) == {"linear", "logreg", "mlp", "cnn1d", "gru", "lstm", "cnn2d"}
    assert set(registry.DATASETS) == {"regression", "mnist1d", "digits"}
    for info in registry.NETWORKS.values():
        assert info.config_cls.network == info.name
        assert all(ds in registry.DATASETS for ds in info.datasets)


def test_spec_fills_defaults_and_derives_shapes():
    run = registry.spec({"network": "mlp", "dataset": "digits", "train": {"steps": 10}})
    assert run.model == configs.MLPConfig(in_features=64, hidden=100, n_classes=10)
    assert run.train.steps == 10 and run.train.lr == registry.DATASETS["digits"].default_train.lr
    assert run.task == "classification"
    assert registry.spec(run.to_dict()) == run

    assert registry.spec({"network": "cnn1d"}).dataset == "mnist1d"
    linear = registry.spec({"network": "linear"})
    assert (linear.dataset, linear.task, linear.train.optimizer) == ("regression", "regression", "sgd")


@pytest.mark.parametrize(
    ("config", "field", "message"),
    [
        ({"network": "resnet"}, "network", "network must be one of linear, logreg"),
        ({}, "network", "network must be one of"),
        ({"network": "cnn1d", "dataset": "imagenet"}, "dataset", "dataset must be one of"),
        ({"network": "cnn1d", "dataset": "digits"}, "dataset", "cannot be trained on dataset 'digits'"),
        ({"network": "cnn1d", "seed": 1}, "seed", "unknown key(s) in run config: seed"),
        ({"network": "cnn1d", "train": {"lr": 0}}, "train.lr", "train: lr must be in (0, 10]"),
        (
            {"network": "cnn1d", "train": {"epochs": 3}},
            "train.epochs",
            "unknown key(s) for TrainConfig: epochs",
        ),
        (
            {"network": "cnn1d", "model": {"length": 50}},
            "model.length",
            "length is set by dataset 'mnist1d' to 40",
        ),
        ({"network": "gru", "model": {"hidden": -1}}, "model.hidden", "hidden must be between"),
        (
            {"network": "linear", "train": {"target_acc": 0.9}},
            "train.target_acc",
            "applies only to classification",
        ),
        ({"network": "mlp", "model": [1]}, "model", "model must be a mapping"),
    ],
)
def test_spec_rejects_bad_run_configs(config, field, message):
    with pytest.raises(ConfigError) as excinfo:
        registry.spec(config)
    assert message in str(excinfo.value)
    assert excinfo.value.field == field


def test_default_config_is_a_full_valid_run_config():
    for network in registry.NETWORKS:
        cfg = registry.default_config(network)
        assert set(cfg) == {"network", "dataset", "model", "train"}
        assert registry.spec(cfg).to_dict() == cfg
