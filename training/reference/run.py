"""``run()``: one reference training run, start to finish, with everything needed to report it.

Seeds and devices are handled here and only here. The run seed changes only the initial weights: the
data are fixed (see ``datasets``) and batches are taken in order, so two runs with the same seed on the
same machine and device give the same numbers.
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

from training.reference import datasets, loop
from training.reference.errors import RunCancelled
from training.reference.loop import ProgressCallback
from training.reference.networks import build_model, count_params
from training.reference.networks.linear import least_squares
from training.reference.registry import RunSpec, spec

__all__ = ["RunCancelled", "RunResult", "environment", "resolve_device", "run", "seed_everything"]

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
    _check_seed(seed)
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
    t_start = time.perf_counter()
    run_spec = config if isinstance(config, RunSpec) else spec(config)
    _check_seed(seed)
    dev = resolve_device(device)

    data = datasets.load(run_spec.dataset, data_dir).to(dev)
    data_s = time.perf_counter() - t_start

    with _deterministic_backends():
        seed_everything(seed)  # after loading data, so only the initial weights depend on it
        model = build_model(run_spec.network, run_spec.model).to(dev)
        extra = _coefficients if hasattr(model, "coefficients") else None
        result = loop.train(
            model, data, run_spec.train, task=run_spec.task, on_progress=on_progress, extra_metrics=extra
        )

    final = dict(result.history[-1])
    if run_spec.task == "regression":
        final.update(least_squares(data.x_train, data.y_train))  # the optimum, for comparison

    return RunResult(
        spec=run_spec,
        seed=seed,
        history=result.history,
        final=final,
        timings={
            "wall_s": time.perf_counter() - t_start,
            "data_s": data_s,
            "train_s": result.train_s,
            "eval_s": result.eval_s,
            "samples_per_s": result.samples / result.train_s if result.train_s > 0 else None,
            "time_to_target_s": result.time_to_target_s,
        },
        environment=environment(dev),
        n_params=count_params(model),
        weights=_state_dict_bytes(model),
    )


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


def _state_dict_bytes(model: nn.Module) -> bytes:
    # CPU copies so the file loads on a machine without the GPU it was trained on.
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def _check_seed(seed: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be an integer between 0 and {MAX_SEED}, got {seed!r}")


@contextlib.contextmanager
def _deterministic_backends() -> Iterator[None]:
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
