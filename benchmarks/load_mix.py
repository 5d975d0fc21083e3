"""Realistic load on the web tier (issue 18): readers who do not repeat each other.

Requests drawn from the whole catalogue of a database filled by `manage.py generate_catalogue`:
paper pages (and the API's paper detail) Zipf-like over every paper, search words from the
catalogue's own vocabulary (benchmarks/catalogue/words.py, one or two words), list pages at random
depth, filter combinations (topic, year, venue), API search with pages, topic and venue pages, the
home page. For each variant (a checkout and gunicorn options), three phases:

1. service time per kind, one request at a time, page cache OFF (PAGE_CACHE_SECONDS=0): the same
   paths sent to every variant in turn (side by side, so machine load hits them alike);
2. open loop with the page cache on: RATE requests/s of the mix for DURATION s, latency from each
   request's scheduled send time (queueing counts), per kind;
3. closed loop: CONCURRENCY connections back to back with the mix, then with /healthz; their ratio.

Every figure is printed with the load average of the machine at that moment.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dc_h8 CACHE_URL=rediscache://127.0.0.1:6379/8 \\
    RATELIMIT_CACHE_URL=rediscache://127.0.0.1:6379/10 .venv/bin/python benchmarks/load_mix.py \\
      --variant "before:/tmp/h8_before:--workers 3" --variant "after:.:--workers 3"

A variant is LABEL:ROOT:GUNICORN OPTIONS; ROOT is a checkout of this project (e.g. an older commit
unpacked with `git archive`) served by this interpreter's gunicorn on the same database and cache.
`--profile KIND` instead renders that kind's paths in-process under pyinstrument (benchmarks only).
"""

import argparse
import bisect
import itertools
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import load  # noqa: E402

# Kind of request -> share of the mix (the open and closed loops); every kind is also timed alone.
MIX = {
    "paper page": 0.30,
    "api paper detail": 0.06,
    "home": 0.05,
    "papers list, random page": 0.08,
    "papers list, filters": 0.08,
    "papers list, q (+year)": 0.07,
    "site search": 0.10,
    "api search, page": 0.08,
    "topic page": 0.06,
    "venue page": 0.04,
    "people list, random page": 0.04,
    "projects list, random page": 0.04,
}
STOP_WORDS = {"for", "the", "and", "with", "are"}  # never drawn as search words
API_SEARCH_PAGES = 4  # an API search is read at most this deep
ZIPF_S = 1.0  # paper popularity: the k-th most read paper is read ~1/k as often as the first


