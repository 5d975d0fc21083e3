"""Faults injected into the running stack, and what must hold through them.

- A worker killed mid-run (its pool child, or its main process): the run is taken over once its
  heartbeat is stale and completes exactly once: attempt 2 succeeds, its curve has each step once,
  nothing is left running. `training.requeue_stale_runs` is what beat runs every 5 minutes in
  production; here the test publishes it as soon as a heartbeat is stale (HEARTBEAT_STALE_S = 15 s).
- The stack's own Redis stopped and restarted while runs wait in the queue: the append-only file
  keeps them, the workers reconnect and every run finishes, without any requeue.
- The database unreachable (the proxy in front of PostgreSQL cut): the site answers a clear 503 page
  (the API its JSON error), /readyz says the database is unreachable, and both heal by themselves.

Only this session's database, redis-server and processes are touched, never the shared services.
"""

from __future__ import annotations

import os
import re
import signal
import time
from dataclasses import dataclass

import pytest
import requests

from .stack import FAULT_BENCHMARK, FAULT_STEPS, HEARTBEAT_STALE_S, WORKERS, Stack, wait_for

FINAL = ("succeeded", "failed", "cancelled")


@dataclass
class Run:
    id: int
    state: str
    step: int
    total_steps: int
    attempt: int
    worker: str
    heartbeat_age_s: float | None
    error: str


def runs_of(stack: Stack, sweep_ids: list[int]) -> list[Run]:
    rows = stack.sql(
        "SELECT id, state, step, total_steps, attempt, worker,"
        " EXTRACT(EPOCH FROM now() - heartbeat_at)::float, error"
        " FROM training_trainingrun WHERE sweep_id = ANY(%s) ORDER BY id",
        (sweep_ids,),
    )
    return [Run(*row) for row in rows]


