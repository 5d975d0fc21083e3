"""The paper's recurrent classifier (GRUBase), with a GRU or an LSTM cell.

The signal is read one scalar per time step; the outputs of all steps (both directions) are flattened
into one linear layer, so the classifier sees the whole sequence, not only the last state:
40 steps x 2 directions x 6 hidden = 480 features.
"""

from __future__ import annotations

import torch
from torch import nn

from training.reference.configs import GRUConfig, LSTMConfig, RecurrentConfig


class RecurrentClassifier(nn.Module):
    def __init__(self, config: RecurrentConfig, cell: type[nn.GRU] | type[nn.LSTM]) -> None:
        super().__init__()
        # Initial state: zeros (nn.GRU/nn.LSTM's default when none is passed; the paper passes 0 * randn).
        self.rnn = cell(
            input_size=1, hidden_size=config.hidden, batch_first=True, bidirectional=config.bidirectional
        )
        self.linear = nn.Linear(config.flat_features, config.n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        seq = x.reshape(x.shape[0], -1, 1)  # N x 40 x 1: time-major within each row, one feature per step
        out, _ = self.rnn(seq)  # N x 40 x (directions * hidden)
        return self.linear(out.flatten(1))  # N x 480 -> N x 10


def build_model(config: RecurrentConfig) -> RecurrentClassifier:
    if isinstance(config, LSTMConfig):
        return RecurrentClassifier(config, nn.LSTM)
    if isinstance(config, GRUConfig):
        return RecurrentClassifier(config, nn.GRU)
    raise TypeError(f"expected GRUConfig or LSTMConfig, got {type(config).__name__}")
