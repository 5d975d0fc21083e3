"""Stacked building blocks: linear layers and 1-D convolutions (+ ReLU) for N models at once.

Layouts (N = models, B = examples, L = length, C = channels, K = kernel taps): a stacked activation is
N x B x features, or N x B x L x C (channels last, contiguous) inside the 1-D CNN, so that every
convolution is one batched matrix product over the N models.

Why the convolutions are hand-written ``autograd.Function``s, measured on one CPU thread with 8 models:
autograd's backward of ``unfold`` (an index scatter) took a fifth of the step, ReLU's backward on a
permuted (non-contiguous) activation ran 13x slower than on a contiguous one, and the first layer's
weight gradient written as grad^T @ cols ran 3x slower than as cols^T @ grad. Each function below keeps
its activations contiguous, fuses the ReLU (the same clamp and the same ``threshold_backward`` that
autograd uses for ``relu``), and picks the fast product for each gradient.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch.autograd import Function

__all__ = ["conv1d_relu_im2col", "conv1d_relu_shared_input", "linear_shared_input", "linear_stacked"]


def linear_shared_input(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """N linear layers applied to the same input, as one matrix product with N * out columns.

    x: B x in (shared), weight: N x out x in, bias: N x out -> N x B x out (a transposed view).
    """
    n, out_features, in_features = weight.shape
    y = F.linear(
        x, weight.reshape(n * out_features, in_features), bias.reshape(n * out_features)
    )  # B x N*out
    return y.view(x.shape[0], n, out_features).transpose(0, 1)


def linear_stacked(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """N linear layers, each on its own input: x N x B x in, weight N x out x in, bias N x out -> N x B x out."""
    return torch.baddbmm(bias.unsqueeze(1), x, weight.transpose(1, 2))


def conv1d_relu_shared_input(
    x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, stride: int, padding: int
) -> torch.Tensor:
    """relu(Conv1d) of N one-input-channel models on the same signal, channels last.

    x: B x L (shared, needs no gradient), weight: N x C x 1 x K, bias: N x C -> N x B x L_out x C.
    """
    return _Conv1dReluSharedInput.apply(x, weight, bias, stride, padding)


def conv1d_relu_im2col(
    h: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, stride: int, padding: int
) -> torch.Tensor:
    """relu(Conv1d) of N models, each on its own input, channels last: im2col and one bmm.

    h: N x B x L x C_in, weight: N x C_out x C_in x K (Conv1d's layout with a seed dimension),
    bias: N x C_out -> N x B x L_out x C_out.
    """
    return _Conv1dReluIm2col.apply(h, weight, bias, stride, padding)


def _taps(length: int, l_out: int, kernel: int, stride: int, padding: int) -> list[tuple[int, int, int]]:
    """For each tap k: (k, j_lo, j_hi), the output positions j in [j_lo, j_hi) whose input row
    i = j * stride + k - padding lies inside the signal (the others read zero padding)."""
    taps = []
    for k in range(kernel):
        j_lo = max(0, -((k - padding) // stride))  # ceil((padding - k) / stride)
        last = length - 1 - k + padding  # j * stride <= last
        j_hi = min(l_out, last // stride + 1) if last >= 0 else 0
        taps.append((k, j_lo, max(j_lo, j_hi)))
    return taps


def _rows(j_lo: int, j_hi: int, k: int, stride: int, padding: int) -> slice:
    start = j_lo * stride + k - padding
    return slice(start, start + (j_hi - j_lo - 1) * stride + 1, stride)


def _im2col(h: torch.Tensor, kernel: int, stride: int, padding: int, l_out: int) -> torch.Tensor:
    """N x B x L x C -> N x B x L_out x K x C: tap k of window j is input row j * stride + k - padding."""
    n, batch, length, channels = h.shape
    cols = h.new_empty(n, batch, l_out, kernel, channels)
    for k, j_lo, j_hi in _taps(length, l_out, kernel, stride, padding):
        if j_lo < j_hi:
            cols[:, :, j_lo:j_hi, k] = h[:, :, _rows(j_lo, j_hi, k, stride, padding)]
        cols[:, :, :j_lo, k] = 0
        cols[:, :, j_hi:, k] = 0
    return cols


def _col2im(grad_cols: torch.Tensor, length: int, stride: int, padding: int) -> torch.Tensor:
    """The adjoint of _im2col: N x B x L_out x K x C -> N x B x L x C, each tap added back to its row."""
    n, batch, l_out, kernel, channels = grad_cols.shape
    grad_h = grad_cols.new_zeros(n, batch, length, channels)
    for k, j_lo, j_hi in _taps(length, l_out, kernel, stride, padding):
        if j_lo < j_hi:
            grad_h[:, :, _rows(j_lo, j_hi, k, stride, padding)] += grad_cols[:, :, j_lo:j_hi, k]
    return grad_h


class _Conv1dReluIm2col(Function):
    @staticmethod
    def forward(  # type: ignore[override]
        ctx: Any, h: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, stride: int, padding: int
    ) -> torch.Tensor:
        n, batch, length, c_in = h.shape
        c_out, kernel = weight.shape[1], weight.shape[3]
        l_out = (length + 2 * padding - kernel) // stride + 1
        cols = _im2col(h.contiguous(), kernel, stride, padding, l_out).view(n, batch * l_out, kernel * c_in)
        w = weight.permute(0, 1, 3, 2).reshape(n, c_out, kernel * c_in)  # N x C_out x K*C_in, as cols
        out = torch.baddbmm(bias.unsqueeze(1), cols, w.transpose(1, 2)).clamp_min_(0)  # N x B*L_out x C_out
        ctx.save_for_backward(cols, w, out)
        ctx.geometry = (length, c_in, kernel, l_out, stride, padding)
        return out.view(n, batch, l_out, c_out)

    @staticmethod
    def backward(ctx: Any, grad_out: torch.Tensor) -> tuple[torch.Tensor | None, ...]:  # type: ignore[override]
        cols, w, out = ctx.saved_tensors
        length, c_in, kernel, l_out, stride, padding = ctx.geometry
        n, c_out = w.shape[0], w.shape[1]
        batch = out.shape[1] // l_out
        grad = torch.ops.aten.threshold_backward(grad_out.reshape(out.shape), out, 0)  # N x B*L_out x C_out
        grad_h = grad_weight = grad_bias = None
        if ctx.needs_input_grad[1]:
            grad_w = torch.bmm(grad.transpose(1, 2), cols)  # N x C_out x K*C_in
            grad_weight = grad_w.view(n, c_out, kernel, c_in).permute(0, 1, 3, 2)  # N x C_out x C_in x K
        if ctx.needs_input_grad[2]:
            grad_bias = grad.sum(1)  # N x C_out
        if ctx.needs_input_grad[0]:
            grad_cols = torch.bmm(grad, w).view(n, batch, l_out, kernel, c_in)
            grad_h = _col2im(grad_cols, length, stride, padding)
        return grad_h, grad_weight, grad_bias, None, None


class _Conv1dReluSharedInput(Function):
    @staticmethod
    def forward(  # type: ignore[override]
        ctx: Any, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, stride: int, padding: int
    ) -> torch.Tensor:
        n, channels, _, kernel = weight.shape
        batch = x.shape[0]
        cols = F.pad(x, (padding, padding)).unfold(1, kernel, stride)  # B x L_out x K (a view)
        l_out = cols.shape[1]
        cols = cols.reshape(batch * l_out, kernel)  # B*L_out x K, the same for all N models
        w = weight.reshape(n, channels, kernel)  # N x C x K
        out = torch.baddbmm(bias.unsqueeze(1), cols.expand(n, -1, -1), w.transpose(1, 2))  # N x B*L_out x C
        out.clamp_min_(0)
        ctx.save_for_backward(cols, out)
        ctx.shape = weight.shape
        return out.view(n, batch, l_out, channels)

    @staticmethod
    def backward(ctx: Any, grad_out: torch.Tensor) -> tuple[torch.Tensor | None, ...]:  # type: ignore[override]
        cols, out = ctx.saved_tensors
        n = out.shape[0]
        grad = torch.ops.aten.threshold_backward(grad_out.reshape(out.shape), out, 0)  # N x B*L_out x C
        grad_weight = grad_bias = None
        if ctx.needs_input_grad[1]:
            # cols^T @ grad, not grad^T @ cols: the same numbers, 3x faster on CPU for this thin product.
            grad_weight = torch.bmm(cols.t().expand(n, -1, -1), grad).transpose(1, 2).reshape(ctx.shape)
        if ctx.needs_input_grad[2]:
            grad_bias = grad.sum(1)  # N x C
        return None, grad_weight, grad_bias, None, None
