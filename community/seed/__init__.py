"""The curated catalogue DeepCommons starts with: one YAML file per family, read by `read_seed`.

The facts come from the seed document in `seed/` (the community elements it names) and from the
papers' own bibliographic records; every description is written anew for this project.
`community.services.seed.seed_load` writes them to the database.
"""

from pathlib import Path

from .reader import FAMILIES, SeedData, SeedDataError, read_seed

SEED_DIR = Path(__file__).resolve().parent

__all__ = ["FAMILIES", "SEED_DIR", "SeedData", "SeedDataError", "read_seed"]
