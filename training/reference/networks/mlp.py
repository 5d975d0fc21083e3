"""The paper's MLP (MLPBase): 40 -> 100 -> 100 -> 10, ReLU, with a residual second layer."""

from __future__ import annotations

import torch
from torch import nn

from training.reference.configs import MLPConfig


class MLP(nn.Module):
    def __init__(self, in_features: int = 40, hidden: int = 100, n_classes: int = 10) -> None:
        super().__init__()
        self.linear1 = nn.Linear(in_features, hidden)
        self.linear2 = nn.Linear(hidden, hidden)
        self.linear3 = nn.Linear(hidden, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h1 = self.linear1(x.flatten(1)).relu()  # N x hidden
        h2 = h1 + self.linear2(h1).relu()  # N x hidden; residual as in the paper's code
        return self.linear3(h2)  # N x n_classes


def build_model(config: MLPConfig) -> MLP:
    return MLP(config.in_features, config.hidden, config.n_classes)
