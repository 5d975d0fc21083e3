"""The datasets are local, fixed (independent of the run seed) and in the documented layouts."""

from __future__ import annotations

import random
import sys

import numpy as np
import pytest
import torch

from training.reference import datasets


def test_regression_is_fixed_and_shaped():
    np.random.seed(123)  # the global RNG must not matter
    a = datasets.load("regression")
    np.random.seed(456)
    b = datasets.load("regression")
    assert a.x_train.shape == (100, 1) and a.y_train.shape == (100, 1) and a.x_test.shape == (100, 1)
    assert a.x_train.dtype == a.y_train.dtype == torch.float32
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_train, b.y_train)
    x, y = a.x_train.flatten().double(), a.y_train.flatten().double()
    assert (x >= 0).all() and (x < 1).all()
    noise = y - 3 * x - 2  # u ~ U[0, 1)
    assert (noise >= 0).all() and (noise < 1).all()


def test_mnist1d_shapes_and_cache(mnist1d, data_dir):
    assert mnist1d.x_train.shape == (4000, 40) and mnist1d.x_test.shape == (1000, 40)
    assert mnist1d.y_train.shape == (4000,) and mnist1d.y_test.shape == (1000,)
    assert mnist1d.x_train.dtype == torch.float32 and mnist1d.y_train.dtype == torch.int64
    assert set(mnist1d.y_train.unique().tolist()) == set(range(10))
    path = datasets.mnist1d_path(data_dir)
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["x", "x_test", "y", "y_test"]
        assert np.array_equal(npz["x"], mnist1d.x_train.numpy())


def test_mnist1d_cache_loads_without_the_mnist1d_package(mnist1d, data_dir, monkeypatch):
    for name in [m for m in sys.modules if m == "mnist1d" or m.startswith("mnist1d.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mnist1d", None)  # makes `import mnist1d` fail
    again = datasets.load("mnist1d", data_dir)
    assert torch.equal(again.x_train, mnist1d.x_train)


def test_mnist1d_without_package_or_cache_says_what_to_do(tmp_path, monkeypatch):
    for name in [m for m in sys.modules if m == "mnist1d" or m.startswith("mnist1d.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mnist1d", None)
    with pytest.raises(RuntimeError, match="needs the 'mnist1d' package"):
        datasets.load("mnist1d", tmp_path)
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_mnist1d_generation_leaves_global_rngs_alone(tmp_path):
    random.seed(7)
    np.random.seed(7)
    expected = (random.random(), np.random.rand())
    random.seed(7)
    np.random.seed(7)
    datasets.load("mnist1d", tmp_path)  # generates (empty cache dir), reseeding inside mnist1d
    assert (random.random(), np.random.rand()) == expected


def test_mnist1d_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.DATA_DIR_ENV, str(tmp_path))
    assert datasets.mnist1d_path().parent == tmp_path


def test_corrupt_cache_is_reported(tmp_path):
    path = datasets.mnist1d_path(tmp_path)
    np.savez(path, x=np.zeros((3, 40)), y=np.zeros(3), x_test=np.zeros((1, 40)), y_test=np.zeros(1))
    with pytest.raises(RuntimeError, match="is not valid"):
        datasets.load("mnist1d", tmp_path)


def test_digits_layout_range_and_stratified_split():
    data = datasets.load("digits")
    assert data.x_train.shape == (1437, 1, 8, 8) and data.x_test.shape == (360, 1, 8, 8)  # N x C x H x W
    assert data.x_train.min() >= 0 and data.x_train.max() <= 1 and data.x_train.max() > 0.9
    train_counts = torch.bincount(data.y_train, minlength=10).double()
    test_counts = torch.bincount(data.y_test, minlength=10).double()
    assert torch.allclose(test_counts / 360, train_counts / 1437, atol=0.01)
    assert torch.equal(datasets.load("digits").x_test, data.x_test)  # the split is fixed


def test_unknown_dataset():
    with pytest.raises(ValueError, match="unknown dataset 'cifar'"):
        datasets.load("cifar")
