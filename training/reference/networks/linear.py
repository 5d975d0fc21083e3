"""Linear regression: y = w x + b."""

from __future__ import annotations

import torch
from torch import nn

from training.reference.configs import LinearRegressionConfig


class LinearRegression(nn.Module):
    def __init__(self, in_features: int = 1, out_features: int = 1) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)  # N x in -> N x out

    def coefficients(self) -> dict[str, float]:
        """Current w and b for the history (one input, one output only; else empty). One device sync."""
        if self.linear.weight.numel() != 1:
            return {}
        w, b = torch.cat([self.linear.weight.detach().flatten(), self.linear.bias.detach()]).tolist()
        return {"w": w, "b": b}


def build_model(config: LinearRegressionConfig) -> LinearRegression:
    return LinearRegression(config.in_features, config.out_features)


def least_squares(x: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """Closed-form least-squares fit of y = w x + b (float64, CPU): what training should approach."""
    x64 = x.detach().to("cpu", torch.float64).reshape(-1, 1)  # N x 1
    y64 = y.detach().to("cpu", torch.float64).reshape(-1, 1)  # N x 1
    design = torch.cat([x64, torch.ones_like(x64)], dim=1)  # N x 2: columns [x, 1]
    solution = torch.linalg.lstsq(design, y64).solution  # 2 x 1: [w, b]
    w, b = solution.flatten().tolist()
    return {"lstsq_w": w, "lstsq_b": b}
