"""``run()``: one reference training run, start to finish, with everything needed to report it.

Seeds, devices and data loading are handled here and only here: ``run_sweep`` starts the same way
(``set_up``, ``build_seeded``, ``deterministic_backends``) and returns a ``RunResult`` per seed. The run
seed changes only the initial weights: the data are fixed (see ``datasets``) and batches are taken in
order, so two runs with the same seed on the same machine and device give the same numbers.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform
import random
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from training.reference import common, datasets, loop
from training.reference.datasets import Dataset
from training.reference.errors import RunCancelled
from training.reference.loop import ProgressCallback
from training.reference.networks import build_model, count_params
from training.reference.networks.linear import least_squares
from training.reference.registry import RunSpec, spec

__all__ = [
    "RunCancelled",
    "RunResult",
    "SetUp",
    "build_seeded",
    "check_seed",
    "deterministic_backends",
    "environment",
    "resolve_device",
    "run",
    "run_timings",
    "seed_everything",
    "set_up",
]

MAX_SEED = 2**32 - 1  # numpy's legacy seeding takes 32 bits


@dataclass
class RunResult:
    spec: RunSpec
    seed: int
    history: list[dict[str, Any]]  # one entry per evaluation: step, train_loss, test_loss, test_acc, ...
    final: dict[str, Any]  # the evaluation at the last step (never the best one)
    timings: dict[str, float | None]  # wall_s, data_s, train_s, eval_s, samples_per_s, time_to_target_s
    environment: dict[str, Any]  # torch, cuda, gpu, device, host, python, ...
    n_params: int
    weights: bytes = field(repr=False)  # torch.save of the final state_dict (CPU tensors)

    def to_dict(self) -> dict[str, Any]:
        """Everything but the weights, as plain JSON types."""
        return {
            "config": self.spec.to_dict(),
            "seed": self.seed,
            "n_params": self.n_params,
            "history": [dict(h) for h in self.history],
            "final": dict(self.final),
            "timings": dict(self.timings),
            "environment": dict(self.environment),
        }

    def state_dict(self) -> dict[str, torch.Tensor]:
        """The final weights back as a state_dict (CPU), e.g. for ``build_model(...).load_state_dict``."""
        return torch.load(io.BytesIO(self.weights), map_location="cpu", weights_only=True)


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, numpy's global RNG and torch (CPU and every CUDA device)."""
    check_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds all CUDA devices


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """ "auto" -> cuda if available, else cpu. An explicit cuda device that is not there is an error."""
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    resolved = torch.device(device)
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"device {str(resolved)!r} requested but CUDA is not available")
    if resolved.type not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda[:N]', got {str(resolved)!r}")
    return resolved


def environment(device: torch.device) -> dict[str, Any]:
    """Where a run ran, for the record next to its numbers."""
    cuda = device.type == "cuda"
    return {
        "device": str(device),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,  # None on CPU-only builds
        "cudnn": torch.backends.cudnn.version() if cuda else None,
        "gpu": torch.cuda.get_device_name(device) if cuda else None,
        "tf32_conv": bool(torch.backends.cudnn.allow_tf32) if cuda else None,
        "tf32_matmul": bool(torch.backends.cuda.matmul.allow_tf32) if cuda else None,
        "cpu": _cpu_model(),
        "cpu_threads": torch.get_num_threads(),
        "numpy": np.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "host": socket.gethostname(),
    }


