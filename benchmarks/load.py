"""Load test of the web tier: gunicorn (config.settings.production) on PostgreSQL, loopback only.

Starts gunicorn itself on 127.0.0.1 against DATABASE_URL (a database filled by
`manage.py generate_catalogue`), then:
1. open loop: RATE requests/s for DURATION s, each sent at its scheduled time by a pool of threads,
   latency measured from the scheduled time (so queueing counts), a fixed mix of portal pages, search
   (fixed terms) and API calls;
2. closed loop: CONCURRENCY threads sending back to back for CLOSED_S s, once with the same mix and
   once with /healthz (no database), the ratio of the two throughputs printed.
Prints requests/s, p50/p95/p99, errors, and each gunicorn worker's peak RSS (VmHWM).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/deepcommons_load \
    CACHE_URL=rediscache://127.0.0.1:6379/3 .venv/bin/python benchmarks/load.py

With CACHE_URL (a Redis, as in production) the page cache is on (community.page_cache,
PAGE_CACHE_SECONDS, default 60; `--page-cache-seconds 0` measures without it); the run starts with
every cached fragment stale, so the first request of each page renders it.
"""

import argparse
import http.client
import itertools
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BY_KIND: dict = {}  # open loop: kind of request -> latencies
MAX_LAG = 5.0  # open loop: seconds behind schedule after which a request is dropped (an error)
STATUSES: dict = {}  # (status, path prefix) -> count, of the failed requests
TERMS = ("transformers", "diffusion segmentation", "graph neural", "robust speech recognition", "atten",
         "contrastive", "protein folding", "federated", "sparse mixture of experts", "calibration")  # fmt: skip


def mix(slugs: list[str], rng: random.Random):
    """An endless, seeded sequence of paths: 60 % portal pages, 25 % search, 15 % API."""
    pages = ["/", "/papers/", "/papers/?page=7", "/projects/", "/people/", "/jobs/", "/funding/", "/venues/"]
    while True:
        r = rng.random()
        term = rng.choice(TERMS).replace(" ", "+")
        if r < 0.30:
            yield rng.choice(pages)
        elif r < 0.60:
            yield f"/papers/{rng.choice(slugs)}/"
        elif r < 0.75:
            yield f"/search/?q={term}"
        elif r < 0.85:
            yield f"/papers/?q={term}"
        elif r < 0.93:
            yield f"/api/v1/papers/?search={term}"
        else:
            yield f"/api/v1/papers/{rng.choice(slugs)}/"


def kind(path: str) -> str:
    if path.startswith("/api/"):
        return "api search" if "search=" in path else "api detail"
    if "q=" in path:
        return "search page" if path.startswith("/search/") else "papers list search"
    return "paper detail" if path.startswith("/papers/") and path.count("/") == 3 else "list or home page"


def get(conn_holder: dict, path: str) -> int:
    for attempt in range(2):
        conn = conn_holder.get("c") or http.client.HTTPConnection(HOST, conn_holder["port"], timeout=30)
        conn_holder["c"] = conn
        try:
            conn.request("GET", path, headers={"Host": HOST})
            response = conn.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn_holder["c"] = None
            return response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn_holder["c"] = None
            if attempt:
                return 0
    return 0


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def summary(name: str, latencies: list[float], errors: int, elapsed: float) -> str:
    ms = [x * 1000 for x in latencies]
    return (
        f"{name}: {len(latencies)} requests in {elapsed:.1f} s = {len(latencies) / elapsed:.1f} req/s; "
        f"p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, p99 {percentile(ms, 99):.1f} ms; "
        f"errors {errors}"
    )


def open_loop(paths, port: int, rate: float, duration: float, threads: int, classify=kind):
    """Send `rate` requests/s from `paths` for `duration` s; latencies kept per `classify(path)` in BY_KIND."""
    jobs: queue.Queue = queue.Queue()
    latencies, errors, dropped, lock = [], [0], [0], threading.Lock()
    start = time.monotonic() + 0.5
    total = int(rate * duration)

    def worker():
        holder = {"port": port}
        while True:
            item = jobs.get()
            if item is None:
                return
            scheduled, path = item
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif -delay > MAX_LAG:
                # Overloaded: the request is counted as failed rather than sent, so the run stays
                # bounded (about duration + MAX_LAG) however far the server falls behind.
                with lock:
                    errors[0] += 1
                    dropped[0] += 1
                continue
            status = get(holder, path)
            latency = time.monotonic() - scheduled
            with lock:
                latencies.append(latency)
                BY_KIND.setdefault(classify(path), []).append(latency)
                if status != 200:
                    errors[0] += 1
                    STATUSES[(status, path.split("?")[0][:20])] = (
                        STATUSES.get((status, path.split("?")[0][:20]), 0) + 1
                    )

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for i in range(total):
        jobs.put((start + i / rate, next(paths)))
    for _ in pool:
        jobs.put(None)
    for t in pool:
        t.join()
    return latencies, errors[0], dropped[0], time.monotonic() - start


