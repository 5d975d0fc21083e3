"""The import contracts of pyproject.toml ([tool.importlinter], run by `make lint`) hold on the real tree,
and each one fails when an import it forbids is added.

Each case copies the project's packages (their .py files) into a temporary folder, adds one import to
one module, and runs `lint-imports` there on that contract alone: it must fail and name the module it
caught. import-linter reads the files without importing them, so the added line never runs.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
PACKAGES = [package for package in CONFIG["root_packages"] if (ROOT / package).is_dir()]  # django: installed
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# contract id -> (module file, the line added to it): one import each contract forbids.
FORBIDDEN = {
    "common-imports-no-app": ("common/timezones.py", "from community.models import Deadline"),
    "reference-is-plain-python": ("training/reference/configs.py", "from django.db import models"),
    "web-without-torch": ("community/views/home.py", "import torch"),
    "importers-import-no-model": ("community/importers/bibtex.py", "from community.models import Paper"),
    "importers-import-no-database": ("community/importers/arxiv.py", "from django.db import transaction"),
    "selectors-import-no-service": (
        "community/selectors/papers.py",
        "from community.services import moderation",
    ),
    "models-import-no-service": ("training/models.py", "from training.services import sweeps"),
    # The cycle the signal in community.services.similar replaced.
    "only-tasks-know-celery": (
        "community/services/similar.py",
        "from community.tasks import similar_papers_refresh",
    ),
    "apis-independent": ("training/api/views.py", "from community.api import views as catalogue_views"),
    # The cycle common.timezones cut: the page cache read the tz cookie's rules from the views.
    "community-layers": ("community/services/expiry.py", "from community.views import home"),
    # The sideways import training.selectors.visible_environment replaced.
    "training-layers": ("training/api/serializers.py", "from training.views import results"),
    # A service reaching up into the pages it serves.
    "alerts-layers": ("alerts/services/follows.py", "from alerts.views import follows"),
    "no-cycles": ("community/page_cache.py", "from community.views.base import reader_timezone"),
}


def lint_imports(root: Path, *contracts: str, cache: Path | None = None) -> subprocess.CompletedProcess:
    options = [arg for contract in contracts for arg in ("--contract", contract)]
    # A shared cache spares re-reading Django for every case; grimp re-reads a file whose mtime changed.
    options += ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", *options, str(root / "pyproject.toml")],
        cwd=root,  # lint-imports puts its working folder first on sys.path: the copy, not the project
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_project(destination: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            destination / package,
            ignore=lambda folder, names: [
                n
                for n in names
                if not n.endswith(".py") and not (Path(folder) / n).is_dir() or n == "__pycache__"
            ],
        )
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_every_contract_is_exercised_here():
    assert set(FORBIDDEN) == {contract["id"] for contract in CONFIG["contracts"]}


def test_the_project_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONFIG['contracts'])} kept, 0 broken." in result.stdout


@pytest.fixture(scope="module")
def graph_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("import-linter-cache")


@pytest.mark.parametrize("contract", sorted(FORBIDDEN))
def test_a_forbidden_import_breaks_the_contract(contract, tmp_path, graph_cache):
    path, line = FORBIDDEN[contract]
    root = copy_project(tmp_path)
    with (root / path).open("a") as module:
        module.write(f"\n\ndef _added():\n    {line}  # noqa\n")
    result = lint_imports(root, contract, cache=graph_cache)
    name = next(c["name"] for c in CONFIG["contracts"] if c["id"] == contract)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "BROKEN" in output and name.split(":")[0] in output, output
    module = path.removesuffix(".py").replace("/", ".")
    # The copy differs from the tree (which keeps every contract) by the added line, and the report
    # names its module: in full, or (the acyclic contract) relative to its package, ".page_cache ->".
    assert module in output or f".{module.rsplit('.', 1)[-1]} ->" in output, output
