"""The one training loop and its evaluation.

As the paper's notebooks/train.py: minibatches taken in order, cycling through the training set
(step i uses rows [(i * batch_size) % n, ... + batch_size)), no shuffling; the test set is evaluated
whole every ``eval_every`` steps and at the last step. The reported result is the evaluation at the
last step, never the best one seen (picking the best on the test set would be tuning on it).

Cheap by construction: the per-step loss is accumulated on the device and read back (one sync) only at
evaluation points, so the loop never waits for the GPU between steps, and ``on_progress`` is a plain
Python call per step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from training.reference.configs import TrainConfig
from training.reference.datasets import Dataset
from training.reference.errors import RunCancelled
from training.reference.registry import Task

__all__ = ["LoopResult", "ProgressCallback", "RunCancelled", "evaluate", "make_optimizer", "train"]

# on_progress(step, total_steps, metrics): metrics is the new history entry at evaluation steps, else
# None. Return False (or raise RunCancelled) to stop the run.
ProgressCallback = Callable[[int, int, dict[str, Any] | None], bool | None]


@dataclass
class LoopResult:
    history: list[dict[str, Any]]  # one entry per evaluation, the last one is at the final step
    train_s: float  # time in optimisation steps, evaluations and evaluation callbacks excluded
    eval_s: float
    samples: int  # training examples processed (the last batch of an epoch may be short)
    time_to_target_s: float | None = None  # train_s when test_acc first reached target_acc


def make_optimizer(params: Any, cfg: TrainConfig) -> torch.optim.Optimizer:
    if cfg.optimizer == "adam":
        # Adam's weight_decay is an L2 term in the gradient, as in the paper's code (not AdamW).
        return torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)
    raise ValueError(f"unknown optimizer {cfg.optimizer!r}")


def loss_fn(task: Task) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    # regression: outputs and targets N x 1 float; classification: logits N x C, labels N int64
    return F.mse_loss if task == "regression" else F.cross_entropy


@torch.no_grad()
def evaluate(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, task: Task, prefix: str = "test"
) -> dict[str, float]:
    """Loss (and accuracy for classification) on a whole split, in one forward pass and one sync."""
    was_training = model.training
    model.eval()
    out = model(x)  # N x 1 or N x C
    loss = loss_fn(task)(out, y)
    if task == "regression":
        (loss_value,) = loss.reshape(1).tolist()
        metrics = {f"{prefix}_loss": loss_value, f"{prefix}_mse": loss_value}
    else:
        acc = (out.argmax(dim=1) == y).float().mean()  # scalar
        loss_value, acc_value = torch.stack([loss, acc]).tolist()
        metrics = {f"{prefix}_loss": loss_value, f"{prefix}_acc": acc_value}
    model.train(was_training)
    return metrics


def train(
    model: nn.Module,
    data: Dataset,
    cfg: TrainConfig,
    *,
    task: Task,
    on_progress: ProgressCallback | None = None,
    extra_metrics: Callable[[nn.Module], dict[str, Any]] | None = None,
) -> LoopResult:
    """Train ``model`` in place on ``data`` (model and data already on the same device).

    Each history entry: step, train_loss (mean minibatch loss since the previous evaluation), test_loss,
    and test_acc + train_acc (whole training set) for classification or test_mse for regression,
    plus whatever ``extra_metrics(model)`` returns (w and b for the linear regression).
    Raises ``RunCancelled`` (with ``step`` and ``history`` set) if ``on_progress`` asks to stop.
    """
    device = data.x_train.device
    optimizer = make_optimizer(model.parameters(), cfg)
    criterion = loss_fn(task)
    n_train = data.x_train.shape[0]
    bs = cfg.batch_size

    history: list[dict[str, Any]] = []
    loss_sum = torch.zeros((), device=device)  # summed on the device; read at evaluations only
    losses_since_eval = 0
    samples = 0
    train_s = eval_s = 0.0
    time_to_target: float | None = None

    model.train()
    t0 = _now(device)
    for step in range(1, cfg.steps + 1):  # step = number of updates done once this iteration ends
        start = ((step - 1) * bs) % n_train  # in order, cycling: the paper's bix = (step * bs) % n
        # B x ...; shorter at the end of an epoch when bs does not divide n (as the paper's slicing)
        xb = data.x_train[start : start + bs]
        yb = data.y_train[start : start + bs]  # B (or B x 1 for regression)

        loss = criterion(model(xb), yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

        loss_sum += loss.detach()
        losses_since_eval += 1
        samples += xb.shape[0]

        metrics = None
        if step % cfg.eval_every == 0 or step == cfg.steps:
            t1 = _now(device)
            train_s += t1 - t0
            metrics = {"step": step, "train_loss": (loss_sum / losses_since_eval).item()}
            metrics.update(evaluate(model, data.x_test, data.y_test, task, prefix="test"))
            if task == "classification":
                on_train = evaluate(model, data.x_train, data.y_train, task, prefix="train")
                metrics["train_acc"] = on_train["train_acc"]  # train_loss stays the minibatch mean
            if extra_metrics is not None:
                metrics.update(extra_metrics(model))
            history.append(metrics)
            loss_sum.zero_()
            losses_since_eval = 0
            target = cfg.target_acc
            if target is not None and time_to_target is None and metrics.get("test_acc", 0.0) >= target:
                time_to_target = train_s  # resolution: one evaluation interval

        if on_progress is not None:
            _report(on_progress, step, cfg.steps, metrics, history)

        if metrics is not None:  # evaluation and its callback are not training time
            t0 = _now(device)
            eval_s += t0 - t1

    return LoopResult(
        history=history, train_s=train_s, eval_s=eval_s, samples=samples, time_to_target_s=time_to_target
    )


def _report(
    on_progress: ProgressCallback,
    step: int,
    total: int,
    metrics: dict[str, Any] | None,
    history: list[dict[str, Any]],
) -> None:
    try:
        keep_going = on_progress(step, total, metrics)
    except RunCancelled as exc:
        exc.step = step if exc.step is None else exc.step
        exc.history = history
        raise
    if keep_going is False:  # None (no return value) means carry on
        cancelled = RunCancelled(f"run cancelled by on_progress at step {step}", step=step)
        cancelled.history = history
        raise cancelled


def _now(device: torch.device) -> float:
    # CUDA kernels run asynchronously: wait for them, or the clock would measure only the launches.
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter()
