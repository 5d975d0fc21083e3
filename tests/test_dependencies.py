"""pyproject.toml: what each kind of process needs. The base install serves the web and runs the
`default` queue (similar papers need scikit-learn and numpy); only a training worker adds torch."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _names(requirements: list[str]) -> set[str]:
    """Distribution names, normalised (PEP 503), without versions, extras or markers."""
    return {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", r).group()).lower() for r in requirements}


def _lists() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = {name: _names(reqs) for name, reqs in project["optional-dependencies"].items()}
    return _names(project["dependencies"]), extras


def test_the_default_worker_needs_only_the_base_install():
    base, extras = _lists()
    # community/services/similar.py, run by the `default`-queue task community.similar_papers_refresh.
    assert {"scikit-learn", "numpy"} <= base
    assert not {"scikit-learn", "numpy"} & extras["train"]


def test_torch_and_mnist1d_are_only_in_the_train_extra():
    base, extras = _lists()
    assert {"torch", "mnist1d"} <= extras["train"]
    assert not {"torch", "mnist1d"} & base
    for name, names in extras.items():
        if name != "train":
            assert not {"torch", "mnist1d"} & names, name
