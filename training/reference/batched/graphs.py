"""Optimisation steps replayed from a CUDA graph, for the stacked loop (``sweep.train_stacked``).

These networks are tiny, so a step is a few dozen short kernels and on a GPU launching them costs more
than running them. Captured once in a CUDA graph, a whole step (forward, backward,
``Adam(capturable=True)``) is one launch. Only the bookkeeping runs without a GPU (the tests fake the
``torch.cuda`` pieces it uses); the capture itself runs in the GPU checks.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import torch

__all__ = ["WARMUP_STEPS", "CudaGraphSteps"]

WARMUP_STEPS = 3  # eager steps per batch shape before its CUDA graph is captured


class CudaGraphSteps:
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
