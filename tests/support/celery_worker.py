"""A real Celery worker in its own process, on the test database and broker (never eager mode).

The worker runs `config.settings.test` with the test process's environment, so under pytest-xdist it
inherits PYTEST_XDIST_WORKER and reads and writes the same broker folder or Redis key prefix as the
test process that started it (config/settings/test.py), never another test process's.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The DATABASE_URL of the database this test process runs on (the test database, once created)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(
    predicate: Callable[[], Any], *, timeout: float = 120.0, interval: float = 0.2, what: str = "condition"
):
    """Poll `predicate` until it returns something truthy and return that; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class WorkerDidNotStart(RuntimeError):
    pass


@contextmanager
def celery_worker(
    log: Path, *, queues: str = "default,cpu", start_timeout: float = 60
) -> Iterator[subprocess.Popen]:
    """Run `celery -A config worker -Q <queues>` until the block ends; its output goes to `log`.

    The returned process has `log_path` set. Raises WorkerDidNotStart (with the log's tail) when the
    worker exits or is not ready within `start_timeout` s.
    """
    from config.celery_app import app as celery_app

    celery_app.control.purge()  # messages an earlier test left unconsumed in this process's queues
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "TRAINING_HEARTBEAT_INTERVAL_S": "0.2",
    }
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues, "--concurrency", "1",
             "--loglevel", "INFO", "--hostname", f"test-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    proc.log_path = log
    try:
        deadline = time.monotonic() + start_timeout
        while "ready." not in log.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise WorkerDidNotStart(f"the Celery worker did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield proc
    finally:
        # Killed with its pool, not stopped: a warm (SIGTERM) or cold (SIGQUIT) shutdown took 5-7 s of
        # every such test, and nothing is checked after the test's own assertions. The next worker
        # purges what this one left in the queues (above), and the database is flushed after the test.
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