def run(
    config: RunSpec | Mapping[str, Any],
    *,
    seed: int,
    device: str | torch.device = "auto",
    on_progress: ProgressCallback | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> RunResult:
    """Train one reference network and return its history, final metrics, timings and weights.

    ``config`` is a ``RunSpec`` or a run config dict (see ``registry.spec``). ``on_progress(step,
    total_steps, metrics_or_None)`` is called after every step; returning False or raising
    ``RunCancelled`` stops the run, and ``RunCancelled`` propagates out of ``run()``.
    ``data_dir`` is the MNIST-1D cache folder (default ``$DEEPCOMMONS_DATA_DIR`` or ``var/datasets``).
    """
    check_seed(seed)
    setup = set_up(config, device, data_dir)
    run_spec = setup.spec
    with deterministic_backends():
        model = build_seeded(run_spec, seed).to(setup.device)
        extra = _coefficients if hasattr(model, "coefficients") else None
        result = loop.train(
            model,
            setup.data,
            run_spec.train,
            task=run_spec.task,
            on_progress=on_progress,
            extra_metrics=extra,
        )

    return RunResult(
        spec=run_spec,
        seed=seed,
        history=result.history,
        final={**result.history[-1], **setup.optimum()},
        timings=run_timings(
            wall_s=time.perf_counter() - setup.started,
            data_s=setup.data_s,
            train_s=result.train_s,
            eval_s=result.eval_s,
            samples=result.samples,
            time_to_target_s=result.time_to_target_s,
        ),
        environment=environment(setup.device),
        n_params=count_params(model),
        weights=common.weights_to_bytes(model.state_dict()),
    )


@dataclass
class SetUp:
    """What a run and a sweep start from: the checked spec, the device and the data on it."""

    spec: RunSpec
    device: torch.device
    data: Dataset  # on ``device``
    started: float  # time.perf_counter() when set-up began: the start of wall_s
    data_s: float  # time to load the data onto the device

    def optimum(self) -> dict[str, float]:
        """For a regression, the least-squares fit (lstsq_w, lstsq_b) reported beside the final metrics."""
        if self.spec.task != "regression":
            return {}
        return least_squares(self.data.x_train, self.data.y_train)


def set_up(
    config: RunSpec | Mapping[str, Any],
    device: str | torch.device,
    data_dir: str | os.PathLike[str] | None,
) -> SetUp:
    started = time.perf_counter()
    run_spec = config if isinstance(config, RunSpec) else spec(config)
    dev = resolve_device(device)
    data = datasets.load(run_spec.dataset, data_dir).to(dev)
    return SetUp(run_spec, dev, data, started, time.perf_counter() - started)


def build_seeded(run_spec: RunSpec, seed: int) -> nn.Module:
    """The run's initial model, on the CPU. Seeded after the data are loaded (``set_up``), so only
    the initial weights depend on the seed, and a sweep's model i is exactly run i's."""
    seed_everything(seed)
    return build_model(run_spec.network, run_spec.model)


def run_timings(
    *,
    wall_s: float,
    data_s: float,
    train_s: float,
    eval_s: float,
    samples: int,
    time_to_target_s: float | None,
) -> dict[str, float | None]:
    return {
        "wall_s": wall_s,
        "data_s": data_s,
        "train_s": train_s,
        "eval_s": eval_s,
        "samples_per_s": samples / train_s if train_s > 0 else None,
        "time_to_target_s": time_to_target_s,
    }


def _cpu_model() -> str:
    """The processor's marketing name (Linux), else what platform knows; for the hardware column."""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _coefficients(model: nn.Module) -> dict[str, Any]:
    return model.coefficients()  # type: ignore[operator]  # only called when the model has it


def check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer between 0 and {MAX_SEED}, got {seed!r}")


@contextlib.contextmanager
def deterministic_backends() -> Iterator[None]:
    """cuDNN in deterministic mode for the run, restored afterwards (the worker may run other code).

    benchmark=False because autotuning may pick a different kernel run to run. This does not call
    torch.use_deterministic_algorithms (process-wide, and it needs CUBLAS_WORKSPACE_CONFIG set before
    CUDA starts); on CPU runs are bitwise repeatable without it.
    """
    saved = torch.backends.cudnn.benchmark, torch.backends.cudnn.deterministic
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    try:
        yield
    finally:
        torch.backends.cudnn.benchmark, torch.backends.cudnn.deterministic = saved
