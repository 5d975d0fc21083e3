"""What the plain loop (``loop.train``) and the stacked loop (``sweep.train_stacked``) share, written once.

Both follow the paper's notebooks/train.py: minibatches taken in order, cycling through the training
set, never shuffled; the test set evaluated whole every ``eval_every`` steps and at the last step, whose
evaluation is the result (never the best one seen: picking the best on the test set would be tuning on
it). Both sum the per-step loss on the device and read it back (one sync) only at evaluations, so the
loop never waits for the GPU between steps, and call ``on_progress`` once per step, a plain Python call.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Mapping
from typing import Any

import torch

from training.reference.configs import TrainConfig
from training.reference.datasets import Dataset
from training.reference.errors import RunCancelled

__all__ = [
    "Clock",
    "batch",
    "first_reached",
    "is_evaluation",
    "make_optimizer",
    "mean_loss",
    "report",
    "weights_to_bytes",
]


def make_optimizer(params: Any, cfg: TrainConfig, *, capturable: bool = False) -> torch.optim.Optimizer:
    """The run's optimiser. ``capturable`` (CUDA only) keeps Adam's step count on the device, so the
    stacked loop can replay the update from a CUDA graph; SGD needs no such flag."""
    if cfg.optimizer == "adam":
        # Adam's weight_decay is an L2 term in the gradient, as in the paper's code (not AdamW).
        return torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay, capturable=capturable)
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)
    raise ValueError(f"unknown optimizer {cfg.optimizer!r}")


def batch(data: Dataset, step: int, batch_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The minibatch of ``step`` (steps count from 1): in order, cycling, as the paper's
    ``bix = (step * bs) % n``. Shorter at the end of an epoch when the batch size does not divide the
    training set, as the paper's slicing; the seed never changes it, so N stacked models share it."""
    start = ((step - 1) * batch_size) % data.x_train.shape[0]
    xb = data.x_train[start : start + batch_size]  # B x ...
    yb = data.y_train[start : start + batch_size]  # B (or B x 1 for regression)
    return xb, yb


def is_evaluation(step: int, cfg: TrainConfig) -> bool:
    return step % cfg.eval_every == 0 or step == cfg.steps


def mean_loss(loss_sum: torch.Tensor, step: int, cfg: TrainConfig) -> torch.Tensor:
    """train_loss at evaluation ``step``: the mean minibatch loss since the previous evaluation.

    ``loss_sum`` (a scalar, or N for stacked models) holds the losses summed since then, on the device;
    it is zeroed in place for the next interval (in place: a captured CUDA graph writes to it).
    """
    previous = (step - 1) // cfg.eval_every * cfg.eval_every  # evaluations fall on multiples of eval_every
    mean = loss_sum / (step - previous)
    loss_sum.zero_()
    return mean


def first_reached(
    target: float | None, entry: Mapping[str, Any], reached_s: float | None, train_s: float
) -> float | None:
    """Time to target: ``train_s`` at the first evaluation whose test_acc reached ``target`` (so its
    resolution is one evaluation interval), kept from then on; None until then or without a target."""
    if reached_s is None and target is not None and entry.get("test_acc", 0.0) >= target:
        return train_s
    return reached_s


def report(
    on_progress: Callable[[int, int, Any], bool | None] | None,
    step: int,
    total: int,
    metrics: Any,
    histories: list[list[dict[str, Any]]],
) -> None:
    """Call ``on_progress(step, total, metrics)``; stop training if it returns False or raises
    ``RunCancelled``. The ``RunCancelled`` that leaves carries the step and ``histories`` (one per model)."""
    if on_progress is None:
        return
    try:
        keep_going = on_progress(step, total, metrics)
    except RunCancelled as exc:
        exc.step = step if exc.step is None else exc.step
        exc.histories = histories
        raise
    if keep_going is False:  # None (no return value) means carry on
        raise RunCancelled(
            f"training cancelled by on_progress at step {step}", step=step, histories=histories
        )


class Clock:
    """Training time and evaluation time, kept apart.

    ``pause()`` as an evaluation starts, ``resume()`` once it and its progress report are done (a no-op
    between evaluations): evaluations and callbacks are not training time. On CUDA every reading waits
    for the queued kernels, or the clock would measure only their launches.
    """

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.train_s = 0.0
        self.eval_s = 0.0
        self._paused_at: float | None = None
        self._resumed_at = self._now()

    def pause(self) -> None:
        self._paused_at = self._now()
        self.train_s += self._paused_at - self._resumed_at

    def resume(self) -> None:
        if self._paused_at is None:
            return
        self._resumed_at = self._now()
        self.eval_s += self._resumed_at - self._paused_at
        self._paused_at = None

    def _now(self) -> float:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        return time.perf_counter()


def weights_to_bytes(state: Mapping[str, torch.Tensor]) -> bytes:
    """``torch.save`` of a state_dict as CPU tensors, so it loads on a machine without the training GPU."""
    buffer = io.BytesIO()
    torch.save({name: tensor.detach().cpu() for name, tensor in state.items()}, buffer)
    return buffer.getvalue()
