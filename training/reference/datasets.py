"""The three datasets, all made locally (never downloaded), as tensors ready for the loop.

Shapes (N = examples):

    regression  x: N x 1 float32, y: N x 1 float32          N = 100 train, 100 test
    mnist1d     x: N x 40 float32, y: N int64 (0..9)         N = 4000 train, 1000 test
    digits      x: N x 1 x 8 x 8 float32 in [0, 1], y: N int64   N = 1437 train, 360 test

Every dataset is fixed: it does not depend on the run seed (which only changes initial weights), so
runs with different seeds train on the same data.

MNIST-1D is generated once with the ``mnist1d`` package and cached as a plain ``.npz`` (keys x, y,
x_test, y_test); loading the cache needs only numpy, so a worker without ``mnist1d`` can train from a
cache made elsewhere.
"""

from __future__ import annotations

import os
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from training.reference.registry import DATASETS, DatasetInfo

DATA_DIR_ENV = "DEEPCOMMONS_DATA_DIR"
DEFAULT_DATA_DIR = Path("var/datasets")  # relative to the working directory (the project root)

REGRESSION_DATA_SEED = 0  # independent of the run seed: every run sees the same 100 points
MNIST1D_ARGS = {"num_samples": 5000, "train_split": 0.8, "seed": 42}  # the paper's defaults, pinned
DIGITS_SPLIT_SEED = 0


@dataclass(frozen=True)
class Dataset:
    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor

    @property
    def info(self) -> DatasetInfo:
        return DATASETS[self.name]

    def to(self, device: torch.device | str) -> Dataset:
        """All four tensors on ``device``. The datasets are tiny, so they live there for the whole run."""
        return Dataset(
            self.name,
            self.x_train.to(device),
            self.y_train.to(device),
            self.x_test.to(device),
            self.y_test.to(device),
        )


def default_data_dir() -> Path:
    """``$DEEPCOMMONS_DATA_DIR`` if set, else ``var/datasets`` under the working directory."""
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def load(name: str, cache_dir: str | os.PathLike[str] | None = None) -> Dataset:
    """Load (or make) dataset ``name``; ``cache_dir`` is only used by mnist1d."""
    if name == "regression":
        arrays = regression_arrays()
    elif name == "mnist1d":
        arrays = mnist1d_arrays(cache_dir)
    elif name == "digits":
        arrays = digits_arrays()
    else:
        raise ValueError(f"unknown dataset {name!r} (known: {', '.join(DATASETS)})")
    target_dtype = torch.float32 if DATASETS[name].task == "regression" else torch.int64
    return Dataset(
        name=name,
        x_train=torch.as_tensor(arrays["x"], dtype=torch.float32),
        y_train=torch.as_tensor(arrays["y"], dtype=target_dtype),
        x_test=torch.as_tensor(arrays["x_test"], dtype=torch.float32),
        y_test=torch.as_tensor(arrays["y_test"], dtype=target_dtype),
    )


# --- regression --------------------------------------------------------------------------------------


def regression_arrays(n_train: int = 100, n_test: int = 100) -> dict[str, np.ndarray]:
    """y = 3x + 2 + u with x, u ~ U[0, 1). Least squares gives w ~ 3 and b ~ 2.5 (u has mean 0.5).

    A private generator with a fixed seed, so neither the run seed nor anyone else's use of the
    global numpy RNG changes the data. Test points are the next draws of the same generator.
    """
    rng = np.random.default_rng(REGRESSION_DATA_SEED)
    n = n_train + n_test
    x = rng.random(n)  # n
    u = rng.random(n)  # n
    y = 3.0 * x + 2.0 + u  # n
    x, y = x[:, None], y[:, None]  # n x 1: one feature, one target
    return {"x": x[:n_train], "y": y[:n_train], "x_test": x[n_train:], "y_test": y[n_train:]}


# --- MNIST-1D ----------------------------------------------------------------------------------------


