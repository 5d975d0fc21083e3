"""Config dataclasses for the reference networks and the training protocol.

Torch-free on purpose (no torch, no numpy): the web side validates user-submitted configs with these
classes without importing torch. Every class is frozen and validates itself on construction, so an
instance that exists is one that can be trained; ``validate()`` is public for callers that want to
re-check. Bounds are deliberately tight: they are what a shared CPU/GPU worker will accept.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from training.reference.errors import ConfigError

# Protocol bounds (the web forms show the same numbers).
MAX_STEPS = 100_000
MAX_BATCH_SIZE = 4096
MAX_LR = 10.0
OPTIMIZERS = ("adam", "sgd")

# Architecture bounds: generous for experiments, small enough that no config can exhaust a worker.
MAX_FEATURES = 4096
MAX_WIDTH = 1024
MAX_CLASSES = 1000


def _check_int(name: str, value: object, lo: int, hi: int) -> None:
    # bool is an int subclass; True as a batch size is a bug in the caller, not a 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be an integer, got {value!r}", field=name)
    if not lo <= value <= hi:
        raise ConfigError(f"{name} must be between {lo} and {hi}, got {value}", field=name)


def _check_float(name: str, value: object, lo: float, hi: float, *, lo_open: bool, hi_open: bool) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{name} must be a number, got {value!r}", field=name)
    if not math.isfinite(value):
        raise ConfigError(f"{name} must be finite, got {value}", field=name)
    above = value > lo if lo_open else value >= lo
    below = value < hi if hi_open else value <= hi
    if not (above and below):
        interval = f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
        raise ConfigError(f"{name} must be in {interval}, got {value}", field=name)


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ConfigError(f"{name} must be true or false, got {value!r}", field=name)


def conv_out_length(length: int, kernel: int, stride: int, padding: int) -> int:
    """Output length of a Conv1d/Conv2d axis (PyTorch's formula, dilation 1)."""
    return (length + 2 * padding - kernel) // stride + 1


@dataclass(frozen=True)
class BaseConfig:
    """Shared plumbing: validation on construction, dict round trip that refuses unknown keys."""

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ``ConfigError`` (a ``ValueError``) if a field is out of bounds."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Self:
        """Build from a plain dict (JSON); missing keys take their defaults, unknown keys are an error.

        Unknown keys are rejected rather than ignored because a typo ("learning_rate" for "lr") would
        otherwise silently train with the default.
        """
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigError(f"{cls.__name__} expects a mapping, got {type(data).__name__}")
        allowed = cls.field_names()
        unknown = sorted(str(k) for k in data if k not in allowed)
        if unknown:
            raise ConfigError(
                f"unknown key(s) for {cls.__name__}: {', '.join(unknown)} (allowed: {', '.join(allowed)})",
                field=unknown[0],
            )
        return cls(**data)


# --- networks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkConfig(BaseConfig):
    """Base of the per-network configs. ``network`` is the registry name it belongs to."""

    network: ClassVar[str] = ""


@dataclass(frozen=True)
class LinearRegressionConfig(NetworkConfig):
    """y = w x + b: one input, one output."""

    network: ClassVar[str] = "linear"
    in_features: int = 1
    out_features: int = 1

    def validate(self) -> None:
        _check_int("in_features", self.in_features, 1, MAX_FEATURES)
        _check_int("out_features", self.out_features, 1, MAX_FEATURES)


@dataclass(frozen=True)
class LogisticRegressionConfig(NetworkConfig):
    """One linear layer to class logits (softmax lives in the loss). Paper: 40 -> 10."""

    network: ClassVar[str] = "logreg"
    in_features: int = 40
    n_classes: int = 10

    def validate(self) -> None:
        _check_int("in_features", self.in_features, 1, MAX_FEATURES)
        _check_int("n_classes", self.n_classes, 2, MAX_CLASSES)


@dataclass(frozen=True)
class MLPConfig(NetworkConfig):
    """Paper's MLPBase: in -> hidden -> hidden (residual) -> classes, ReLU. Paper: 40 -> 100 -> 100 -> 10."""

    network: ClassVar[str] = "mlp"
    in_features: int = 40
    hidden: int = 100
    n_classes: int = 10

    def validate(self) -> None:
        _check_int("in_features", self.in_features, 1, MAX_FEATURES)
        _check_int("hidden", self.hidden, 1, MAX_WIDTH)
        _check_int("n_classes", self.n_classes, 2, MAX_CLASSES)


@dataclass(frozen=True)
class CNN1dConfig(NetworkConfig):
    """Paper's ConvBase: three Conv1d (kernel 5/3/3, stride 2, padding 1), ReLU, flatten, linear.

    Kernels, strides and padding are fixed to the paper's; only widths are configurable.
    """

    network: ClassVar[str] = "cnn1d"
    KERNELS: ClassVar[tuple[int, int, int]] = (5, 3, 3)
    STRIDE: ClassVar[int] = 2
    PADDING: ClassVar[int] = 1

    length: int = 40
    channels: int = 25
    n_classes: int = 10

    def validate(self) -> None:
        # 3 is the shortest input the first kernel (5, padding 1) still fits.
        _check_int("length", self.length, 3, MAX_FEATURES)
        _check_int("channels", self.channels, 1, MAX_WIDTH)
        _check_int("n_classes", self.n_classes, 2, MAX_CLASSES)

    @property
    def out_length(self) -> int:
        """Length after the three convolutions: 40 -> 19 -> 10 -> 5 for the paper's input."""
        length = self.length
        for kernel in self.KERNELS:
            length = conv_out_length(length, kernel, self.STRIDE, self.PADDING)
        return length

    @property
    def flat_features(self) -> int:
        """Input width of the final linear layer: 25 channels * 5 = 125 in the paper."""
        return self.channels * self.out_length


@dataclass(frozen=True)
class RecurrentConfig(NetworkConfig):
    """Paper's GRUBase: one scalar per time step, every step's output flattened into a linear layer."""

    length: int = 40
    hidden: int = 6
    bidirectional: bool = True
    n_classes: int = 10

    def validate(self) -> None:
        _check_int("length", self.length, 1, MAX_FEATURES)
        _check_int("hidden", self.hidden, 1, MAX_WIDTH)
        _check_bool("bidirectional", self.bidirectional)
        _check_int("n_classes", self.n_classes, 2, MAX_CLASSES)

    @property
    def flat_features(self) -> int:
        """length * directions * hidden: 40 * 2 * 6 = 480 in the paper."""
        return self.length * (2 if self.bidirectional else 1) * self.hidden


@dataclass(frozen=True)
class GRUConfig(RecurrentConfig):
    network: ClassVar[str] = "gru"


@dataclass(frozen=True)
class LSTMConfig(RecurrentConfig):
    network: ClassVar[str] = "lstm"


@dataclass(frozen=True)
class CNN2dConfig(NetworkConfig):
    """Small image CNN for 8x8 digits: conv3x3 -> ReLU -> conv3x3 -> ReLU -> maxpool 2 -> linear.

    Input is channels-first, N x 1 x side x side (PyTorch's layout).
    """

    network: ClassVar[str] = "cnn2d"
    side: int = 8
    channels1: int = 16
    channels2: int = 32
    n_classes: int = 10

    def validate(self) -> None:
        _check_int("side", self.side, 2, 256)  # the 2x2 max-pool needs at least 2 pixels
        _check_int("channels1", self.channels1, 1, MAX_WIDTH)
        _check_int("channels2", self.channels2, 1, MAX_WIDTH)
        _check_int("n_classes", self.n_classes, 2, MAX_CLASSES)

    @property
    def flat_features(self) -> int:
        """channels2 * (side // 2)^2: 32 * 4 * 4 = 512 for 8x8 input."""
        return self.channels2 * (self.side // 2) ** 2


# --- protocol ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainConfig(BaseConfig):
    """The training protocol. Defaults are the MNIST-1D paper's (notebooks/train.py, 6000 steps).

    Batches are taken in order, cycling through the training set (no shuffling, as in the paper), so
    the run seed only changes the initial weights.
    """

    optimizer: str = "adam"
    lr: float = 1e-2
    batch_size: int = 100
    steps: int = 6000
    eval_every: int = 250
    weight_decay: float = 0.0
    momentum: float = 0.0  # SGD only
    target_acc: float | None = None  # if set, report the training time until test_acc first reaches it

    def validate(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(
                f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}", field="optimizer"
            )
        _check_float("lr", self.lr, 0.0, MAX_LR, lo_open=True, hi_open=False)
        _check_int("batch_size", self.batch_size, 1, MAX_BATCH_SIZE)
        _check_int("steps", self.steps, 1, MAX_STEPS)
        _check_int("eval_every", self.eval_every, 1, MAX_STEPS)
        _check_float("weight_decay", self.weight_decay, 0.0, 1.0, lo_open=False, hi_open=False)
        _check_float("momentum", self.momentum, 0.0, 1.0, lo_open=False, hi_open=True)
        if self.optimizer != "sgd" and self.momentum != 0:
            raise ConfigError("momentum applies only to the sgd optimizer", field="momentum")
        if self.target_acc is not None:
            _check_float("target_acc", self.target_acc, 0.0, 1.0, lo_open=True, hi_open=False)

    @property
    def n_evals(self) -> int:
        """Number of evaluations: every ``eval_every`` steps, plus the last step if not on the grid."""
        return self.steps // self.eval_every + (1 if self.steps % self.eval_every else 0)
