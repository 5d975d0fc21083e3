"""``run_sweep()``: all seeds of one reference run config trained together, as one batched job.

These networks are tiny, so one run at a time leaves a GPU launching kernels and a CPU paying per-op
overhead. A sweep stacks the N models (``batched.networks``) and trains them in one process, on one
shared batch per step, with one optimiser over the stacked parameters:

- Same initial weights: model i is built exactly as ``run()`` builds it (``seed_everything(seed_i)``,
  then ``build_model``), and its parameters are copied into slice i of the stacked parameters.
- Same batches: the data do not depend on the seed and batches are taken in order (``loop``), so the
  N models see the same batch at every step and the data are shared.
- Same gradients: the loss minimised is the SUM over models of each model's mean minibatch loss, so
  the gradient reaching model i's slice is exactly its own run's gradient (a mean over models would
  divide every gradient by N).
- Same optimiser: Adam and SGD (momentum, weight decay) act element by element, so one optimiser over
  the stacked parameters is N independent optimisers, state included.

So a sweep computes what N ``run()`` calls compute, up to float rounding from a different summation
order in the stacked kernels (tests/training/reference/test_reference_sweep.py measures it).

On CUDA the whole optimisation step (forward, backward, ``Adam(capturable=True)``) is captured once in a
CUDA graph after a few eager warm-up steps and replayed; evaluations run outside it every
``eval_every`` steps. A short last batch of an epoch (batch size not dividing the training set) runs
eagerly. If capture fails, the sweep warns and carries on eagerly (``environment["cuda_graph"]`` says
whether a graph ran, ``cuda_graph_error`` why not).

Networks without a stacked implementation (``batched.networks.supports``) are trained one seed after
another with ``run()`` (see ``run_sweep``); today every registry network has one.
"""

from __future__ import annotations

import io
import os
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from training.reference import datasets, loop
from training.reference.batched.networks import StackedModel, stack, supports
from training.reference.batched.sizing import max_seeds_per_task
from training.reference.configs import TrainConfig
from training.reference.datasets import Dataset
from training.reference.errors import RunCancelled
from training.reference.networks import build_model, count_params
from training.reference.networks.linear import least_squares
from training.reference.registry import RunSpec, Task, spec
from training.reference.run import (
    RunResult,
    _check_seed,
    _deterministic_backends,
    environment,
    resolve_device,
    run,
    seed_everything,
)

__all__ = ["RunCancelled", "SweepProgressCallback", "max_seeds_per_task", "run_sweep"]

# on_progress(step, total_steps, metrics): metrics is None between evaluations, and at an evaluation a
# list with one entry per seed (in the order of ``seeds``): that seed's new history entry, or None for
# a seed not evaluated at this step (only when seeds run one after another; see run_sweep). Return False
# (or raise RunCancelled) to stop the whole sweep.
SweepProgressCallback = Callable[[int, int, list[dict[str, Any] | None] | None], bool | None]

