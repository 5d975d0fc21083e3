"""Logistic regression: one linear layer from the flattened input to class logits (paper's LinearBase)."""

from __future__ import annotations

import torch
from torch import nn

from training.reference.configs import LogisticRegressionConfig


class LogisticRegression(nn.Module):
    def __init__(self, in_features: int = 40, n_classes: int = 10) -> None:
        super().__init__()
        self.linear = nn.Linear(in_features, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # flatten(1) makes the same model take N x 40 sequences and N x 1 x 8 x 8 images
        return self.linear(x.flatten(1))  # N x in_features -> N x n_classes (logits; softmax is in the loss)


def build_model(config: LogisticRegressionConfig) -> LogisticRegression:
    return LogisticRegression(config.in_features, config.n_classes)
