"""A small 2-D CNN for 8x8 digit images, channels first (N x 1 x 8 x 8, PyTorch's layout)."""

from __future__ import annotations

import torch
from torch import nn

from training.reference.configs import CNN2dConfig


class CNN2d(nn.Module):
    def __init__(self, config: CNN2dConfig) -> None:
        super().__init__()
        # padding 1 keeps 8x8 through both 3x3 convolutions; one 2x2 max-pool halves it to 4x4.
        self.conv1 = nn.Conv2d(1, config.channels1, 3, padding=1)
        self.conv2 = nn.Conv2d(config.channels1, config.channels2, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.linear = nn.Linear(config.flat_features, config.n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(x).relu()  # N x 16 x 8 x 8
        h = self.conv2(h).relu()  # N x 32 x 8 x 8
        h = self.pool(h)  # N x 32 x 4 x 4
        return self.linear(h.flatten(1))  # N x 512 -> N x 10


def build_model(config: CNN2dConfig) -> CNN2d:
    return CNN2d(config)
