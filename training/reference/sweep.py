"""``run_sweep()``: all seeds of one reference run config trained together, as one batched job.

These networks are tiny, so one run at a time leaves a GPU launching kernels and a CPU paying per-op
overhead. A sweep stacks the N models (``batched.networks``) and trains them in one process, on one
shared batch per step, with one optimiser over the stacked parameters:

- Same initial weights: model i is built exactly as ``run()`` builds it (``seed_everything(seed_i)``,
  then ``build_model``), and its parameters are copied into slice i of the stacked parameters.
- Same batches: the data do not depend on the seed and batches are taken in order (``common.batch``),
  so the N models see the same batch at every step and the data are shared.
- Same gradients: the loss minimised is the SUM over models of each model's mean minibatch loss, so
  the gradient reaching model i's slice is exactly its own run's gradient (a mean over models would
  divide every gradient by N).
- Same optimiser: Adam and SGD (momentum, weight decay) act element by element, so one optimiser over
  the stacked parameters is N independent optimisers, state included.

So a sweep computes what N ``run()`` calls compute, up to float rounding from a different summation
order in the stacked kernels (tests/training/reference/test_reference_sweep.py measures it).

On CUDA the whole optimisation step (forward, backward, ``Adam(capturable=True)``) is captured once in a
CUDA graph after a few eager warm-up steps and replayed (``batched.graphs``); evaluations run outside
it every ``eval_every`` steps. A short last batch of an epoch (batch size not dividing the training
set) runs eagerly. If capture fails, the sweep warns and carries on eagerly
(``environment["cuda_graph"]`` says whether a graph ran, ``cuda_graph_error`` why not).

This is the loop the worker runs for every sweep, a single seed being N = 1; ``loop.train`` is the
plain loop it is checked against. What the two share (batches, the evaluation schedule, progress
reports and cancellation, the optimiser, the clock, weights to bytes) is in ``common``; every registry
network has a stacked implementation (a test keeps it so).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from training.reference import common
from training.reference.batched.graphs import CudaGraphSteps
from training.reference.batched.networks import StackedModel, stack
from training.reference.batched.sizing import max_seeds_per_task
from training.reference.configs import TrainConfig
from training.reference.datasets import Dataset
from training.reference.errors import RunCancelled
from training.reference.networks import count_params
from training.reference.registry import RunSpec, Task
from training.reference.run import (
    RunResult,
    build_seeded,
    check_seed,
    deterministic_backends,
    environment,
    run_timings,
    set_up,
)

__all__ = ["RunCancelled", "SweepProgressCallback", "max_seeds_per_task", "run_sweep", "train_stacked"]

# on_progress(step, total_steps, metrics): metrics is None between evaluations, and at an evaluation a
# list with one entry per seed (in the order of ``seeds``): that seed's new history entry. Return False
# (or raise RunCancelled) to stop the whole sweep.
SweepProgressCallback = Callable[[int, int, list[dict[str, Any]] | None], bool | None]

EVAL_ROWS = 1000  # rows per evaluation forward pass: bounds the N models' activations at evaluations


def run_sweep(
    config: RunSpec | Mapping[str, Any],
    *,
    seeds: Sequence[int],
    device: str | torch.device = "auto",
    on_progress: SweepProgressCallback | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    use_cuda_graph: bool | None = None,
) -> list[RunResult]:
    """Train one reference config for every seed in ``seeds`` at once; one ``RunResult`` per seed.

    Each result is what ``run(config, seed=seed)`` returns, but trained in the batch: the same
    initial weights, batches, history keys and evaluation schedule, its own final metrics and weights
    (a state_dict for the single model). Timings are the batch's divided per model: ``wall_s``,
    ``data_s``, ``train_s`` and ``eval_s`` are the sweep's totals / N, ``samples_per_s`` is that
    model's samples over its share of the training time, ``time_to_target_s`` the share of training
    time until that seed first reached ``target_acc``; ``sweep_seeds`` is N and ``sweep_wall_s`` the
    sweep's whole wall time. ``environment`` adds ``sweep_seeds``, ``sweep_batched`` (always True: the
    field stays in the record) and ``cuda_graph``.

    ``on_progress(step, total_steps, metrics)`` is called after every step (see
    ``SweepProgressCallback``); returning False or raising ``RunCancelled`` stops the whole sweep and
    ``RunCancelled`` propagates with ``step`` set and ``histories`` (one history per seed, so far).
    ``use_cuda_graph``: None means on for CUDA and off for CPU; True on a CPU device is an error.
    """
    seed_list = _check_seeds(seeds)
    setup = set_up(config, device, data_dir)
    run_spec, dev = setup.spec, setup.device
    if use_cuda_graph and dev.type != "cuda":
        raise ValueError(f"use_cuda_graph needs a CUDA device, got {str(dev)!r}")

    with deterministic_backends():
        models = [build_seeded(run_spec, seed) for seed in seed_list]  # model i is exactly run i's
        n_params = count_params(models[0])
        model = stack(run_spec.network, run_spec.model, models).to(dev)
        del models  # only the stacked copy trains: free the N single models
        result = train_stacked(
            model,
            setup.data,
            run_spec.train,
            task=run_spec.task,
            on_progress=on_progress,
            use_cuda_graph=dev.type == "cuda" if use_cuda_graph is None else use_cuda_graph,
        )

    optimum = setup.optimum()
    n = len(seed_list)
    wall = time.perf_counter() - setup.started
    env = {**environment(dev), "sweep_seeds": n, "sweep_batched": True, "cuda_graph": result.cuda_graph}
    if result.cuda_graph_error:
        env["cuda_graph_error"] = result.cuda_graph_error
    results = []
    for i, (seed, history) in enumerate(zip(seed_list, result.histories, strict=True)):
        timings = run_timings(
            wall_s=wall / n,
            data_s=setup.data_s / n,
            train_s=result.train_s / n,
            eval_s=result.eval_s / n,
            samples=result.samples,
            time_to_target_s=result.time_to_target_s[i],
        )
        results.append(
            RunResult(
                spec=run_spec,
                seed=seed,
                history=history,
                final={**history[-1], **optimum},
                timings={**timings, "sweep_seeds": n, "sweep_wall_s": wall},
                environment=dict(env),
                n_params=n_params,
                weights=common.weights_to_bytes(model.model_state_dict(i)),
            )
        )
    return results


@dataclass
class StackedLoopResult:
    histories: list[list[dict[str, Any]]]  # per model, one entry per evaluation (as LoopResult.history)
    train_s: float  # the whole batch's training time (all N models), evaluations excluded
    eval_s: float
    samples: int  # training examples each model processed
    time_to_target_s: list[float | None]  # per model: the batch's train_s / N when it reached target_acc
    cuda_graph: bool  # whether steps were replayed from a CUDA graph
    cuda_graph_error: str | None = None  # why capture failed, if it did (the sweep then ran eagerly)


def train_stacked(
    model: StackedModel,
    data: Dataset,
    cfg: TrainConfig,
    *,
    task: Task,
    on_progress: SweepProgressCallback | None = None,
    use_cuda_graph: bool = False,
    capturable: bool | None = None,
) -> StackedLoopResult:
    """``loop.train`` for a stacked model (model and data on the same device); see ``run_sweep``.

    Same batches, evaluation schedule and history entries as ``loop.train``, one history per model.
    ``capturable`` (CUDA only; default: ``use_cuda_graph``) gives Adam ``capturable=True``, whose
    arithmetic differs from the default in rounding: a graph-vs-eager comparison sets it on both sides.
    """
    device = data.x_train.device
    capturable = use_cuda_graph if capturable is None else capturable
    if use_cuda_graph and device.type != "cuda":
        raise ValueError("use_cuda_graph needs the model and data on a CUDA device")
    if capturable and device.type != "cuda":
        raise ValueError("a capturable optimiser needs the model and data on a CUDA device")
    # streams, graphs and synchronisation act on the current CUDA device: make it the data's
    with torch.cuda.device(device) if device.type == "cuda" else contextlib.nullcontext():
        n = model.n_models
        optimizer = common.make_optimizer(model.parameters(), cfg, capturable=capturable)
        loss_sum = torch.zeros(n, device=device)  # N: summed on the device, read at evaluations only
        step_fn = _make_step(model, optimizer, task, loss_sum)
        graphs = CudaGraphSteps(step_fn, optimizer, cfg.batch_size) if use_cuda_graph else None
        histories: list[list[dict[str, Any]]] = [[] for _ in range(n)]
        samples = 0
        time_to_target: list[float | None] = [None] * n

        model.train()
        clock = common.Clock(device)
        for step in range(1, cfg.steps + 1):
            xb, yb = common.batch(data, step, cfg.batch_size)  # B x ..., one batch for all N models
            if graphs is not None:
                graphs(xb, yb)  # replays the captured step once warmed up
            else:
                step_fn(xb, yb)
            samples += xb.shape[0]

            entries = None
            if common.is_evaluation(step, cfg):
                clock.pause()  # evaluations and their progress reports are not training time
                entries = _evaluate_all(model, data, task, step, common.mean_loss(loss_sum, step, cfg))
                for history, entry in zip(histories, entries, strict=True):
                    history.append(entry)
                time_to_target = [
                    common.first_reached(cfg.target_acc, entry, reached, clock.train_s / n)
                    for entry, reached in zip(entries, time_to_target, strict=True)
                ]
            common.report(on_progress, step, cfg.steps, entries, histories)
            clock.resume()

    return StackedLoopResult(
        histories=histories,
        train_s=clock.train_s,
        eval_s=clock.eval_s,
        samples=samples,
        time_to_target_s=time_to_target,
        cuda_graph=bool(graphs is not None and graphs.graphs),
        cuda_graph_error=graphs.error if graphs is not None else None,
    )


def _make_step(
    model: StackedModel, optimizer: torch.optim.Optimizer, task: Task, loss_sum: torch.Tensor
) -> Callable[[torch.Tensor, torch.Tensor], None]:
    """One optimisation step of all N models on a shared batch; adds each model's loss to loss_sum (N)."""

    def step_fn(xb: torch.Tensor, yb: torch.Tensor) -> None:
        per_model = _per_model_loss(model(xb), yb, task)  # N: each model's mean minibatch loss
        optimizer.zero_grad(set_to_none=True)
        per_model.sum().backward()  # the SUM of the means: model i's gradient is its own run's
        optimizer.step()
        loss_sum.add_(per_model.detach())

    return step_fn


