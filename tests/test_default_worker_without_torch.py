"""A `default`-queue worker runs on the base install: no torch, no mnist1d, nothing only they bring.

The worker is a real `celery -A config worker -Q default` process on the test database
(tests/support/celery_worker.py), started so that importing any module of the `train` extra's distributions (torch, mnist1d and what only they
depend on, read from pyproject.toml and the installed metadata) fails, as on a host installed
without `.[train]`. It must start (which imports every app's tasks, training's too) and compute the
similar papers of a small catalogue when the task is enqueued here.
"""

import importlib.metadata as metadata
import json
import os
import textwrap
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from community.models import SimilarPaper
from community.tasks import similar_papers_refresh
from tests.community import factories as f
from tests.support.celery_worker import celery_worker, wait_for

ROOT = Path(__file__).resolve().parent.parent

# Build tools every virtual environment has, whatever the project asks for.
ALWAYS_THERE = {"pip", "setuptools", "wheel"}

# Imported at start-up by every Python process with its folder on PYTHONPATH: the worker and its
# pool's children. Modules named in NOT_INSTALLED fail to import as where they are not installed;
# sys.modules stays as it is (libraries such as scipy look there for torch, and must find nothing).
SITECUSTOMIZE = textwrap.dedent(
    """
    import json, os, sys

    class NotInstalled:
        blocked = frozenset(json.loads(os.environ.get("NOT_INSTALLED", "[]")))

        def find_spec(self, fullname, path=None, target=None):
            if fullname.partition(".")[0] in self.blocked:
                raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
            return None

    sys.meta_path.insert(0, NotInstalled())
    try:
        import torch
    except ImportError:
        print("no torch in this process", file=sys.stderr, flush=True)
    """
)

GRAPHS = [
    ("Message passing graph neural networks for molecules", "Graph neural networks pass messages between atoms of molecular graphs to predict molecule properties."),
    ("Graph attention networks on molecular graphs", "Attention over the neighbours of each node lets graph networks weigh atoms in molecular graphs."),
    ("Molecule property prediction with graph networks", "We predict molecule properties from molecular graphs with deep graph networks and message passing."),
]  # fmt: skip
PROTEINS = [
    ("Protein structure prediction from amino acid sequences", "Predicting the folded protein structure from its amino acid sequence and residue contacts."),
    ("Residue contact maps for protein folding", "Contact maps between residues guide protein folding models towards the native protein structure."),
    ("Folding proteins with evolutionary sequence alignments", "Multiple sequence alignments of related proteins reveal residue contacts that determine folding."),
]  # fmt: skip


def _installed_closure(requirements: list[str]) -> set[str]:
    """The installed distributions `requirements` bring, with everything they depend on."""
    seen: set[tuple[str, str]] = set()  # (distribution, extra)
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # for another platform or Python
        for wanted in {"", *requirement.extras} - {e for n, e in seen if n == name}:
            seen.add((name, wanted))
            todo += [(Requirement(r), wanted) for r in distribution.requires or []]
    return {name for name, _extra in seen}


def _train_only_modules() -> list[str]:
    """Top-level modules of the distributions that only the `train` extra installs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    train_only = _installed_closure(project["optional-dependencies"]["train"])
    train_only -= _installed_closure(project["dependencies"]) | ALWAYS_THERE
    return sorted(
        module
        for module, distributions in metadata.packages_distributions().items()
        if any(canonicalize_name(d) in train_only for d in distributions)
    )


@pytest.fixture
def torchless_default_worker(transactional_db, tmp_path, monkeypatch):
    blocked = _train_only_modules()
    assert {"torch", "mnist1d"} <= set(blocked)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    # The worker inherits this process's environment; this process itself is unaffected.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("NOT_INSTALLED", json.dumps(blocked))
    with celery_worker(tmp_path / "worker.log", queues="default") as proc:
        yield proc


def test_a_default_worker_without_torch_computes_similar_papers(torchless_default_worker):
    graphs = [f.PaperFactory(title=title, abstract=abstract) for title, abstract in GRAPHS]
    proteins = [f.PaperFactory(title=title, abstract=abstract) for title, abstract in PROTEINS]

    similar_papers_refresh.delay()

    log_path = torchless_default_worker.log_path
    # Done when the rows are there, or as soon as the task failed (its error is in the log).
    wait_for(
        lambda: SimilarPaper.objects.exists() or "raised unexpected" in log_path.read_text(),
        timeout=120,
        what="the worker's similar papers",
    )
    log = log_path.read_text()
    assert "raised unexpected" not in log, log[-3000:]
    assert "no torch in this process" in log
    assert "training.execute_runs" in log  # it started with every app's tasks, training's too
    for group in (graphs, proteins):
        for paper in group:
            listed = list(paper.similar_links.order_by("rank").values_list("similar_id", flat=True))
            # Its two neighbours on the same subject come first.
            assert set(listed[:2]) == {other.pk for other in group if other != paper}, (paper, log[-3000:])
