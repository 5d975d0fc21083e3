"""The plain training loop: one model, one of the readable ``networks/``, and its evaluation.

This is the reference: the stacked loop the worker runs for sweeps (``sweep.train_stacked``) is tested
and benchmarked against it. Batches, the evaluation schedule, progress reports and cancellation, the
optimiser and the clock are the two loops' shared parts (``common``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from training.reference import common
from training.reference.configs import TrainConfig
from training.reference.datasets import Dataset
from training.reference.registry import Task

__all__ = ["LoopResult", "ProgressCallback", "evaluate", "loss_fn", "train"]

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
    optimizer = common.make_optimizer(model.parameters(), cfg)
    criterion = loss_fn(task)
    loss_sum = torch.zeros((), device=data.x_train.device)  # summed on the device, read at evaluations
    history: list[dict[str, Any]] = []
    samples = 0
    time_to_target: float | None = None

    model.train()
    clock = common.Clock(data.x_train.device)
    for step in range(1, cfg.steps + 1):  # step = number of updates done once this iteration ends
        xb, yb = common.batch(data, step, cfg.batch_size)  # B x ..., B (or B x 1)

        # forward, backward, update
        loss = criterion(model(xb), yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        loss_sum += loss.detach()
        samples += xb.shape[0]

        metrics = None
        if common.is_evaluation(step, cfg):
            clock.pause()  # evaluations and their progress reports are not training time
            metrics = {"step": step, "train_loss": common.mean_loss(loss_sum, step, cfg).item()}
            metrics.update(evaluate(model, data.x_test, data.y_test, task, prefix="test"))
            if task == "classification":
                on_train = evaluate(model, data.x_train, data.y_train, task, prefix="train")
                metrics["train_acc"] = on_train["train_acc"]  # train_loss stays the minibatch mean
            if extra_metrics is not None:
                metrics.update(extra_metrics(model))
            history.append(metrics)
            time_to_target = common.first_reached(cfg.target_acc, metrics, time_to_target, clock.train_s)
        common.report(on_progress, step, cfg.steps, metrics, [history])
        clock.resume()

    return LoopResult(
        history=history,
        train_s=clock.train_s,
        eval_s=clock.eval_s,
        samples=samples,
        time_to_target_s=time_to_target,
    )