def closed_loop(paths, port: int, concurrency: int, duration: float):
    latencies, errors, lock = [], [0], threading.Lock()
    paths_lock = threading.Lock()
    stop = time.monotonic() + duration

    def worker():
        holder = {"port": port}
        while time.monotonic() < stop:
            with paths_lock:
                path = next(paths)
            t0 = time.monotonic()
            status = get(holder, path)
            with lock:
                latencies.append(time.monotonic() - t0)
                if status != 200:
                    errors[0] += 1
                    STATUSES[(status, path.split("?")[0][:20])] = (
                        STATUSES.get((status, path.split("?")[0][:20]), 0) + 1
                    )

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, errors[0], time.monotonic() - started


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text()
    return [int(x) for x in children.split()]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def production_env() -> dict:
    """The environment of a production-like gunicorn on loopback (throttles raised, HTTPS off)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "load-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        # The API throttles (120 and 600 a minute per address) would answer 429 to a load generator
        # that is one address; this measures the serving cost, not the throttle.
        "API_THROTTLE_ANON": "1000000/minute",
        # DRF's user throttle counts anonymous clients too (by address), so it is raised as well.
        "API_THROTTLE_USER": "1000000/minute",
        "LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(root: Path, port: int, env: dict, options: list[str]) -> subprocess.Popen:
    """gunicorn serving the checkout at `root` on HOST:port (this interpreter's gunicorn)."""
    return subprocess.Popen(  # noqa: S603 (this checkout's interpreter and scripts only)
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
         "--bind", f"{HOST}:{port}", "--log-level", "warning", *options],
        cwd=root, env=env,
    )  # fmt: skip


def gunicorn_ready(gunicorn: subprocess.Popen, port: int) -> bool:
    """Wait until it answers /healthz (False, said on stderr, when it exits or never answers)."""
    holder = {"port": port}
    for _ in range(150):
        if gunicorn.poll() is not None:
            print("gunicorn exited (port taken?)", file=sys.stderr)
            return False
        if get(holder, "/healthz") == 200:
            return True
        time.sleep(0.2)
    print("gunicorn did not answer /healthz", file=sys.stderr)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rates", type=lambda v: [float(x) for x in v.split(",")], default=[50.0], help="e.g. 50,8"
    )
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--closed-seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        default=None,
        help="PAGE_CACHE_SECONDS for gunicorn (default: the settings')",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to the PostgreSQL database filled by generate_catalogue.", file=sys.stderr)
        return 2

    env = production_env()
    if args.page_cache_seconds is not None:
        env["PAGE_CACHE_SECONDS"] = str(args.page_cache_seconds)
    if not args.port:
        args.port = free_port()
    py = sys.executable
    # The commands run are this interpreter and this checkout's scripts, nothing from the outside.
    subprocess.run([py, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    slugs_out = subprocess.run(  # noqa: S603
        [py, "manage.py", "shell", "--no-imports", "-c",
         "from community import page_cache\n"
         "page_cache.catalogue_changed()\n"
         "from community.models import Paper\n"
         "print('\\n'.join(Paper.objects.published().order_by('?').values_list('slug', flat=True)[:500]))"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    slugs = [s for s in slugs_out.split() if s and "objects imported" not in s and not s[0].isdigit()]
    gunicorn = start_gunicorn(ROOT, args.port, env, ["--workers", str(args.workers)])
    try:
        if not gunicorn_ready(gunicorn, args.port):
            return 1
        rng = random.Random(0)
        # Warm up: every worker imports its views and opens its database connection.
        closed_loop(mix(slugs, rng), args.port, args.workers * 2, 3)

        for rate in args.rates:
            BY_KIND.clear()
            print(f"load average before: {os.getloadavg()}")
            lat, err, dropped, elapsed = open_loop(
                mix(slugs, rng), args.port, rate, args.duration, threads=64
            )
            print(
                summary(
                    f"open loop, offered {rate:g} req/s for {args.duration:g} s, answered", lat, err, elapsed
                )
            )
            print(f"  of the errors, {dropped} not sent: more than {MAX_LAG:g} s behind schedule")
            for name, values in sorted(BY_KIND.items()):
                ms = [x * 1000 for x in values]
                print(
                    f"  {name}: {len(ms)} answered, p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms"
                )
            print(f"load average after: {os.getloadavg()}")

        lat, err, elapsed = closed_loop(mix(slugs, rng), args.port, args.concurrency, args.closed_seconds)
        mixed = len(lat) / elapsed
        print(summary(f"closed loop, mix, {args.concurrency} connections", lat, err, elapsed))
        lat, err, elapsed = closed_loop(
            itertools.repeat("/healthz"), args.port, args.concurrency, args.closed_seconds
        )
        trivial = len(lat) / elapsed
        print(summary(f"closed loop, /healthz, {args.concurrency} connections", lat, err, elapsed))
        print(
            f"max throughput ratio mix / healthz: {mixed / trivial:.3f} ({mixed:.1f} / {trivial:.1f} req/s)"
        )
        print(
            f"page cache: {env.get('PAGE_CACHE_SECONDS', 'settings default')} s, CACHE_URL {'set' if env.get('CACHE_URL') else 'unset'}"
        )
        for pid in worker_pids(gunicorn.pid):
            print(f"gunicorn worker {pid}: peak RSS (VmHWM) {peak_rss_mb(pid):.1f} MB")
        print(f"load average at the end: {os.getloadavg()}")
        if STATUSES:
            print(f"failed requests by (status, path): {STATUSES}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
