"""Writable copies of the shipped seed (community/seed/), for tests that edit a file and load it again."""

import shutil
from pathlib import Path

from community.seed import SEED_DIR


def seed_copy(to: Path, *, guides: bool) -> Path:
    """`to`, holding a copy of the seed's YAML files and, with `guides`, of its guides."""
    for path in SEED_DIR.glob("*.yaml"):
        shutil.copy(path, to / path.name)
    if guides:
        shutil.copytree(SEED_DIR / "guides", to / "guides")
    return to
