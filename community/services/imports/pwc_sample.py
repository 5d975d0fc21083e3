"""The real sample of the Papers with Code archive shipped with the code (community/seed/pwc/: the
NLP-progress evaluation tables, CC BY-SA 4.0, see its README), imported by `load_seed_data` so that a
fresh site shows real leaderboards. Idempotent like every import: a rerun changes nothing."""

from pathlib import Path

from community.seed import SEED_DIR

from .pwc import PwcReport, pwc_import

SAMPLE_DIR = SEED_DIR / "pwc"
# When sota-extractor's data/tasks/nlpprogress.json last changed (community/seed/pwc/README.md).
SAMPLE_DUMP_DATE = "2022-03"


def pwc_sample_load(directory: Path = SAMPLE_DIR) -> list[PwcReport]:
    reports = []
    for path in sorted(Path(directory).glob("*.json")):
        with path.open("rb") as stream:
            reports.append(pwc_import(stream, source=path.name, revision=SAMPLE_DUMP_DATE))
    return reports