def catalogue_facts(root: Path, env: dict) -> dict:
    """Paper slugs (all, by pk), topic and venue slugs, the years of the catalogue, and the search
    words with the number of pages the API's search has for each (`api_pages`): the lower-cased words
    of 3 letters or more that titles and abstracts are made of (words.py, which needs Django set up).
    A reader reaches page N of a search by following `next`, so the mix never asks past the last page
    (that would be a 404 of the mix's making)."""
    script = (
        "import json, math, re\n"
        "from django.conf import settings\n"
        "from community.models import Paper, Topic, Venue\n"
        "from community.search import text_search\n"
        "from benchmarks.catalogue import words as w\n"
        "papers = Paper.objects.published()\n"
        "size = settings.REST_FRAMEWORK['PAGE_SIZE']\n"
        "words = {x.lower() for p in [*w.ADJECTIVES, *w.METHODS, *w.TASKS, *w.PROPERTIES]"
        " for x in re.findall(r'[A-Za-z]{3,}', p)} - set(STOP_WORDS)\n"
        "pages = {x: math.ceil(text_search(papers, ('title', 'abstract'), x, by_rank=True)"
        "[: API_SEARCH_PAGES * size].count() / size) for x in sorted(words)}\n"
        "print('FACTS ' + json.dumps({'papers': list(papers.order_by('pk').values_list('slug', flat=True)),"
        " 'topics': list(Topic.objects.published().order_by('pk').values_list('slug', flat=True)),"
        " 'venues': list(Venue.objects.published().order_by('pk').values_list('slug', flat=True)),"
        " 'years': sorted(set(papers.values_list('year', flat=True).distinct())),"
        " 'api_pages': pages}))\n"
    ).replace("API_SEARCH_PAGES", str(API_SEARCH_PAGES)).replace("STOP_WORDS", repr(sorted(STOP_WORDS)))
    out = subprocess.run(  # noqa: S603 (this interpreter, this checkout)
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=root, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(next(line for line in out.splitlines() if line.startswith("FACTS "))[6:])


class Mix:
    """Seeded paths of each kind."""

    def __init__(self, facts: dict, seed: int):
        self.rng = random.Random(seed)
        self.papers = list(facts["papers"])
        random.Random(seed + 1).shuffle(self.papers)  # popularity rank unrelated to age
        self.cumulative = list(itertools.accumulate(1 / (k**ZIPF_S) for k in range(1, len(self.papers) + 1)))
        self.topics, self.venues, self.years = facts["topics"], facts["venues"], facts["years"]
        self.api_pages = facts["api_pages"]  # word -> pages of its API search (at most API_SEARCH_PAGES)
        self.words = sorted(self.api_pages)

    def paper(self) -> str:
        i = bisect.bisect_left(self.cumulative, self.rng.random() * self.cumulative[-1])
        return self.papers[min(i, len(self.papers) - 1)]

    def text(self) -> str:
        return "+".join(self.rng.sample(self.words, self.rng.choice((1, 1, 2))))

    def path(self, kind: str) -> str:
        rng = self.rng
        if kind == "paper page":
            return f"/papers/{self.paper()}/"
        if kind == "api paper detail":
            return f"/api/v1/papers/{self.paper()}/"
        if kind == "home":
            return "/"
        if kind == "papers list, random page":
            return f"/papers/?page={rng.randint(1, 500)}"
        if kind == "papers list, filters":
            facets = {
                "topic": rng.choice(self.topics),
                "year": rng.choice(self.years[-15:]),
                "venue": rng.choice(self.venues),
            }
            chosen = rng.sample(sorted(facets), rng.randint(1, 3))
            query = "&".join(f"{name}={facets[name]}" for name in sorted(chosen))
            deeper = len(chosen) == 1 and rng.random() < 0.3  # a facet alone has pages enough
            return f"/papers/?{query}" + (f"&page={rng.randint(2, 5)}" if deeper else "")
        if kind == "papers list, q (+year)":
            year = f"&year={rng.choice(self.years[-15:])}" if rng.random() < 0.5 else ""
            return f"/papers/?q={self.text()}{year}"
        if kind == "site search":
            return f"/search/?q={self.text()}"
        if kind == "api search, page":
            word = rng.choice(self.words)
            return f"/api/v1/papers/?search={word}&page={rng.randint(1, max(1, self.api_pages[word]))}"
        if kind == "topic page":
            return f"/topics/{rng.choice(self.topics)}/"
        if kind == "venue page":
            return f"/venues/{rng.choice(self.venues)}/"
        if kind == "people list, random page":
            return f"/people/?page={rng.randint(1, 500)}"
        if kind == "projects list, random page":
            return f"/projects/?page={rng.randint(1, 400)}"
        raise ValueError(kind)

    def endless(self):
        kinds, weights = list(MIX), list(MIX.values())
        while True:
            yield self.path(self.rng.choices(kinds, weights)[0])


def classify(path: str) -> str:
    """The kind of a path of the mix (the open loop's per-kind figures)."""
    checks = [
        ("/api/v1/papers/?", "api search, page"),
        ("/api/v1/papers/", "api paper detail"),
        ("/search/", "site search"),
        ("/papers/?q=", "papers list, q (+year)"),
        ("/papers/?page=", "papers list, random page"),
        ("/papers/?", "papers list, filters"),
        ("/papers/", "paper page"),
        ("/topics/", "topic page"),
        ("/venues/", "venue page"),
        ("/people/", "people list, random page"),
        ("/projects/", "projects list, random page"),
    ]
    return next((name for prefix, name in checks if path.startswith(prefix)), "home")


def loadavg() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def hardware() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    return f"{os.cpu_count()} CPUs ({cpu}), {int(mem) / 2**20:.1f} GiB RAM, {platform.platform()}"


def ms(values: list[float], p: float) -> float:
    return load.percentile([v * 1000 for v in values], p)


class Variant:
    def __init__(self, spec: str):
        self.label, root, options = spec.split(":", 2)
        self.root = (ROOT / root).resolve() if not root.startswith("/") else Path(root)
        self.options = options.split()
        self.server = None
        self.port = 0

    def start(self, env: dict) -> bool:
        self.port = load.free_port()
        self.server = load.start_gunicorn(self.root, self.port, env, self.options)
        return load.gunicorn_ready(self.server, self.port)

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
            self.server = None

    def manage(self, env: dict, code: str) -> None:
        subprocess.run(  # noqa: S603 (this interpreter, this checkout)
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=self.root, env=env, check=True, capture_output=True,
        )  # fmt: skip


def cpu_seconds(master: int) -> float:
    """User + system CPU time of a gunicorn master's workers so far (/proc/PID/stat, in ticks)."""
    total = 0
    for pid in load.worker_pids(master):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """User + system CPU time so far of this machine's PostgreSQL processes (the server under load
    is local; its connection processes live as long as the web workers' connections)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        if stat[stat.index("(") + 1 : stat.rindex(")")] == "postgres":
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def service_times(variants: list[Variant], mix: Mix, samples: int, kinds: list[str]) -> None:
    """Each kind one request at a time, the same path to every variant in turn (page cache off).
    Besides the wall time (which a busy machine stretches), the web workers' CPU time per request:
    what the request costs in Python whatever else runs (PostgreSQL's share not included)."""
    print(f"\n== service time, one request at a time, page cache off, {samples} paths per kind ({loadavg()})")
    holders = [{"port": v.port} for v in variants]
    for kind in kinds:
        paths = [mix.path(kind) for _ in range(samples)]
        for path in paths[:2]:  # warm each worker's imports and connection for this view
            for holder in holders:
                load.get(holder, path)
        times: list[list[float]] = [[] for _ in variants]
        errors = [0 for _ in variants]
        cpu = [-cpu_seconds(v.server.pid) for v in variants]
        for path in paths:
            for i, holder in enumerate(holders):
                t0 = time.monotonic()
                status = load.get(holder, path)
                times[i].append(time.monotonic() - t0)
                errors[i] += status != 200
        cpu = [c + cpu_seconds(v.server.pid) for c, v in zip(cpu, variants, strict=True)]
        cells = "; ".join(
            f"{v.label}: p50 {ms(t, 50):6.1f} ms, p95 {ms(t, 95):6.1f} ms, CPU {c / len(paths) * 1000:5.1f} ms/req, non-200 {e}"
            for v, t, e, c in zip(variants, times, errors, cpu, strict=True)
        )
        print(f"  {kind:28s} {cells}  ({loadavg()})")


def loops(variant: Variant, mix: Mix, args) -> None:
    print(
        f"\n== {variant.label}: open loop, page cache on, {args.rate:g} req/s offered for {args.duration:g} s"
    )
    load.BY_KIND.clear()
    load.STATUSES.clear()
    print(f"  before: {loadavg()}")
    lat, err, dropped, elapsed = load.open_loop(
        mix.endless(), variant.port, args.rate, args.duration, threads=64, classify=classify
    )
    print("  " + load.summary("answered", lat, err, elapsed))
    print(f"  of the errors, {dropped} not sent: more than {load.MAX_LAG:g} s behind schedule")
    for name in MIX:
        values = load.BY_KIND.get(name, [])
        print(
            f"    {name:28s} {len(values):5d} answered, p50 {ms(values, 50):7.1f} ms, p95 {ms(values, 95):7.1f} ms"
        )
    print(f"  after: {loadavg()}")
    web, database = cpu_seconds(variant.server.pid), postgres_cpu_seconds()
    lat, err, elapsed = load.closed_loop(mix.endless(), variant.port, args.concurrency, args.closed_seconds)
    web, database = cpu_seconds(variant.server.pid) - web, postgres_cpu_seconds() - database
    mixed = len(lat) / elapsed
    print("  " + load.summary(f"closed loop, mix, {args.concurrency} connections", lat, err, elapsed))
    if lat:
        print(
            f"    CPU per request: web workers {web / len(lat) * 1000:.1f} ms, "
            f"PostgreSQL {database / len(lat) * 1000:.1f} ms"
        )
    lat, err, elapsed = load.closed_loop(
        itertools.repeat("/healthz"), variant.port, args.concurrency, args.closed_seconds
    )
    trivial = len(lat) / elapsed
    print("  " + load.summary(f"closed loop, /healthz, {args.concurrency} connections", lat, err, elapsed))
    print(f"  ratio mix / healthz: {mixed / trivial:.3f} ({mixed:.1f} / {trivial:.1f} req/s)  ({loadavg()})")
    for pid in load.worker_pids(variant.server.pid):
        print(f"  gunicorn worker {pid}: peak RSS (VmHWM) {load.peak_rss_mb(pid):.1f} MB")
    if load.STATUSES:
        print(f"  failed requests by (status, path): {load.STATUSES}")


def profile(kind: str, mix: Mix, samples: int) -> None:
    """Render `samples` paths of `kind` in this process under pyinstrument (production settings)."""
    import django
    from pyinstrument import Profiler

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST=load.HOST)
    paths = [mix.path(kind) for _ in range(samples)]
    client.get(paths[0])
    profiler = Profiler(interval=0.0005)
    with profiler:
        for path in paths:
            client.get(path)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", action="append", help="LABEL:ROOT:GUNICORN OPTIONS (repeatable)")
    parser.add_argument("--samples", type=int, default=30, help="paths per kind, one at a time")
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--closed-seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--skip-loops", action="store_true", help="service times only")
    parser.add_argument("--profile", metavar="KIND", help="profile one kind in-process instead")
    parser.add_argument(
        "--kind",
        action="append",
        help="service time of this kind only (repeatable; a name of MIX); loops keep the mix",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to the PostgreSQL database filled by generate_catalogue.", file=sys.stderr)
        return 2
    env = load.production_env()
    print(f"hardware: {hardware()}; {loadavg()}")
    mix = Mix(catalogue_facts(ROOT, env), args.seed)
    print(f"catalogue: {len(mix.papers)} papers, {len(mix.topics)} topics, {len(mix.venues)} venues, "
          f"{len(mix.words)} search words; mix {MIX}")  # fmt: skip
    if args.profile:
        os.environ.update({**env, "PAGE_CACHE_SECONDS": "0"})
        profile(args.profile, mix, args.samples)
        return 0
    variants = [Variant(spec) for spec in args.variant or [f"this:{ROOT}:--workers 3"]]
    for v in variants:
        v.manage(
            env,
            "from django.core.management import call_command\ncall_command('collectstatic', interactive=False, verbosity=0)",
        )
    try:
        uncached = {**env, "PAGE_CACHE_SECONDS": "0"}
        if not all(v.start(uncached) for v in variants):
            return 1
        kinds = args.kind or list(MIX)
        unknown = sorted(set(kinds) - set(MIX))
        if unknown:
            print(f"Unknown kinds {unknown}; the kinds are {list(MIX)}", file=sys.stderr)
            return 2
        service_times(variants, mix, args.samples, kinds)
        for v in variants:
            v.stop()
        if args.skip_loops:
            return 0
        if not (env.get("CACHE_URL") and env.get("RATELIMIT_CACHE_URL")):
            print("CACHE_URL and RATELIMIT_CACHE_URL (Redis) are needed for the page cache.", file=sys.stderr)
            return 2
        for v in variants:
            # A fresh catalogue version: the earlier variant's fragments are stale for this one.
            v.manage(env, "from community import page_cache\npage_cache._next_version()")
            if not v.start(env):
                return 1
            load.closed_loop(mix.endless(), v.port, 6, 3)  # warm up
            loops(v, mix, args)
            v.stop()
    finally:
        for v in variants:
            v.stop()
    print(f"\nend: {loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