def start_sweep(stack: Stack, benchmark: str, seeds: int) -> dict:
    response = stack.client("admin").post(
        stack.url("/api/v1/sweeps/"),
        json={"benchmark": benchmark, "seed_count": seeds, "device": "cpu"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def wait_until_final(stack: Stack, sweep_ids: list[int], *, timeout: float, reap: bool) -> list[Run]:
    """Wait for every run of the sweeps to end. With `reap`, publish training.requeue_stale_runs
    (beat's job) whenever a running run's heartbeat is stale, at most every 2 s."""
    last_reap = 0.0
    started = time.monotonic()
    timeline: list[str] = []  # what changed, and when: the failure message of a test that hangs

    def final():
        nonlocal last_reap
        runs = runs_of(stack, sweep_ids)
        now = f"{time.monotonic() - started:5.1f}s"
        seen = " ".join(f"#{r.id}:{r.state}/a{r.attempt}/{r.worker.split('@')[0]}" for r in runs)
        if not timeline or not timeline[-1].endswith(seen):
            timeline.append(f"{now} {seen}")
        if runs and all(run.state in FINAL for run in runs):
            return runs
        stale = [r for r in runs if r.state == "running" and (r.heartbeat_age_s or 0) > HEARTBEAT_STALE_S]
        if reap and stale and time.monotonic() - last_reap > 2:
            stack.send_task("training.requeue_stale_runs")
            last_reap = time.monotonic()
            timeline.append(f"{now} requeue_stale_runs sent")
        return None

    try:
        runs = wait_for(final, timeout=timeout, interval=0.5, what=f"the runs of sweeps {sweep_ids} to end")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n" + "\n".join(timeline)) from None
    if any(run.state != "succeeded" for run in runs):
        print("\n".join(timeline))
    return runs


def assert_nothing_left_running(stack: Stack) -> None:
    left = stack.sql("SELECT id, state FROM training_trainingrun WHERE state IN ('queued', 'running')")
    assert left == [], f"runs left unfinished: {left}"


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.timeout(150)
@pytest.mark.parametrize("target", ["pool-child", "main-process"])
def test_a_worker_killed_mid_run_is_taken_over_and_the_run_completes_once(healthy_stack, target):
    stack = healthy_stack
    sweep = start_sweep(stack, FAULT_BENCHMARK, 2)

    def mid_run():
        runs = runs_of(stack, [sweep["id"]])
        return runs if all(r.state == "running" and r.step >= 200 for r in runs) else None

    before = wait_for(mid_run, timeout=60, interval=0.1, what="both runs to be 200 steps in")
    assert len({r.worker for r in before}) == 1  # one task trains the sweep's seeds together
    name = before[0].worker.split("@")[0].removeprefix("e2e-")
    worker = stack.worker(name)
    children = stack.pool_children(name)
    assert len(children) == 1, f"worker {name} has pool children {children}"

    if target == "pool-child":
        os.kill(children[0], signal.SIGKILL)
        # The main process notices, fails the task (WorkerLostError: requeued, as
        # reject_on_worker_lost asks) and forks a new child.
        wait_for(
            lambda: "signal 9" in worker.output(), timeout=15, what="the worker to report its lost child"
        )
        assert worker.alive()
    else:
        worker.kill(signal.SIGKILL)
        worker.popen.wait(timeout=10)
        # prefork children die with their parent (PR_SET_PDEATHSIG): nothing trains on, unowned.
        wait_for(lambda: not alive(children[0]), timeout=10, what="the pool child to die with its parent")
        stack.start_worker(name)  # what systemd or the container runtime does
    killed_at = max(r.step for r in runs_of(stack, [sweep["id"]]))
    assert killed_at < FAULT_STEPS, "the kill came too late: the runs had finished"

    after = wait_until_final(stack, [sweep["id"]], timeout=100, reap=True)

    for run in after:
        assert run.state == "succeeded", run
        # Attempt 1 died with the process; attempt 2 took the stale lease over and finished.
        assert run.attempt == 2 and run.step == run.total_steps == FAULT_STEPS and run.error == "", run
    metrics = stack.sql(
        "SELECT run_id, attempt, count(*), count(DISTINCT step), max(step) FROM training_runmetric"
        " WHERE run_id = ANY(%s) GROUP BY run_id, attempt ORDER BY run_id, attempt",
        ([r.id for r in after],),
    )
    for run in after:
        rows = {
            attempt: (n, distinct, last) for run_id, attempt, n, distinct, last in metrics if run_id == run.id
        }
        n, distinct, last = rows[2]
        assert n == distinct and last == FAULT_STEPS, f"run {run.id}, attempt 2: {rows[2]}"
        assert set(rows) <= {1, 2}
        if 1 in rows:  # what attempt 1 recorded before the kill stays apart, never mixed into the curve
            assert rows[1][2] <= killed_at + 100
    staff = stack.client("admin")
    body = staff.get(stack.url(f"/api/v1/sweeps/{sweep['id']}/"), timeout=10).json()
    assert body["state"] == "succeeded" and body["summary"]["n"] == 2, body
    for run in body["runs"]:
        curve = staff.get(run["api_url"], timeout=10).json()["metrics"]
        steps = [point["step"] for point in curve]
        assert steps == sorted(set(steps)) and steps[-1] == FAULT_STEPS, steps
    assert_nothing_left_running(stack)


@pytest.mark.timeout(150)
def test_redis_restarted_while_runs_wait_in_the_queue_loses_none(healthy_stack):
    stack = healthy_stack
    broker = stack.redis()
    # Both workers busy with a long run each (prefetch 1 with late acks: a busy worker takes no
    # more), so the quick sweeps started next wait in Redis, and only there.
    busy = [start_sweep(stack, FAULT_BENCHMARK, 1) for _ in WORKERS]
    busy_ids = [s["id"] for s in busy]
    wait_for(
        lambda: all(r.state == "running" for r in runs_of(stack, busy_ids)),
        timeout=60,
        what="both workers to be training",
    )
    waiting = [start_sweep(stack, "linear-regression", 1) for _ in range(3)]
    waiting_ids = [s["id"] for s in waiting]
    wait_for(lambda: broker.llen("cpu") == 3, timeout=10, what="three messages waiting in the cpu queue")
    assert all(r.state == "queued" for r in runs_of(stack, waiting_ids))

    stack.stop_redis()
    ready = requests.get(stack.url("/readyz"), timeout=15)
    assert ready.status_code == 503, ready.text
    assert ready.json()["checks"]["broker"].startswith("unreachable")
    assert ready.json()["checks"]["database"] == "ok"
    time.sleep(2)  # long enough for every worker to lose its connection
    stack.start_redis()

    # No requeue_stale_runs here: a message lost with Redis would leave its run queued (the reaper
    # looks at queued runs only after 15 minutes) and fail this test.
    runs = wait_until_final(stack, busy_ids + waiting_ids, timeout=100, reap=False)
    assert [r.state for r in runs] == ["succeeded"] * 5, runs
    assert all(r.attempt == 1 for r in runs), runs
    wait_for(
        lambda: requests.get(stack.url("/readyz"), timeout=5).status_code == 200,
        timeout=20,
        what="/readyz to recover",
    )
    assert_nothing_left_running(stack)


@pytest.mark.timeout(90)
def test_a_database_outage_answers_503_and_heals_by_itself(healthy_stack):
    stack = healthy_stack
    web = stack.processes["gunicorn"]
    web_pid = web.pid
    # The papers list searched for a landmark paper: the seed's 113 papers fill the plain list's
    # first page with newer ones.
    searched = "/papers/?q=attention"
    for path in ("/", "/papers/", searched, "/api/v1/papers/"):
        assert requests.get(stack.url(path), timeout=10).status_code == 200
    log_before = len(web.output())
    # A page the cache cannot answer (paper pages are never cached: community.page_cache).
    paper = "/papers/attention-is-all-you-need/"

    stack.proxy.cut()
    try:
        for _ in range(4):  # more requests than gunicorn workers: each one's kept connection was cut
            page = requests.get(stack.url(paper), timeout=15)
            assert page.status_code == 503, page.text[:500]
            assert page.headers["Content-Type"].startswith("text/html")
            assert "temporarily unavailable" in page.text and "Traceback" not in page.text
            assert page.headers["Retry-After"] == "30"
        # A list rendered just before the outage is still served from the page cache (Redis is up).
        cached = requests.get(stack.url(searched), timeout=15)
        assert cached.status_code == 200 and "Attention Is All You Need" in cached.text
        # A list nobody asked for yet needs the database.
        uncached = requests.get(stack.url("/papers/?ordering=title"), timeout=15)
        assert uncached.status_code == 503 and "temporarily unavailable" in uncached.text
        # The 503 page's stylesheet comes from whitenoise, which needs no database.
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', uncached.text).group(1)
        assert requests.get(stack.url(stylesheet), timeout=10).status_code == 200

        # The API's list was cached before the cut too; one paper needs the database.
        api = requests.get(stack.url("/api/v1/papers/attention-is-all-you-need/"), timeout=15)
        assert api.status_code == 503 and api.json()["error"]["code"] == "service_unavailable"

        ready = requests.get(stack.url("/readyz"), timeout=15)
        assert ready.status_code == 503
        checks = ready.json()["checks"]
        assert checks["database"].startswith("unreachable") and checks["broker"] == "ok", checks
        assert requests.get(stack.url("/healthz"), timeout=10).status_code == 200
    finally:
        stack.proxy.restore()

    def healed():
        paths = (paper, "/readyz", "/api/v1/papers/attention-is-all-you-need/", paper, "/readyz")
        return all(requests.get(stack.url(p), timeout=10).status_code == 200 for p in paths)

    wait_for(healed, timeout=30, interval=0.5, what="the site and /readyz to recover")
    assert web.alive() and web.pid == web_pid  # nothing was restarted
    outage_log = web.output()[log_before:]
    assert "database unavailable" in outage_log
    assert "Traceback" not in outage_log, outage_log[-3000:]
