"""What a read the page cache already holds costs, per kind of the realistic mix (issue 18).

In the mix (benchmarks/load_mix.py) about half the requests repeat a path read earlier; this is what
each such read costs the web process: for every kind, SAMPLES paths of the mix are read once (kept),
then read again and timed, in this process, with production settings, the page cache on and the
Redis cache of CACHE_URL, and the queries of the second reads counted. Checkouts are compared side by
side by running each in turn (`--root`, one subprocess each, the same paths), twice over:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_100k CACHE_URL=rediscache://127.0.0.1:6379/8 \\
    RATELIMIT_CACHE_URL=rediscache://127.0.0.1:6379/10 .venv/bin/python benchmarks/cached_reads.py \\
      --root /tmp/before --root . --rounds 2

Each root needs its collected static files (load_mix.py collects them; else `manage.py collectstatic`).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(root: Path, samples: int, seed: int) -> None:
    """With the code of checkout `root` (its Django project and its benchmarks' mix): print one JSON
    line, kind -> (ms, queries)."""
    sys.path.insert(0, str(root))
    from benchmarks import load, load_mix

    env = load.production_env()
    mix = load_mix.Mix(load_mix.catalogue_facts(root, env), seed)
    os.environ.update({**env, "PAGE_CACHE_SECONDS": "300"})
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client = Client(HTTP_HOST=load.HOST)
    figures = {}
    for kind in load_mix.MIX:
        paths = [mix.path(kind) for _ in range(samples)]
        for path in paths * 2:  # read, then kept (a view's first page in a process may only be learnt)
            client.get(path)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            for path in paths:
                client.get(path)
        figures[kind] = ((time.perf_counter() - started) / samples * 1000, len(queries) / samples)
    print("FIGURES " + json.dumps(figures))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", action="append", help="a checkout of this project (repeatable)")
    parser.add_argument("--samples", type=int, default=15, help="paths per kind")
    parser.add_argument("--rounds", type=int, default=1, help="times each root is measured, alternately")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--measure", metavar="ROOT", help=argparse.SUPPRESS)  # the subprocess, in ROOT
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure), args.samples, args.seed)
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("CACHE_URL"):
        print(
            "Set DATABASE_URL (generate_catalogue's PostgreSQL database) and CACHE_URL (Redis).",
            file=sys.stderr,
        )
        return 2
    from benchmarks.load_mix import hardware, loadavg

    print(f"hardware: {hardware()}; {loadavg()}")
    roots = [Path(root).resolve() for root in args.root or [str(ROOT)]]
    results: dict[str, list[dict]] = {str(root): [] for root in roots}
    for _ in range(args.rounds):
        for root in roots:
            out = subprocess.run(  # noqa: S603 (this interpreter, a checkout of this project)
                [sys.executable, __file__, "--measure", str(root),
                 "--samples", str(args.samples), "--seed", str(args.seed)],
                cwd=root, check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            line = next(line for line in out.splitlines() if line.startswith("FIGURES "))
            results[str(root)].append(json.loads(line[len("FIGURES ") :]))
            print(f"  measured {root} ({loadavg()})")
    print(
        f"\na read the page cache holds, in-process, ms per read (queries per read), {args.samples} paths per kind"
    )
    for kind in results[str(roots[0])][0]:
        cells = []
        for root in roots:
            runs = results[str(root)]
            cells.append(
                f"{root.name}: " + " / ".join(f"{run[kind][0]:.2f} ms ({run[kind][1]:.1f} q)" for run in runs)
            )
        print(f"  {kind:28} " + "; ".join(cells))
    return 0


if __name__ == "__main__":
    if "--measure" not in sys.argv:
        sys.path.insert(0, str(ROOT))
    sys.exit(main())
