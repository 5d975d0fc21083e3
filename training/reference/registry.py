"""What can be trained on what: network names, dataset names, and the validation of a whole run config.

Torch-free: ``spec()`` turns a user's JSON run config into a fully validated ``RunSpec`` without
importing torch, so the web side can reject a bad config before it reaches a worker. The worker then
imports the network module named here (``NetworkInfo.module``) to build the model.

A run config is a dict::

    {"network": "cnn1d",              # required, one of NETWORKS
     "dataset": "mnist1d",            # optional, defaults to the network's first compatible dataset
     "model": {"channels": 25},       # optional overrides of the network's config
     "train": {"steps": 6000}}        # optional overrides of the dataset's default protocol

Shape fields of the model (input size, sequence length, image side, number of classes) follow from
the dataset; they may be given, but only with the value the dataset implies.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from training.reference.configs import (
    CNN1dConfig,
    CNN2dConfig,
    GRUConfig,
    LinearRegressionConfig,
    LogisticRegressionConfig,
    LSTMConfig,
    MLPConfig,
    NetworkConfig,
    TrainConfig,
)
from training.reference.errors import ConfigError

Task = Literal["regression", "classification"]
T = TypeVar("T")


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    task: Task
    input_shape: tuple[int, ...]  # one example, without the batch dimension
    n_classes: int | None  # None for regression
    n_train: int
    n_test: int
    default_train: TrainConfig  # the protocol a run gets unless it overrides fields
    description: str

    @property
    def n_features(self) -> int:
        return math.prod(self.input_shape)


@dataclass(frozen=True)
class NetworkInfo:
    name: str
    config_cls: type[NetworkConfig]
    module: str  # dotted path of the module whose build_model(config) builds it
    datasets: tuple[str, ...]  # datasets it can be trained on; the first is the default
    derive: Callable[[DatasetInfo], dict[str, int]]  # shape fields implied by a dataset
    description: str


# Linear regression protocol: full-batch gradient descent, lr 0.5, 500 steps.
# Why not the seed document's 1000 steps at lr 0.01: with x ~ U[0, 1) the MSE Hessian is
# 2 [[E x^2, E x], [E x, 1]] ~ 2 [[1/3, 1/2], [1/2, 1]], eigenvalues ~2.54 and ~0.13. Gradient descent
# shrinks the error along the slow direction by (1 - lr * 0.13) per step: at lr 0.01 that is 0.9987, so
# after 1000 steps ~27% of the initial error is left (w, b visibly off). lr 0.5 is below the stability
# limit 2 / 2.54 ~ 0.79 and shrinks the slow error by 0.93 per step, i.e. below 1e-6 of the start within
# ~250 steps; 500 steps leaves a wide margin. Plain full-batch GD also keeps the run deterministic and
# exactly the algorithm the closed form is compared with.
_REGRESSION_TRAIN = TrainConfig(optimizer="sgd", lr=0.5, batch_size=100, steps=500, eval_every=25)

# Paper protocol (notebooks/train.py): Adam, lr 1e-2, batch 100, in-order batches, eval every 250 steps.
_MNIST1D_TRAIN = TrainConfig(optimizer="adam", lr=1e-2, batch_size=100, steps=6000, eval_every=250)

# Digits (1437 training images): same recipe, fewer steps; ~140 epochs is well past convergence.
_DIGITS_TRAIN = TrainConfig(optimizer="adam", lr=1e-3, batch_size=100, steps=2000, eval_every=100)

DATASETS: Mapping[str, DatasetInfo] = MappingProxyType(
    {
        "regression": DatasetInfo(
            name="regression",
            task="regression",
            input_shape=(1,),
            n_classes=None,
            n_train=100,
            n_test=100,
            default_train=_REGRESSION_TRAIN,
            description="Synthetic y = 3x + 2 + u, x and u ~ U[0, 1); fixed data seed. Least squares: w~3, b~2.5.",
        ),
        "mnist1d": DatasetInfo(
            name="mnist1d",
            task="classification",
            input_shape=(40,),
            n_classes=10,
            n_train=4000,
            n_test=1000,
            default_train=_MNIST1D_TRAIN,
            description="MNIST-1D (Greydanus & Kobak 2024), generated locally with the paper's default args.",
        ),
        "digits": DatasetInfo(
            name="digits",
            task="classification",
            input_shape=(1, 8, 8),
            n_classes=10,
            n_train=1437,
            n_test=360,
            default_train=_DIGITS_TRAIN,
            description="scikit-learn 8x8 digits, pixels scaled to [0, 1], fixed stratified 80/20 split.",
        ),
    }
)


def _flat(info: DatasetInfo) -> dict[str, int]:
    return {"in_features": info.n_features, "n_classes": info.n_classes or 0}


def _sequence(info: DatasetInfo) -> dict[str, int]:
    return {"length": info.input_shape[-1], "n_classes": info.n_classes or 0}


def _network(
    name: str,
    config_cls: type[NetworkConfig],
    datasets: tuple[str, ...],
    derive: Callable[[DatasetInfo], dict[str, int]],
    description: str,
    module: str | None = None,
) -> NetworkInfo:
    """One entry of NETWORKS; its module is ``training.reference.networks.<module or name>``."""
    return NetworkInfo(
        name=name,
        config_cls=config_cls,
        module=f"training.reference.networks.{module or name}",
        datasets=datasets,
        derive=derive,
        description=description,
    )


# Each network once: name, config, datasets (the first is the default), shape fields, description.
NETWORKS: Mapping[str, NetworkInfo] = MappingProxyType(
    {
        info.name: info
        for info in (
            _network(
                "linear",
                LinearRegressionConfig,
                ("regression",),
                lambda info: {"in_features": info.n_features, "out_features": 1},
                "Linear regression, 1 input -> 1 output, MSE loss.",
            ),
            _network(
                "logreg",
                LogisticRegressionConfig,
                ("mnist1d", "digits"),
                _flat,
                "Logistic regression: one linear layer, 40 -> 10 on MNIST-1D.",
            ),
            _network(
                "mlp",
                MLPConfig,
                ("mnist1d", "digits"),
                _flat,
                "Paper MLP: 40 -> 100 -> 100 (residual) -> 10, ReLU.",
            ),
            _network(
                "cnn1d",
                CNN1dConfig,
                ("mnist1d",),
                _sequence,
                "Paper CNN: 3 x Conv1d(25 channels, kernel 5/3/3, stride 2), ReLU, linear 125 -> 10.",
            ),
            _network(
                "gru",
                GRUConfig,
                ("mnist1d",),
                _sequence,
                "Paper GRU: bidirectional, hidden 6, all 40 outputs flattened, linear 480 -> 10.",
                module="recurrent",
            ),
            _network(
                "lstm",
                LSTMConfig,
                ("mnist1d",),
                _sequence,
                "As the GRU, with an LSTM cell.",
                module="recurrent",
            ),
            _network(
                "cnn2d",
                CNN2dConfig,
                ("digits",),
                lambda info: {"side": info.input_shape[-1], "n_classes": info.n_classes or 0},
                "2-D CNN for 8x8 digits: conv 16 -> conv 32 (3x3), max-pool, linear 512 -> 10.",
            ),
        )
    }
)


@dataclass(frozen=True)
class RunSpec:
    """A validated run: which network on which dataset, its config and the protocol."""

    network: str
    dataset: str
    model: NetworkConfig
    train: TrainConfig

    @property
    def network_info(self) -> NetworkInfo:
        return NETWORKS[self.network]

    @property
    def dataset_info(self) -> DatasetInfo:
        return DATASETS[self.dataset]

    @property
    def task(self) -> Task:
        return self.dataset_info.task

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON; ``spec(run_spec.to_dict()) == run_spec``."""
        return {
            "network": self.network,
            "dataset": self.dataset,
            "model": self.model.to_dict(),
            "train": self.train.to_dict(),
        }


