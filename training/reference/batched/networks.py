"""Stacked versions of the reference networks: N models of one architecture as one ``nn.Module``.

``stack(network, config, models)`` takes N single models (each built by ``networks.build_model`` right
after its own ``seed_everything``) and returns a ``StackedModel`` holding copies of their parameters,
each with a leading seed dimension N and the single model's name, so that ``model_state_dict(i)`` loads
straight into the single model. Its ``forward`` takes one input batch (B x input shape) and returns the
N models' outputs, N x B x outputs, computed exactly as the N single models would, up to the rounding
of a different summation order.

How each network is stacked:

- linear, logreg: one ``F.linear`` with N * out output columns (the input is shared).
- mlp: the first layer as above, the two others as batched matrix products (``baddbmm``).
- cnn1d: the first convolution (one input channel, shared signal) as one batched product with the
  shared im2col, the two others as im2col + ``baddbmm``, all channels last with the ReLU fused and a
  hand-written backward (``functional``); the classifier as ``baddbmm`` with its weight's columns
  permuted to the channels-last flattening. ``conv="grouped"`` (or ``StackedCNN1d.DEFAULT_CONV``)
  uses ``F.conv1d(groups=N)`` instead: on one CPU thread it was 1.2x faster than plain runs against
  im2col's 1.7x; kept to compare the two on a GPU (benchmarks/seed_sweep.py --conv).
- cnn2d: ``F.conv2d`` with N * C output channels, then ``groups=N``; max-pool; ``baddbmm``. On one
  CPU thread this is 0.8-0.9x the speed of plain runs (oneDNN's grouped backward is slow; an
  ``F.unfold`` version was slower still); it is exact, and on a GPU the grouped cuDNN kernels apply.
- gru, lstm: one ``torch.gru``/``torch.lstm`` call of hidden size N * H whose recurrent weights are
  block-diagonal (N blocks of H x H per gate), built from the stacked weights at every forward pass:
  autograd sends nothing to the zero blocks. ``vmap`` has no batching rule for the fused RNN kernels,
  and a Python loop over 40 time steps costs far more than the N-fold wider matrix product.

Every registry network has an entry in ``STACKED`` (a test keeps it so): ``run_sweep`` has no other path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from training.reference.batched.functional import (
    conv1d_relu_im2col,
    conv1d_relu_shared_input,
    linear_shared_input,
    linear_stacked,
)
from training.reference.configs import (
    CNN1dConfig,
    CNN2dConfig,
    LinearRegressionConfig,
    LogisticRegressionConfig,
    LSTMConfig,
    MLPConfig,
    NetworkConfig,
    RecurrentConfig,
)

__all__ = ["STACKED", "StackedModel", "stack", "supports"]


class StackedModel(nn.Module):
    """N models of one architecture; every parameter is N x (the single model's shape), same name.

    ``forward(x)``: x is B x (input shape), shared by all N models; returns N x B x outputs.
    """

    def __init__(self, models: Sequence[nn.Module]) -> None:
        super().__init__()
        if not models:
            raise ValueError("a stacked model needs at least one model")
        first = models[0]
        if any(True for _ in first.buffers()):
            raise ValueError(f"{type(first).__name__} has buffers; stacking handles parameters only")
        self.n_models = len(models)
        self.param_names = tuple(name for name, _ in first.named_parameters())
        for name in self.param_names:
            shapes = {tuple(m.get_parameter(name).shape) for m in models}
            if len(shapes) != 1:
                raise ValueError(f"parameter {name} differs in shape across the models: {sorted(shapes)}")
            stacked = torch.stack([m.get_parameter(name).detach() for m in models])  # N x shape
            self._register_nested(name, nn.Parameter(stacked))

    def _register_nested(self, name: str, param: nn.Parameter) -> None:
        # "conv1.weight" -> a plain submodule "conv1" holding "weight", so names match the single model.
        *path, leaf = name.split(".")
        owner: nn.Module = self
        for part in path:
            if not hasattr(owner, part):
                owner.add_module(part, nn.Module())
            owner = getattr(owner, part)
        owner.register_parameter(leaf, param)

    def model_state_dict(self, index: int) -> dict[str, torch.Tensor]:
        """Model ``index``'s parameters as the single model's state_dict (CPU copies)."""
        return {name: self.get_parameter(name)[index].detach().cpu().clone() for name in self.param_names}

    def coefficients(self) -> list[dict[str, float]] | None:
        """Per-model extra history entries (the linear regression's w and b), or None."""
        return None


class StackedLinear(StackedModel):
    """linear (y = w x + b) and logreg (one linear layer on the flattened input)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return linear_shared_input(x.flatten(1), self.linear.weight, self.linear.bias)  # N x B x out

    def coefficients(self) -> list[dict[str, float]] | None:
        weight, bias = self.linear.weight, self.linear.bias  # N x out x in, N x out
        if weight[0].numel() != 1:
            return None  # as LinearRegression.coefficients: w and b for one input, one output only
        pairs = torch.cat([weight.detach().reshape(-1, 1), bias.detach().reshape(-1, 1)], dim=1)  # N x 2
        return [{"w": w, "b": b} for w, b in pairs.tolist()]


class StackedMLP(StackedModel):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h1 = linear_shared_input(x.flatten(1), self.linear1.weight, self.linear1.bias).relu()  # N x B x H
        h2 = h1 + linear_stacked(h1, self.linear2.weight, self.linear2.bias).relu()  # N x B x H (residual)
        return linear_stacked(h2, self.linear3.weight, self.linear3.bias)  # N x B x classes


class StackedCNN1d(StackedModel):
    CONVS = ("im2col", "grouped")
    # im2col: 1.7x faster than 8 plain runs on one CPU thread, where grouped was 1.2x (benchmarks/RESULTS.md).
    DEFAULT_CONV = "im2col"

    def __init__(self, models: Sequence[nn.Module], config: CNN1dConfig, *, conv: str | None = None) -> None:
        super().__init__(models)
        conv = conv or self.DEFAULT_CONV
        if conv not in self.CONVS:
            raise ValueError(f"conv must be one of {', '.join(self.CONVS)}, got {conv!r}")
        self.config = config
        self.conv = conv

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.conv == "grouped":
            return self._forward_grouped(x)
        cfg = self.config
        s, p = cfg.STRIDE, cfg.PADDING
        h = conv1d_relu_shared_input(x.reshape(x.shape[0], -1), self.conv1.weight, self.conv1.bias, s, p)
        h = conv1d_relu_im2col(h, self.conv2.weight, self.conv2.bias, s, p)  # N x B x 10 x C
        h = conv1d_relu_im2col(h, self.conv3.weight, self.conv3.bias, s, p)  # N x B x 5 x C
        n, batch, length, channels = h.shape
        # The single model flattens C x L (index c * L + l); here the features are L x C, so the
        # classifier's columns are permuted to match instead of the (larger) activations.
        weight = self.linear.weight  # N x classes x C*L
        weight = weight.view(n, -1, channels, length).transpose(2, 3).reshape(n, -1, length * channels)
        return linear_stacked(h.reshape(n, batch, length * channels), weight, self.linear.bias)

    def _forward_grouped(self, x: torch.Tensor) -> torch.Tensor:
        cfg, n = self.config, self.n_models
        s, p = cfg.STRIDE, cfg.PADDING
        batch = x.shape[0]
        h = x.reshape(batch, 1, -1)  # B x 1 x L: the shared signal
        w1 = self.conv1.weight  # N x C x 1 x K
        h = F.conv1d(h, w1.reshape(-1, 1, w1.shape[-1]), self.conv1.bias.reshape(-1), stride=s, padding=p)
        for conv in (self.conv2, self.conv3):  # B x N*C x L: model i owns channels i*C ... (i+1)*C - 1
            w = conv.weight  # N x C x C x K
            h = F.conv1d(
                h.relu(), w.reshape(-1, *w.shape[2:]), conv.bias.reshape(-1), stride=s, padding=p, groups=n
            )
        h = h.relu().reshape(batch, n, -1).transpose(0, 1)  # N x B x C*L, the single model's flattening
        return linear_stacked(h, self.linear.weight, self.linear.bias)


class StackedCNN2d(StackedModel):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, batch = self.n_models, x.shape[0]
        w1, w2 = self.conv1.weight, self.conv2.weight  # N x C1 x 1 x 3 x 3, N x C2 x C1 x 3 x 3
        h = F.conv2d(x, w1.reshape(-1, *w1.shape[2:]), self.conv1.bias.reshape(-1), padding=1).relu()
        h = F.conv2d(h, w2.reshape(-1, *w2.shape[2:]), self.conv2.bias.reshape(-1), padding=1, groups=n)
        h = F.max_pool2d(h.relu(), 2)  # B x N*C2 x side/2 x side/2
        h = h.reshape(batch, n, -1).transpose(0, 1)  # N x B x C2*(side/2)^2, the single model's flattening
        return linear_stacked(h, self.linear.weight, self.linear.bias)


class StackedRecurrent(StackedModel):
    """N GRU/LSTM classifiers as one recurrent network of hidden size N * H, block-diagonal weights.

    PyTorch stacks a cell's gate weights along rows: weight_hh is G*H x H with the G gates (GRU: r, z,
    n; LSTM: i, f, g, o) one below the other. The wide network's weight_hh is G*N*H x N*H: gate g, model
    i occupies rows g*N*H + i*H ... and columns i*H ..., zero elsewhere, so model i's hidden state only
    ever sees its own weights.
    """

    def __init__(self, models: Sequence[nn.Module], config: RecurrentConfig) -> None:
        super().__init__(models)
        self.hidden = config.hidden
        self.bidirectional = config.bidirectional
        self.lstm = isinstance(config, LSTMConfig)
        self.gates = 4 if self.lstm else 3
        self.register_buffer("_eye", torch.eye(self.n_models), persistent=False)  # N x N

    def _wide(self, suffix: str) -> list[torch.Tensor]:
        n, g, hid = self.n_models, self.gates, self.hidden
        rnn = self.rnn
        w_ih = rnn.get_parameter("weight_ih_l0" + suffix)  # N x G*H x 1
        w_hh = rnn.get_parameter("weight_hh_l0" + suffix)  # N x G*H x H
        b_ih = rnn.get_parameter("bias_ih_l0" + suffix)  # N x G*H
        b_hh = rnn.get_parameter("bias_hh_l0" + suffix)  # N x G*H

        def gate_major(t: torch.Tensor) -> torch.Tensor:  # N x G*H x ... -> G*N*H x ...
            return t.reshape(n, g, hid, *t.shape[2:]).transpose(0, 1).reshape(g * n * hid, *t.shape[2:])

        blocks = torch.einsum("ngjk,nm->gnjmk", w_hh.reshape(n, g, hid, hid), self._eye)  # G x N x H x N x H
        return [gate_major(w_ih), blocks.reshape(g * n * hid, n * hid), gate_major(b_ih), gate_major(b_hh)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, hid, batch = self.n_models, self.hidden, x.shape[0]
        dirs = 2 if self.bidirectional else 1
        weights = self._wide("") + (self._wide("_reverse") if self.bidirectional else [])
        seq = x.reshape(batch, -1, 1)  # B x T x 1: one scalar per time step, shared by the N models
        h0 = seq.new_zeros(dirs, batch, n * hid)  # zeros, as nn.GRU/nn.LSTM when no state is passed
        args = (weights, True, 1, 0.0, self.training, self.bidirectional, True)
        if self.lstm:
            out, _, _ = torch.lstm(seq, (h0, torch.zeros_like(h0)), *args)
        else:
            out, _ = torch.gru(seq, h0, *args)
        steps = out.shape[1]  # out: B x T x dirs*N*H, ordered (direction, model, unit)
        feats = (
            out.view(batch, steps, dirs, n, hid).permute(3, 0, 1, 2, 4).reshape(n, batch, -1)
        )  # N x B x T*dirs*H
        return linear_stacked(feats, self.linear.weight, self.linear.bias)


StackBuilder = Callable[[Sequence[nn.Module], NetworkConfig], StackedModel]

STACKED: dict[str, StackBuilder] = {
    "linear": lambda models, config: StackedLinear(models),
    "logreg": lambda models, config: StackedLinear(models),
    "mlp": lambda models, config: StackedMLP(models),
    "cnn1d": lambda models, config: StackedCNN1d(models, config),  # type: ignore[arg-type]
    "cnn2d": lambda models, config: StackedCNN2d(models),
    "gru": lambda models, config: StackedRecurrent(models, config),  # type: ignore[arg-type]
    "lstm": lambda models, config: StackedRecurrent(models, config),  # type: ignore[arg-type]
}

# The configs each builder expects, checked in stack() so a mismatch fails loudly, not numerically.
_CONFIGS: dict[str, type[NetworkConfig]] = {
    "linear": LinearRegressionConfig,
    "logreg": LogisticRegressionConfig,
    "mlp": MLPConfig,
    "cnn1d": CNN1dConfig,
    "cnn2d": CNN2dConfig,
    "gru": RecurrentConfig,
    "lstm": RecurrentConfig,
}


def supports(network: str) -> bool:
    """Whether ``network`` has a stacked implementation (else ``stack`` and ``run_sweep`` refuse it)."""
    return network in STACKED


def stack(network: str, config: NetworkConfig, models: Sequence[nn.Module]) -> StackedModel:
    """Stack N single models of registry network ``network`` (built from ``config``) into one module."""
    if not supports(network):
        raise ValueError(f"network {network!r} has no stacked implementation")
    expected = _CONFIGS.get(network)
    if expected is not None and not isinstance(config, expected):
        raise TypeError(f"network {network!r} needs a {expected.__name__}, got {type(config).__name__}")
    return STACKED[network](models, config)
