"""pytest-xdist runs the suite in several processes (`make test`); each has its own broker and cache
keys, so one process's Celery worker never takes another's tasks, nor its cache clearing another's entries."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches

from tests.support.caches import PrefixedRedisCache

ROOT = Path(__file__).resolve().parent.parent

_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "broker": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "prefixes": {alias: conf.get("KEY_PREFIX") for alias, conf in settings.CACHES.items()},
}))
"""


def _settings_of(worker: str, broker_url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTEST_XDIST_WORKER": worker}
    env["CELERY_BROKER_URL"] = broker_url
    out = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", _SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_test_processes_get_their_own_broker_folder_and_cache_keys():
    gw0, gw1 = (_settings_of(worker, "filesystem://") for worker in ("gw0", "gw1"))
    assert gw0["broker"]["data_folder_in"] != gw1["broker"]["data_folder_in"]
    assert gw0["broker"]["control_folder"] != gw1["broker"]["control_folder"]
    for alias in settings.CACHES:
        assert gw0["prefixes"][alias] != gw1["prefixes"][alias]


def test_two_test_processes_get_their_own_redis_broker_keys():
    # Settings only: nothing connects to this Redis.
    gw0, gw1 = (_settings_of(worker, "redis://127.0.0.1:6379/15") for worker in ("gw0", "gw1"))
    assert gw0["broker"]["global_keyprefix"] != gw1["broker"]["global_keyprefix"]


@pytest.mark.skipif(
    not isinstance(caches["default"], PrefixedRedisCache),
    reason="needs CACHE_URL to name a Redis (CI sets one)",
)
def test_clearing_one_processes_redis_cache_leaves_another_processes_entries():
    location = settings.CACHES["default"]["LOCATION"]
    mine, theirs = (
        PrefixedRedisCache(location, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"}) for _ in range(2)
    )
    try:
        mine.set("page", "mine")
        theirs.set("page", "theirs")
        mine.clear()
        assert mine.get("page") is None
        assert theirs.get("page") == "theirs"
    finally:
        theirs.clear()