_RUN_KEYS = ("network", "dataset", "model", "train")


def spec(config: Mapping[str, Any]) -> RunSpec:
    """Validate a whole run config (network, dataset, model overrides, protocol) without torch.

    Raises ``ConfigError`` (a ``ValueError``) with a message fit for an end user; its ``field`` is the
    dotted key at fault (``"train.lr"``).
    """
    if not isinstance(config, Mapping):
        raise ConfigError(f"a run config must be a mapping, got {type(config).__name__}")
    unknown = sorted(str(k) for k in config if k not in _RUN_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown key(s) in run config: {', '.join(unknown)} (allowed: {', '.join(_RUN_KEYS)})",
            field=unknown[0],
        )

    network = config.get("network")
    if not isinstance(network, str) or network not in NETWORKS:
        raise ConfigError(f"network must be one of {', '.join(NETWORKS)}, got {network!r}", field="network")
    net = NETWORKS[network]

    dataset = config.get("dataset") or net.datasets[0]
    if not isinstance(dataset, str) or dataset not in DATASETS:
        raise ConfigError(f"dataset must be one of {', '.join(DATASETS)}, got {dataset!r}", field="dataset")
    if dataset not in net.datasets:
        raise ConfigError(
            f"network {network!r} cannot be trained on dataset {dataset!r} (it takes: {', '.join(net.datasets)})",
            field="dataset",
        )
    data = DATASETS[dataset]

    model = _with_prefix("model", lambda: _model_config(net, data, config.get("model")))
    train = _with_prefix("train", lambda: _train_config(data, config.get("train")))
    return RunSpec(network=network, dataset=dataset, model=model, train=train)


def _model_config(net: NetworkInfo, data: DatasetInfo, overrides: Any) -> NetworkConfig:
    overrides = _mapping(overrides, "model")
    derived = net.derive(data)
    for key, value in derived.items():
        if key in overrides and overrides[key] != value:
            raise ConfigError(
                f"{key} is set by dataset {data.name!r} to {value}; got {overrides[key]!r}", field=key
            )
    return net.config_cls.from_dict({**overrides, **derived})


def _train_config(data: DatasetInfo, overrides: Any) -> TrainConfig:
    overrides = _mapping(overrides, "train")
    train = TrainConfig.from_dict({**data.default_train.to_dict(), **overrides})
    if train.target_acc is not None and data.task != "classification":
        raise ConfigError("target_acc applies only to classification datasets", field="target_acc")
    return train


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{name} must be a mapping, got {type(value).__name__}")
    return value


def _with_prefix(section: str, build: Callable[[], T]) -> T:
    """Run ``build`` and prefix a ``ConfigError``'s field (and message) with the config section."""
    try:
        return build()
    except ConfigError as exc:
        field = f"{section}.{exc.field}" if exc.field else section
        raise ConfigError(f"{section}: {exc}", field=field) from None


def default_config(network: str, dataset: str | None = None) -> dict[str, Any]:
    """The full default run config for a network (e.g. to prefill a form)."""
    return spec({"network": network, "dataset": dataset}).to_dict()


def builder(network: str) -> Callable[[NetworkConfig], Any]:
    """The ``build_model`` function of a network. Imports its module, and so torch, on first use."""
    if not isinstance(network, str) or network not in NETWORKS:
        raise ConfigError(f"network must be one of {', '.join(NETWORKS)}, got {network!r}", field="network")
    return importlib.import_module(NETWORKS[network].module).build_model
