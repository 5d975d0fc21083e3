"""Fixtures of the e2e suite: one production stack for the whole session, bounded tests.

- `stack` (session): started once (migrate, seed, benchmarks, collectstatic, gunicorn, two Celery
  workers, a redis-server and the database proxy), stopped at the end whatever happened; its logs are
  copied to var/e2e/logs/ so a failure can be read afterwards.
- `healthy_stack`: the same stack, repaired before and after a test that breaks things on purpose.
- Every test has a deadline: pytest-timeout's `@pytest.mark.timeout(seconds)`, default 120 s (e2e/pytest.ini),
  on the test function only (the session stack starts once, bounded by make test-e2e's budget), enforced
  with SIGALRM so the fixtures' teardown still runs; SIGTERM (what `timeout` sends) becomes
  KeyboardInterrupt for the same reason.
- The files run in the order stack → browser → layout → faults: the fault tests go last, after the happy paths
  have shown the stack works.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

from .stack import ROOT, Stack

FILE_ORDER = [
    "test_stack.py",
    "test_browser.py",
    "test_layout.py",
    "test_venue_ranks.py",
    "test_alerts.py",
    "test_faults.py",
]
LOG_DIR = ROOT / "var" / "e2e" / "logs"


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config):
    signal.signal(signal.SIGTERM, _interrupt)


def pytest_collection_modifyitems(config, items):
    def rank(item):
        name = Path(str(item.fspath)).name
        return FILE_ORDER.index(name) if name in FILE_ORDER else len(FILE_ORDER)

    items.sort(key=rank)  # stable: tests keep their order within a file


@pytest.fixture(autouse=True)
def _duration(request):
    started = time.monotonic()
    try:
        yield
    finally:
        request.config._e2e_durations = getattr(request.config, "_e2e_durations", {})
        request.config._e2e_durations[request.node.name] = time.monotonic() - started


@pytest.fixture(scope="session")
def stack(request):
    workdir = os.environ.get("E2E_WORKDIR")
    folder = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="deepcommons-e2e-"))
    folder.mkdir(parents=True, exist_ok=True)
    instance = Stack(folder)
    started = time.monotonic()
    try:
        instance.start()
        instance.timings["total start"] = round(time.monotonic() - started, 1)
        yield instance
    finally:
        instance.stop()
        try:
            instance.keep_logs(LOG_DIR)
        except OSError as exc:
            print(f"e2e: could not keep the logs: {exc}", file=sys.stderr)
        request.config._e2e_stack_timings = instance.timings
        if not workdir:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def healthy_stack(stack):
    stack.ensure_healthy()
    yield stack
    stack.ensure_healthy()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    timings = getattr(config, "_e2e_stack_timings", {})
    if timings:
        parts = ", ".join(f"{k} {v}s" for k, v in timings.items())
        terminalreporter.write_line(f"e2e stack: {parts}; logs in {LOG_DIR.relative_to(ROOT)}/")
    durations = getattr(config, "_e2e_durations", {})
    if durations:
        terminalreporter.write_line(
            "e2e tests: " + ", ".join(f"{name} {seconds:.1f}s" for name, seconds in durations.items())
        )