def mnist1d_path(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    base = Path(cache_dir) if cache_dir is not None else default_data_dir()
    args = MNIST1D_ARGS
    return base / f"mnist1d-seed{args['seed']}-n{args['num_samples']}.npz"


def mnist1d_arrays(cache_dir: str | os.PathLike[str] | None = None) -> dict[str, np.ndarray]:
    """The MNIST-1D arrays from the cache, generating and caching them on first use."""
    path = mnist1d_path(cache_dir)
    if not path.exists():
        arrays = generate_mnist1d()
        _write_npz_atomically(path, arrays)
    with np.load(path, allow_pickle=False) as npz:  # plain arrays only: never unpickle a cache file
        arrays = {key: npz[key] for key in ("x", "y", "x_test", "y_test") if key in npz}
    _check_mnist1d(arrays, path)
    return arrays


def generate_mnist1d() -> dict[str, np.ndarray]:
    """Generate MNIST-1D with the paper's arguments (5000 examples, 80/20 split, seed 42).

    ``mnist1d.make_dataset`` reseeds the global ``random`` and ``numpy`` RNGs; their state is restored
    afterwards so loading data has no side effect on a caller's randomness.
    """
    try:
        from mnist1d.data import get_dataset_args, make_dataset
    except ImportError as exc:  # mnist1d itself, or one of its imports (scipy, matplotlib, requests)
        raise RuntimeError(
            f"generating MNIST-1D needs the 'mnist1d' package ({exc}); install it with "
            "`pip install mnist1d`, or put a cached .npz at the path mnist1d_path() names "
            f"(set ${DATA_DIR_ENV} to its folder)"
        ) from exc

    args = get_dataset_args()  # ObjectView: attribute access, as make_dataset expects
    for key, value in MNIST1D_ARGS.items():
        setattr(args, key, value)

    py_state, np_state = random.getstate(), np.random.get_state()
    try:
        data = make_dataset(args)
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
    return {
        "x": np.asarray(data["x"], dtype=np.float32),  # 4000 x 40
        "y": np.asarray(data["y"], dtype=np.int64),  # 4000
        "x_test": np.asarray(data["x_test"], dtype=np.float32),  # 1000 x 40
        "y_test": np.asarray(data["y_test"], dtype=np.int64),  # 1000
    }


def _write_npz_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    # Several workers may generate at once: each writes a private temp file and renames it into place,
    # so a reader never sees a half-written cache (os.replace is atomic on one filesystem).
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:  # a file object: np.savez would append .npz to a bare name
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_mnist1d(arrays: dict[str, np.ndarray], path: Path) -> None:
    info = DATASETS["mnist1d"]
    expected = {
        "x": (info.n_train, *info.input_shape),
        "y": (info.n_train,),
        "x_test": (info.n_test, *info.input_shape),
        "y_test": (info.n_test,),
    }
    for key, shape in expected.items():
        if key not in arrays or arrays[key].shape != shape:
            got = arrays[key].shape if key in arrays else "missing"
            raise RuntimeError(
                f"MNIST-1D cache {path} is not valid: {key} has shape {got}, expected {shape}; "
                "delete the file to regenerate it"
            )


# --- digits ------------------------------------------------------------------------------------------


def digits_arrays() -> dict[str, np.ndarray]:
    """scikit-learn's 8x8 digits (bundled with it, no download), channels first, pixels in [0, 1].

    Fixed stratified 80/20 split (random_state 0): 1437 train, 360 test, every class in proportion.
    """
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError as exc:
        raise RuntimeError(
            f"the digits dataset needs scikit-learn ({exc}); install it with `pip install scikit-learn`"
        ) from exc

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None]  # 1797 x 1 x 8 x 8, raw pixels are 0..16
    labels = digits.target.astype(np.int64)  # 1797
    x, x_test, y, y_test = train_test_split(
        images, labels, test_size=0.2, stratify=labels, random_state=DIGITS_SPLIT_SEED
    )
    return {"x": x, "y": y, "x_test": x_test, "y_test": y_test}