def _per_example_loss(out: torch.Tensor, y: torch.Tensor, task: Task) -> torch.Tensor:
    """Each model's loss on each example: out N x B x k (logits or outputs), y B (or B x k) -> N x B(k)."""
    n, batch_size = out.shape[:2]
    if task == "regression":
        return (out - y).square().reshape(n, -1)  # N x B*k: F.mse_loss's terms, per model
    labels = y.expand(n, batch_size).reshape(n * batch_size)  # N*B: the shared labels, once per model
    per_example = F.cross_entropy(out.reshape(n * batch_size, -1), labels, reduction="none")  # N*B
    return per_example.view(n, batch_size)


def _per_model_loss(out: torch.Tensor, y: torch.Tensor, task: Task) -> torch.Tensor:
    """Each model's mean loss on the batch, as its single run's criterion: N x B x k, B -> N."""
    return _per_example_loss(out, y, task).mean(1)


@torch.no_grad()
def _split_metrics(model: StackedModel, x: torch.Tensor, y: torch.Tensor, task: Task) -> torch.Tensor:
    """Each model's summed loss and (classification) correct count on a split: N x 2, on the device.

    In slices of EVAL_ROWS rows, so the N models' activations stay bounded whatever the split's size.
    """
    totals = torch.zeros(model.n_models, 2, device=x.device)
    for start in range(0, x.shape[0], EVAL_ROWS):
        xs, ys = x[start : start + EVAL_ROWS], y[start : start + EVAL_ROWS]
        out = model(xs)  # N x b x k
        totals[:, 0] += _per_example_loss(out, ys, task).sum(1)
        if task == "classification":
            totals[:, 1] += (out.argmax(dim=2) == ys).sum(1)
    return totals


