"""Shared fixtures for the reference-training tests (plain pytest, no Django)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A per-session MNIST-1D cache folder, so tests never write to var/."""
    return tmp_path_factory.mktemp("datasets")


@pytest.fixture(scope="session")
def mnist1d(data_dir: Path):
    """The MNIST-1D tensors, generated once per session into ``data_dir``."""
    from training.reference import datasets

    return datasets.load("mnist1d", data_dir)