WARMUP_STEPS = 3  # eager steps per batch shape before its CUDA graph is captured
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
    sweep's whole wall time. ``environment`` adds ``sweep_seeds``, ``sweep_batched`` (False when the
    network had no stacked implementation and seeds ran one by one) and ``cuda_graph``.

    ``on_progress(step, total_steps, metrics)`` is called after every step (see
    ``SweepProgressCallback``); returning False or raising ``RunCancelled`` stops the whole sweep and
    ``RunCancelled`` propagates with ``step`` set and ``histories`` (one history per seed, so far).
    ``use_cuda_graph``: None means on for CUDA and off for CPU; True on a CPU device is an error.

    A network without a stacked implementation is trained one seed after another with ``run()``: then
    ``step`` counts across the seeds (seed k's step s is k * steps + s, of N * steps) and each
    evaluation's list holds the running seed's entry and None for the others.
    """
    t_start = time.perf_counter()
    run_spec = config if isinstance(config, RunSpec) else spec(config)
    seed_list = _check_seeds(seeds)
    dev = resolve_device(device)
    if use_cuda_graph and dev.type != "cuda":
        raise ValueError(f"use_cuda_graph needs a CUDA device, got {str(dev)!r}")
    use_graph = dev.type == "cuda" if use_cuda_graph is None else bool(use_cuda_graph)

    if not supports(run_spec.network):
        return _one_by_one(run_spec, seed_list, dev, on_progress, data_dir)

    data = datasets.load(run_spec.dataset, data_dir).to(dev)
    data_s = time.perf_counter() - t_start

    with _deterministic_backends():
        models = []
        for seed in seed_list:
            seed_everything(seed)  # after loading data, as run(): only the initial weights depend on it
            models.append(build_model(run_spec.network, run_spec.model))
        n_params = count_params(models[0])
        model = stack(run_spec.network, run_spec.model, models).to(dev)
        del models
        result = train_stacked(
            model, data, run_spec.train, task=run_spec.task, on_progress=on_progress, use_cuda_graph=use_graph
        )

    lstsq = least_squares(data.x_train, data.y_train) if run_spec.task == "regression" else {}
    n = len(seed_list)
    wall = time.perf_counter() - t_start
    env = {
        **environment(dev),
        "sweep_seeds": n,
        "sweep_batched": True,
        "cuda_graph": result.cuda_graph,
    }
    if result.cuda_graph_error:
        env["cuda_graph_error"] = result.cuda_graph_error
    train_share = result.train_s / n
    results = []
    for i, seed in enumerate(seed_list):
        history = result.histories[i]
        results.append(
            RunResult(
                spec=run_spec,
                seed=seed,
                history=history,
                final={**history[-1], **lstsq},
                timings={
                    "wall_s": wall / n,
                    "data_s": data_s / n,
                    "train_s": train_share,
                    "eval_s": result.eval_s / n,
                    "samples_per_s": result.samples / train_share if train_share > 0 else None,
                    "time_to_target_s": result.time_to_target_s[i],
                    "sweep_seeds": n,
                    "sweep_wall_s": wall,
                },
                environment=dict(env),
                n_params=n_params,
                weights=_state_bytes(model.model_state_dict(i)),
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
    if device.type == "cuda":
        # streams, graphs and synchronisation below act on the current device: make it the data's
        with torch.cuda.device(device):
            return _train_stacked(model, data, cfg, task, on_progress, use_cuda_graph, capturable)
    return _train_stacked(model, data, cfg, task, on_progress, use_cuda_graph, capturable)


def _train_stacked(
    model: StackedModel,
    data: Dataset,
    cfg: TrainConfig,
    task: Task,
    on_progress: SweepProgressCallback | None,
    use_cuda_graph: bool,
    capturable: bool | None,
) -> StackedLoopResult:
    device = data.x_train.device
    n = model.n_models
    if use_cuda_graph and device.type != "cuda":
        raise ValueError("use_cuda_graph needs the model and data on a CUDA device")
    capturable = use_cuda_graph if capturable is None else capturable
    if capturable and device.type != "cuda":
        raise ValueError("a capturable optimiser needs the model and data on a CUDA device")
    optimizer = _make_optimizer(model.parameters(), cfg, capturable=capturable)
    n_train = data.x_train.shape[0]
    bs = cfg.batch_size
    loss_sum = torch.zeros(n, device=device)  # N: summed on the device, read at evaluations only

    step_fn = _make_step(model, optimizer, task, loss_sum)
    graphs = _CudaGraphSteps(step_fn, optimizer, bs) if use_cuda_graph else None
    histories: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    losses_since_eval = 0
    samples = 0
    train_s = eval_s = 0.0
    time_to_target: list[float | None] = [None] * n

    model.train()
    t0 = loop._now(device)
    for step in range(1, cfg.steps + 1):
        start = ((step - 1) * bs) % n_train  # in order, cycling: exactly loop.train's batches
        xb = data.x_train[start : start + bs]  # B x ... (shorter at the end of an epoch)
        yb = data.y_train[start : start + bs]
        if graphs is not None:
            graphs(xb, yb)
        else:
            step_fn(xb, yb)
        losses_since_eval += 1
        samples += xb.shape[0]

        metrics = None
        if step % cfg.eval_every == 0 or step == cfg.steps:
            t1 = loop._now(device)
            train_s += t1 - t0
            metrics = _evaluate_all(model, data, task, step, loss_sum / losses_since_eval)
            for i, entry in enumerate(metrics):
                histories[i].append(entry)
            loss_sum.zero_()
            losses_since_eval = 0
            target = cfg.target_acc
            if target is not None:
                for i, entry in enumerate(metrics):
                    if time_to_target[i] is None and entry.get("test_acc", 0.0) >= target:
                        time_to_target[i] = train_s / n

        if on_progress is not None:
            _report(on_progress, step, cfg.steps, metrics, histories)

        if metrics is not None:
            t0 = loop._now(device)
            eval_s += t0 - t1

    return StackedLoopResult(
        histories=histories,
        train_s=train_s,
        eval_s=eval_s,
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


def _make_optimizer(params: Any, cfg: TrainConfig, *, capturable: bool) -> torch.optim.Optimizer:
    if cfg.optimizer == "adam" and capturable:
        # capturable keeps Adam's step count on the device, so the update can live in a CUDA graph.
        return torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay, capturable=True)
    return loop.make_optimizer(params, cfg)  # exactly the single run's optimiser (SGD needs no flag)


def _per_model_loss(out: torch.Tensor, y: torch.Tensor, task: Task) -> torch.Tensor:
    """Each model's mean loss on the batch: out N x B x k (logits or outputs), y B (or B x k) -> N."""
    n, batch = out.shape[:2]
    if task == "regression":
        return (out - y).square().reshape(n, -1).mean(1)  # F.mse_loss per model
    labels = y.expand(n, batch).reshape(n * batch)  # N*B: the shared labels, once per model
    per_example = F.cross_entropy(out.reshape(n * batch, -1), labels, reduction="none")  # N*B
    return per_example.view(n, batch).mean(1)


@torch.no_grad()
def _split_metrics(model: StackedModel, x: torch.Tensor, y: torch.Tensor, task: Task) -> torch.Tensor:
    """Each model's summed loss and (classification) correct count on a split: N x 2, on the device.

    In slices of EVAL_ROWS rows, so the N models' activations stay bounded whatever the split's size.
    """
    n = model.n_models
    totals = torch.zeros(n, 2, device=x.device)
    for start in range(0, x.shape[0], EVAL_ROWS):
        xs, ys = x[start : start + EVAL_ROWS], y[start : start + EVAL_ROWS]
        out = model(xs)  # N x b x k
        if task == "regression":
            totals[:, 0] += (out - ys).square().reshape(n, -1).sum(1)
        else:
            b = xs.shape[0]
            labels = ys.expand(n, b).reshape(n * b)
            per_example = F.cross_entropy(out.reshape(n * b, -1), labels, reduction="none")  # N*b
            totals[:, 0] += per_example.view(n, b).sum(1)
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


def _report(
    on_progress: SweepProgressCallback,
    step: int,
    total: int,
    metrics: list[dict[str, Any]] | None,
    histories: list[list[dict[str, Any]]],
) -> None:
    try:
        keep_going = on_progress(step, total, metrics)  # type: ignore[arg-type]
    except RunCancelled as exc:
        exc.step = step if exc.step is None else exc.step
        exc.histories = histories  # type: ignore[attr-defined]
        raise
    if keep_going is False:  # None (no return value) means carry on
        cancelled = RunCancelled(f"sweep cancelled by on_progress at step {step}", step=step)
        cancelled.histories = histories  # type: ignore[attr-defined]
        raise cancelled


class _CudaGraphSteps:
    """Optimisation steps of the configured batch size replayed from one CUDA graph.

    The first WARMUP_STEPS steps run eagerly on a side stream (PyTorch's recipe: lazy initialisations,
    Adam's state and cuDNN/cuBLAS workspaces happen there, not in the capture); the next one is
    captured and every later one replays it after copying the batch into the graph's static input.
    A short batch (the end of an epoch when the batch size does not divide the training set; batches
    cycle, so its size changes from epoch to epoch) runs eagerly: one graph per size could mean a
    hundred. That is safe: the graph reads and writes its gradients in its own memory pool, whatever
    ``.grad`` an eager step leaves, and the parameters and Adam's state are the same tensors for both.
    Replays and evaluations share the current stream, so no extra synchronisation is needed.
    """

    def __init__(
        self,
        step_fn: Callable[[torch.Tensor, torch.Tensor], None],
        optimizer: torch.optim.Optimizer,
        batch_size: int,
    ):
        self.step_fn = step_fn
        self.optimizer = optimizer
        self.batch_size = batch_size
        self.side = torch.cuda.Stream()
        self.eager_steps: dict[int, int] = {}  # batch size -> steps run eagerly
        self.graphs: dict[int, tuple[torch.cuda.CUDAGraph, torch.Tensor, torch.Tensor]] = {}
        self.error: str | None = None

    def __call__(self, xb: torch.Tensor, yb: torch.Tensor) -> None:
        size = xb.shape[0]
        entry = self.graphs.get(size)
        if entry is not None:
            graph, static_x, static_y = entry
            static_x.copy_(xb)
            static_y.copy_(yb)
            graph.replay()
            return
        warm = self.eager_steps.get(size, 0) >= WARMUP_STEPS
        if size == self.batch_size and warm and self.error is None and self._capture(xb, yb):
            return
        current = torch.cuda.current_stream()
        self.side.wait_stream(current)
        with torch.cuda.stream(self.side):
            self.step_fn(xb, yb)
        current.wait_stream(self.side)
        self.eager_steps[size] = self.eager_steps.get(size, 0) + 1

    def _capture(self, xb: torch.Tensor, yb: torch.Tensor) -> bool:
        """Capture the step for this batch size and replay it once (capturing runs nothing)."""
        static_x, static_y = xb.clone(), yb.clone()
        graph = torch.cuda.CUDAGraph()
        torch.cuda.synchronize()
        self.optimizer.zero_grad(set_to_none=True)  # gradients are then allocated inside the graph
        try:
            with torch.cuda.graph(graph):
                self.step_fn(static_x, static_y)
        except Exception as exc:  # noqa: BLE001 - any capture failure: train on eagerly, say so
            self.error = f"{type(exc).__name__}: {exc}"
            warnings.warn(
                f"CUDA graph capture failed, training on without graphs: {self.error}", stacklevel=3
            )
            self.optimizer.zero_grad(set_to_none=True)
            torch.cuda.synchronize()
            return False
        self.graphs[xb.shape[0]] = (graph, static_x, static_y)
        graph.replay()
        return True


def _one_by_one(
    run_spec: RunSpec,
    seeds: list[int],
    device: torch.device,
    on_progress: SweepProgressCallback | None,
    data_dir: str | os.PathLike[str] | None,
) -> list[RunResult]:
    """The fallback for a network without a stacked implementation: ``run()`` once per seed."""
    n, steps = len(seeds), run_spec.train.steps
    results: list[RunResult] = []
    for k, seed in enumerate(seeds):
        offset = k * steps

        def progress(
            step: int, total: int, metrics: dict[str, Any] | None, k: int = k, offset: int = offset
        ) -> bool:
            assert on_progress is not None
            listed = None if metrics is None else [metrics if j == k else None for j in range(n)]
            try:
                keep_going = on_progress(offset + step, n * steps, listed)
            except RunCancelled as exc:
                exc.step = offset + step if exc.step is None else exc.step
                raise
            if keep_going is False:
                raise RunCancelled(
                    f"sweep cancelled by on_progress at step {offset + step}", step=offset + step
                )
            return True

        try:
            result = run(
                run_spec,
                seed=seed,
                device=device,
                on_progress=progress if on_progress is not None else None,
                data_dir=data_dir,
            )
        except RunCancelled as exc:
            histories = [r.history for r in results] + [exc.history] + [[] for _ in seeds[k + 1 :]]
            exc.histories = histories  # type: ignore[attr-defined]
            raise
        result.timings.update({"sweep_seeds": n, "sweep_wall_s": None})
        result.environment.update({"sweep_seeds": n, "sweep_batched": False, "cuda_graph": False})
        results.append(result)
    wall = sum(r.timings["wall_s"] or 0.0 for r in results)
    for r in results:
        r.timings["sweep_wall_s"] = wall
    return results


def _check_seeds(seeds: Sequence[int]) -> list[int]:
    if isinstance(seeds, str | bytes) or not isinstance(seeds, Sequence):
        raise ValueError(f"seeds must be a list of integers, got {seeds!r}")
    seed_list = list(seeds)
    if not seed_list:
        raise ValueError("seeds must not be empty")
    for seed in seed_list:
        _check_seed(seed)
    if len(set(seed_list)) != len(seed_list):
        raise ValueError(f"seeds must be distinct, got {seed_list}")
    return seed_list


def _state_bytes(state: dict[str, torch.Tensor]) -> bytes:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()
