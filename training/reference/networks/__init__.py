"""One module per reference network, each with ``build_model(config) -> nn.Module``.

``build_model(network, config)`` here dispatches by registry name, so callers need not know the module.
PyTorch's default initialisation everywhere, as in the paper's code.
"""

from __future__ import annotations

from torch import nn

from training.reference.configs import NetworkConfig
from training.reference.registry import NETWORKS, builder


def build_model(network: str, config: NetworkConfig) -> nn.Module:
    """Build the registry's network ``network`` from its config (checked to be the right class)."""
    expected = NETWORKS[network].config_cls if network in NETWORKS else None
    if expected is None or type(config) is not expected:
        raise TypeError(
            f"network {network!r} needs a {getattr(expected, '__name__', '?')}, got {type(config).__name__}"
        )
    return builder(network)(config)


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
