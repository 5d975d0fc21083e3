"""The production stack of `make test-e2e`, started natively (no Docker) and torn down completely.

    PostgreSQL   the machine's server on 127.0.0.1:5432, but a database of our own (deepcommons_e2e_<pid>),
                 created here and dropped at the end; the web processes reach it through `TcpProxy`,
                 which the fault tests cut, the workers and the harness directly.
    Redis        a redis-server of our own on a spare port (--appendonly yes, in the work folder): the
                 broker and the cache. The machine's shared Redis is never used.
    gunicorn     config.wsgi, 2 workers, DJANGO_SETTINGS_MODULE=config.settings.production,
                 STATIC_ROOT in the work folder (from the environment). whitenoise serves the
                 collected static files.
    Celery       two workers (`e2e-a`, `e2e-b`), queues default and cpu, one pool child each.
    beat         celery beat with the database scheduler (the production schedule, the reminder job
                 every ALERTS_REMINDER_EVERY_S seconds), started by the tests that need it.

Every process runs in a process group of its own, recorded in `state.json` in the work folder, so
`python -m e2e.cleanup <folder>` (scripts/e2e.sh runs it on exit) can end whatever a crashed session
left behind. Nothing here imports Django: the harness talks HTTP, SQL and Redis like an operator would.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import redis
import requests

from .proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
SETTINGS = "config.settings.production"
WORKERS = ("a", "b")
# Short, so a killed worker's runs are taken over within seconds (production: 120 s); not shorter,
# because a run's lease is not renewed while it sets up (import torch, the dataset, the model), which
# took over 5 s on this 2-core machine under load and made the reaper fail a healthy run.
HEARTBEAT_STALE_S = 15
REMINDER_EVERY_S = 2
CLAIM_LEASE_S = 8
# The fault tests' benchmark (created by e2e/bootstrap.py): the digits CNN protocol, shortened.
FAULT_BENCHMARK = "e2e-digits-cnn"
FAULT_STEPS = 1200
# Variables of the calling shell that would point the stack at something else (CI exports the
# shared PostgreSQL database and Redis for `make test`): the stack sets its own.
SCRUBBED = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "RATELIMIT_CACHE_URL",
    "EMAIL_URL",
    "DJANGO_SETTINGS_MODULE",
    "DEEPCOMMONS_CI_STRICT",
    "DEEPCOMMONS_EXPECT_DB",
    "DEBUG",
    "SITE_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.2) -> Any:
    """Poll `predicate` until it returns something truthy; fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = predicate()
        except Exception as exc:  # noqa: BLE001 - a probe failing is "not yet"
            value, last_error = None, exc
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f" (last error: {type(last_error).__name__}: {last_error})" if last_error else ""
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{detail}")
        time.sleep(interval)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kill_group(pgid: int, *, grace: float = 5.0, reap: Callable[[], object] | None = None) -> None:
    """SIGTERM a process group, then SIGKILL whatever is left after `grace` seconds. `reap` (the
    leader's Popen.poll, when it is our child) keeps an exited leader from lingering as a zombie,
    which would count as alive."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if reap is not None:
            reap()
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def stop_together(processes: list[Process], *, grace: float) -> None:
    """SIGTERM every process group at once, then SIGKILL what is left after `grace` seconds."""
    started = [p for p in processes if p.popen is not None]
    for proc in started:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for proc in started:
        kill_group(proc.pid, grace=max(0.0, deadline - time.monotonic()), reap=proc.popen.poll)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.popen.wait(timeout=5)


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Process:
    """One long-running process of the stack, in its own process group, logging to a file."""

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.log = log
        self.popen: subprocess.Popen | None = None
        self._log_offset = 0

    def start(self) -> Process:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("a") as out:
            self._log_offset = out.tell()
            out.write(f"\n==== {time.strftime('%H:%M:%S')} start: {' '.join(self.argv)}\n")
            out.flush()
            self.popen = subprocess.Popen(  # noqa: S603 - our own fixed command lines
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches its children
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def output(self, *, since_start: bool = True) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return text[self._log_offset :] if since_start else text

    def wait_for_output(self, text: str, *, timeout: float) -> None:
        def seen():
            if not self.alive():
                raise AssertionError(
                    f"{self.name} exited ({self.popen.returncode}):\n{self.output()[-3000:]}"
                )
            return text in self.output()

        try:
            wait_for(seen, timeout=timeout, what=f"{self.name} to print {text!r}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- {self.name} log ---\n{self.output()[-3000:]}") from None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the main process only (its children get what the program arranges)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)

    def stop(self, *, grace: float = 5.0) -> None:
        if self.popen is None:
            return
        kill_group(self.pid, grace=grace, reap=self.popen.poll)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)


class Stack:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.db_name = f"deepcommons_e2e_{os.getpid()}"
        self.web_port = free_port()
        self.redis_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.web_port}"
        self.mail_dir = workdir / "mail"
        self.proxy = TcpProxy(("127.0.0.1", 5432))
        self.processes: dict[str, Process] = {}
        self.timings: dict[str, float] = {}
        self.secret_key = secrets.token_urlsafe(40)
        self.accounts: dict[str, dict[str, str]] = {}
        self._db_created = False

    # --- environment ----------------------------------------------------------------------------

    def database_url(self, *, via_proxy: bool = False) -> str:
        port = self.proxy.port if via_proxy else 5432
        return f"postgres://postgres@127.0.0.1:{port}/{self.db_name}"

    @property
    def broker_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self, *, via_proxy: bool = False) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
        env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            # Plain HTTP on the loopback: no redirect to https, no HSTS. Session and CSRF cookies stay
            # Secure (production.py hard-codes it); Chromium keeps Secure cookies from http://127.0.0.1.
            SECURE_SSL_REDIRECT="false",
            SECURE_HSTS_SECONDS="0",
            DATABASE_URL=self.database_url(via_proxy=via_proxy),
            CELERY_BROKER_URL=self.broker_url,
            CACHE_URL=f"rediscache://127.0.0.1:{self.redis_port}/1",
            RATELIMIT_CACHE_URL=f"rediscache://127.0.0.1:{self.redis_port}/2",
            # django-environ drops the first "/" of the path: four slashes make an absolute path.
            EMAIL_URL=f"filemail:///{self.mail_dir}",
            SITE_URL=self.base_url,
            STATIC_ROOT=str(self.workdir / "static"),
            MEDIA_ROOT=str(self.workdir / "media"),
            TRAINING_DATA_DIR=str(self.workdir / "datasets"),
            TRAINING_HEARTBEAT_STALE_S=str(HEARTBEAT_STALE_S),
            TRAINING_HEARTBEAT_INTERVAL_S="0.5",
            # The reminder job every 2 s once beat runs, and a claim taken over after 8 s (production:
            # every 5 minutes, 15 minutes).
            ALERTS_REMINDER_EVERY_S=str(REMINDER_EVERY_S),
            ALERTS_CLAIM_LEASE_S=str(CLAIM_LEASE_S),
            LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
        )
        return env

    # --- bookkeeping for the emergency cleanup ----------------------------------------------------

    def _write_state(self) -> None:
        state = {
            "database": self.db_name if self._db_created else None,
            "pgids": [p.pid for p in self.processes.values() if p.popen is not None and p.alive()],
        }
        tmp = self.workdir / "state.json.tmp"
        tmp.write_text(json.dumps(state))
        tmp.replace(self.workdir / "state.json")

    def _spawn(self, name: str, argv: list[str], *, via_proxy: bool = False) -> Process:
        old = self.processes.get(name)
        if old is not None and old.alive():
            old.stop()
        proc = Process(name, argv, env=self.env(via_proxy=via_proxy), log=self.logs / f"{name}.log").start()
        self.processes[name] = proc
        self._write_state()
        return proc

    def manage(self, *args: str, timeout: float = 180) -> str:
        """Run `manage.py <args>` against the stack's database (direct); fail with its output."""
        log = self.logs / "manage.log"
        started = time.monotonic()
        result = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        with log.open("a") as out:
            out.write(f"\n==== manage.py {' '.join(args)} ({time.monotonic() - started:.1f} s)\n")
            out.write(result.stdout + result.stderr)
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{(result.stdout + result.stderr)[-4000:]}"
            )
        return result.stdout

    def _timed(self, label: str, fn: Callable[[], Any]) -> Any:
        started = time.monotonic()
        try:
            return fn()
        finally:
            self.timings[label] = round(time.monotonic() - started, 1)

    # --- start and stop -------------------------------------------------------------------------

    def start(self) -> None:
        self._timed("database", self._create_database)
        self._timed("redis", self.start_redis)
        self.proxy.start()
        # collectstatic needs no database: it runs while the database is migrated and loaded.
        static = self._spawn("collectstatic", [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"])
        self._timed("migrate", lambda: self.manage("migrate", "--noinput"))
        self._timed("load_seed_data", lambda: self.manage("load_seed_data"))
        self._timed("load_benchmarks", lambda: self.manage("load_benchmarks"))
        self._timed("bootstrap", self._bootstrap)
        self._timed("collectstatic (ran beside migrate; wait)", lambda: self._wait_exit(static, timeout=180))
        self._timed("web+workers", self._start_services)

    def _create_database(self) -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        self._db_created = True
        self._write_state()

    def _bootstrap(self) -> None:
        out = self.workdir / "accounts.json"
        self.manage("shell", "-c", f"from e2e.bootstrap import main; main({str(out)!r})")
        self.accounts = json.loads(out.read_text())

    @staticmethod
    def _wait_exit(proc: Process, *, timeout: float) -> None:
        try:
            code = proc.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.stop()
            raise AssertionError(f"{proc.name} did not finish in {timeout:.0f} s") from None
        if code != 0:
            raise RuntimeError(f"{proc.name} failed ({code}):\n{proc.output()[-4000:]}")

    def _start_services(self) -> None:
        self.start_web()
        for name in WORKERS:
            self.start_worker(name, wait=False)
        self.wait_web()
        for name in WORKERS:
            self.wait_worker(name)

    def start_redis(self) -> None:
        data = self.workdir / "redis"
        data.mkdir(exist_ok=True)
        self._spawn(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", str(data),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes"],
        )  # fmt: skip
        wait_for(lambda: self.redis().ping(), timeout=20, what="the test redis-server to answer PING")

    def stop_redis(self) -> None:
        """A clean stop (SIGTERM: redis-server flushes its append-only file and exits)."""
        proc = self.processes["redis"]
        proc.popen.terminate()
        proc.popen.wait(timeout=20)
        self._write_state()

    def start_web(self) -> None:
        self._spawn(
            "gunicorn",
            [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{self.web_port}", "--timeout", "60", "--graceful-timeout", "5",
             "--access-logfile", "-", "--error-logfile", "-"],
            via_proxy=True,
        )  # fmt: skip

    def wait_web(self) -> None:
        def up():
            if not self.processes["gunicorn"].alive():
                raise AssertionError(f"gunicorn exited:\n{self.processes['gunicorn'].output()[-3000:]}")
            return requests.get(f"{self.base_url}/healthz", timeout=2).status_code == 200

        wait_for(up, timeout=60, what="gunicorn to answer /healthz")

    def start_worker(self, name: str, *, wait: bool = True) -> Process:
        proc = self._spawn(
            f"worker-{name}",
            [PYTHON, "-m", "celery", "-A", "config", "worker", "-Q", "default,cpu", "--concurrency", "1",
             "--hostname", f"e2e-{name}@%h", "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
        )  # fmt: skip
        if wait:
            self.wait_worker(name)
        return proc

    def wait_worker(self, name: str) -> None:
        self.processes[f"worker-{name}"].wait_for_output(" ready.", timeout=90)

    def start_beat(self) -> Process:
        """celery beat, as production runs it (django_celery_beat's database scheduler)."""
        proc = self._spawn(
            "beat",
            [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
             "--pidfile", str(self.workdir / "beat.pid")],
        )  # fmt: skip
        proc.wait_for_output("beat: Starting", timeout=60)
        return proc

    def worker(self, name: str) -> Process:
        return self.processes[f"worker-{name}"]

    def pool_children(self, name: str) -> list[int]:
        """The pids of a worker's prefork pool children (their parent is the worker's main process)."""
        parent = self.worker(name).pid
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")".
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[1]) == parent:
                children.append(int(entry.name))
        return children

    def ensure_healthy(self) -> None:
        """Bring back whatever a fault test left broken: the proxy, redis, gunicorn, the workers."""
        self.proxy.restore()
        if not self.processes["redis"].alive():
            self.start_redis()
        if not self.processes["gunicorn"].alive():
            self.start_web()
            self.wait_web()
        for name in WORKERS:
            if not self.worker(name).alive():
                self.start_worker(name)

    def stop(self) -> None:
        """End every process, stop the proxy and drop the database; never raises."""
        started = time.monotonic()
        # The web and the workers first and together (SIGTERM, then SIGKILL after 5 s), redis last,
        # so no worker logs a lost broker on its way out.
        stop_together([p for name, p in self.processes.items() if name != "redis"], grace=5)
        with contextlib.suppress(Exception):
            self.proxy.stop()
        stop_together([p for name, p in self.processes.items() if name == "redis"], grace=5)
        self.timings["stop processes"] = round(time.monotonic() - started, 1)
        if self._db_created:
            try:
                drop_database(self.db_name)
                self._db_created = False
            except Exception as exc:  # noqa: BLE001
                print(f"e2e: could not drop {self.db_name}: {exc}", file=sys.stderr)
        with contextlib.suppress(Exception):
            self._write_state()
        self.timings["stop (with DROP DATABASE)"] = round(time.monotonic() - started, 1)

    def keep_logs(self, dest: Path) -> None:
        """Copy the logs (and mails) somewhere that outlives the work folder."""
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(self.logs, dest)
        if self.mail_dir.exists():
            shutil.copytree(self.mail_dir, dest / "mail")

    # --- talking to it --------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def client(self, account: str | None = None) -> requests.Session:
        """A requests session for the API, with `account`'s token (None: anonymous)."""
        session = requests.Session()
        session.headers["Accept"] = "application/json"
        if account is not None:
            session.headers["Authorization"] = f"Token {self.accounts[account]['token']}"
        return session

    def sql(self, query: str, params: tuple | dict | None = None) -> list[tuple]:
        """Run one query on the stack's database (directly, not through the proxy)."""
        with psycopg.connect(self.database_url(), autocommit=True, connect_timeout=10) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def redis(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.redis_port, socket_timeout=5, socket_connect_timeout=2)

    def send_task(self, name: str, *, queue: str = "default") -> None:
        """Publish a task by name on the stack's broker, as celery beat would."""
        from celery import Celery

        app = Celery("e2e-client", broker=self.broker_url, set_as_current=False)
        try:
            app.send_task(name, queue=queue)
        finally:
            app.close()

    def mails(self) -> list[str]:
        """Every mail the site sent (the file backend writes one file per connection)."""
        if not self.mail_dir.exists():
            return []
        return [p.read_text(errors="replace") for p in sorted(self.mail_dir.iterdir(), key=os.path.getmtime)]


def cleanup(workdir: Path) -> None:
    """End what a session recorded in `state.json` and drop its database (idempotent)."""
    state_file = workdir / "state.json"
    if not state_file.exists():
        return
    state = json.loads(state_file.read_text())
    for pgid in state.get("pgids", []):
        if _pid_alive(pgid):
            kill_group(pgid, grace=3)
        else:
            # The leader is gone but its group may not be (a pool child outliving a killed worker).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
    if state.get("database"):
        drop_database(state["database"])
