"""`make backup` / `make restore` round trip on the database the suite runs on (PostgreSQL in CI)."""

import os
import subprocess
from pathlib import Path

import pytest

from community.models import Paper
from tests.community.factories import fully_linked_paper
from tests.support.celery_worker import database_url

ROOT = Path(__file__).resolve().parent.parent


def _script(name, *args):
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run([f"scripts/{name}", *args], cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_what_was_there_and_drops_what_came_after():
    kept = fully_linked_paper(title="Kept through the round trip")
    authors = list(kept.authorships.values_list("person__name", flat=True))
    out = _script("backup.sh")
    assert out.returncode == 0, out.stderr
    backup = ROOT / out.stdout.strip().splitlines()[-1]
    try:
        Paper.objects.filter(pk=kept.pk).delete()
        fully_linked_paper(title="Added after the backup")
        out = _script("restore.sh", str(backup))
        assert out.returncode == 0, out.stderr
        restored = Paper.objects.get(pk=kept.pk)
        assert restored.title == "Kept through the round trip"
        assert list(restored.authorships.values_list("person__name", flat=True)) == authors
        assert not Paper.objects.filter(title="Added after the backup").exists()
    finally:
        backup.unlink(missing_ok=True)


def test_restore_refuses_a_missing_file():
    out = _script("restore.sh", "var/backups/nope.json.gz")
    assert out.returncode == 2 and "no such backup" in out.stderr