def _evaluate_all(
    model: StackedModel, data: Dataset, task: Task, step: int, train_loss: torch.Tensor
) -> list[dict[str, Any]]:
    """One history entry per model, with loop.train's keys in loop.train's order; one device sync."""
    was_training = model.training
    model.eval()
    n_test = data.x_test.shape[0]
    test = _split_metrics(model, data.x_test, data.y_test, task)  # N x 2
    columns = [train_loss, test[:, 0] / (n_test * _per_row(data.y_test))]
    if task == "classification":
        n_train = data.x_train.shape[0]
        train = _split_metrics(model, data.x_train, data.y_train, task)
        columns += [test[:, 1] / n_test, train[:, 1] / n_train]
    extras = model.coefficients()
    model.train(was_training)
    rows = torch.stack(columns, dim=1).tolist()  # N x k: the one sync of the evaluation
    entries = []
    for i, row in enumerate(rows):
        if task == "regression":
            train_loss_i, test_mse = row
            entry = {"step": step, "train_loss": train_loss_i, "test_loss": test_mse, "test_mse": test_mse}
        else:
            train_loss_i, test_loss, test_acc, train_acc = row
            entry = {
                "step": step,
                "train_loss": train_loss_i,
                "test_loss": test_loss,
                "test_acc": test_acc,
                "train_acc": train_acc,
            }
        if extras is not None:
            entry.update(extras[i])
        entries.append(entry)
    return entries


def _per_row(y: torch.Tensor) -> int:
    return y[0].numel() if y.dim() > 1 else 1  # regression targets are B x k: the MSE averages over k too


def _check_seeds(seeds: Sequence[int]) -> list[int]:
    if isinstance(seeds, str | bytes) or not isinstance(seeds, Sequence):
        raise ValueError(f"seeds must be a list of integers, got {seeds!r}")
    seed_list = list(seeds)
    if not seed_list:
        raise ValueError("seeds must not be empty")
    for seed in seed_list:
        check_seed(seed)
    if len(set(seed_list)) != len(seed_list):
        raise ValueError(f"seeds must be distinct, got {seed_list}")
    return seed_list
