"""The paper's 1-D CNN (ConvBase): three strided Conv1d with ReLU, then a linear classifier.

For the paper's 40-sample input the lengths go 40 -> 19 -> 10 -> 5, so the classifier sees
25 channels x 5 = 125 features.
"""

from __future__ import annotations

import torch
from torch import nn

from training.reference.configs import CNN1dConfig


class CNN1d(nn.Module):
    def __init__(self, config: CNN1dConfig) -> None:
        super().__init__()
        k1, k2, k3 = config.KERNELS
        c, s, p = config.channels, config.STRIDE, config.PADDING
        self.conv1 = nn.Conv1d(1, c, k1, stride=s, padding=p)
        self.conv2 = nn.Conv1d(c, c, k2, stride=s, padding=p)
        self.conv3 = nn.Conv1d(c, c, k3, stride=s, padding=p)
        self.linear = nn.Linear(config.flat_features, config.n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.reshape(x.shape[0], 1, -1)  # N x 1 x 40: one input channel
        h = self.conv1(h).relu()  # N x 25 x 19
        h = self.conv2(h).relu()  # N x 25 x 10
        h = self.conv3(h).relu()  # N x 25 x 5
        return self.linear(h.flatten(1))  # N x 125 -> N x 10


def build_model(config: CNN1dConfig) -> CNN1d:
    return CNN1d(config)
