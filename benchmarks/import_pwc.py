"""Import speed of the Papers with Code archive (issue 14, item 6) on PostgreSQL.

Generates an archive-shaped set in the archive's published formats (test data only, written under
var/benchmarks/pwc/ or --out, never into a site's database): papers with abstracts (--papers records,
4 authors each on average, drawn from a pool of names so that authors repeat as they do in the
archive), links between papers and code (--links) and evaluation tables (--results claimed results,
in the sota-extractor's nested task/dataset/table layout). Then it drops and creates the database of
--database-url, migrates it, and imports the files one after the other through
`community.services.imports.pwc.pwc_import`, as `import_pwc` does, printing per file kind: rows/s,
papers/s, the import's counts, and at the end the process's peak RSS, the CPU model, cores and load.

    .venv/bin/python benchmarks/import_pwc.py --papers 50000
    .venv/bin/python benchmarks/import_pwc.py   # 500,000 papers, 300,000 links, 100,000 results

Targets (issue 14): >= 2,000 papers/s with their authors and links, peak RSS <= 600 MB.
"""

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/dc_h9"
WORDS = (  # noqa: SIM905 - one line of words reads better than a list of 30 strings
    "deep learning neural network attention transformer graph convolution sparse robust efficient "
    "adversarial contrastive self supervised generative diffusion model language vision speech "
    "retrieval detection segmentation reinforcement policy latent variational bayesian recurrent"
).split()
FRAMEWORKS = ("pytorch", "tf", "jax", "mxnet", "none")


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _paper_url(i: int) -> str:
    return f"https://paperswithcode.com/paper/bench-{i}"


def _arxiv(i: int) -> str:
    return f"{18 + i // 100000:02d}{(i // 10000) % 12 + 1:02d}.{i % 100000:05d}"


def _write_list(path: Path, records) -> int:
    """Write `records` (an iterator of dicts) as one gzip'd JSON list, one record at a time."""
    n = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        out.write("[")
        for n, record in enumerate(records, start=1):
            if n > 1:
                out.write(",\n")
            out.write(json.dumps(record))
        out.write("]")
    return n


def papers(n: int, rng: random.Random):
    pool = max(n * 3 // 5, 10)  # distinct author names: ~0.6 per paper, so names repeat
    for i in range(n):
        arxiv = _arxiv(i)
        yield {
            "paper_url": _paper_url(i),
            "arxiv_id": arxiv,
            "title": f"{_text(rng, 6).capitalize()} {i}",
            "abstract": _text(rng, 120),
            "url_abs": f"https://arxiv.org/abs/{arxiv}",
            "url_pdf": f"https://arxiv.org/pdf/{arxiv}.pdf",
            "proceeding": None,
            "authors": [f"Bench Author {rng.randrange(pool)}" for _ in range(rng.randint(1, 7))],
            "tasks": [f"Bench Task {rng.randrange(300)}" for _ in range(rng.randint(0, 2))],
            "date": f"20{18 + i % 6}-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
            "methods": [
                {"name": f"Bench Method {m}", "full_name": f"Bench Method {m}", "description": "A method."}
                for m in rng.sample(range(200), rng.randint(0, 2))
            ],
        }


def links(n: int, papers_n: int, rng: random.Random):
    for k in range(n):
        i = k % papers_n if k < papers_n else rng.randrange(papers_n)
        arxiv = _arxiv(i)
        yield {
            "paper_url": _paper_url(i),
            "paper_title": f"paper {i}",
            "paper_arxiv_id": arxiv,
            "paper_url_abs": f"https://arxiv.org/abs/{arxiv}",
            "paper_url_pdf": f"https://arxiv.org/pdf/{arxiv}.pdf",
            "repo_url": f"https://github.com/bench-owner-{k % 50000}/repo-{k}",
            "is_official": k % 3 == 0,
            "mentioned_in_paper": k % 2 == 0,
            "mentioned_in_github": k % 5 == 0,
            "framework": FRAMEWORKS[k % len(FRAMEWORKS)],
        }


def tables(results: int, papers_n: int, rng: random.Random):
    """Top tasks with one subtask each; each task has datasets with tables of 50 rows x 2 metrics."""
    rows_per_table, metrics = 50, ["Accuracy", "Error"]
    n_tables = max(results // (rows_per_table * len(metrics)), 1)
    per_task = 4
    for t in range((n_tables + 2 * per_task - 1) // (2 * per_task)):

        def datasets(prefix: str, t=t) -> list[dict]:
            out = []
            for d in range(per_task):
                rows = []
                for r in range(rows_per_table):
                    i = rng.randrange(papers_n)
                    value = round(rng.uniform(50, 99), 2)
                    rows.append(
                        {
                            "model_name": f"Model {r}",
                            "paper_title": f"paper {i}",
                            "paper_url": _paper_url(i),
                            "paper_date": f"20{18 + r % 6}-01-15",
                            "code_links": [{"title": "code", "url": f"https://github.com/bench/r{i}"}],
                            "model_links": [],
                            "metrics": {
                                "Accuracy": f"{value}%" if r % 4 == 0 else value,
                                "Error": 100 - value,
                            },
                            "uses_additional_data": r % 9 == 0,
                        }
                    )
                out.append(
                    {
                        "dataset": f"{prefix} Dataset {t}-{d}",
                        "description": _text(rng, 20),
                        "subdatasets": [],
                        "dataset_links": [],
                        "dataset_citations": [],
                        "sota": {"metrics": metrics, "rows": rows},
                    }
                )
            return out

        yield {
            "task": f"Bench Area Task {t}",
            "description": _text(rng, 30),
            "categories": ["Benchmarks"],
            "datasets": datasets("Top"),
            "subtasks": [
                {
                    "task": f"Bench Subtask {t}",
                    "description": _text(rng, 30),
                    "categories": [],
                    "datasets": datasets("Sub"),
                    "subtasks": [],
                }
            ],
        }


def generate(out: Path, args) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(14)
    files = {
        "papers": out / f"papers-with-abstracts-{args.papers}.json.gz",
        "links": out / f"links-between-papers-and-code-{args.links}.json.gz",
        "evaluation-tables": out / f"evaluation-tables-{args.results}.json.gz",
    }
    makers = {
        "papers": lambda: papers(args.papers, rng),
        "links": lambda: links(args.links, args.papers, rng),
        "evaluation-tables": lambda: tables(args.results, args.papers, rng),
    }
    for kind, path in files.items():
        if path.exists() and not args.regenerate:
            continue
        started = time.monotonic()
        n = _write_list(path, makers[kind]())
        print(
            f"generated {path} ({n} records, {path.stat().st_size / 1e6:.1f} MB) in {time.monotonic() - started:.0f} s"
        )
    return files


def fresh_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("dc_") and "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: use a database of the benchmark's own (dc_* or *bench*)")
    base = [
        "-h",
        parsed.hostname or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
    ]
    subprocess.run(["dropdb", *base, "--if-exists", name], check=True)  # noqa: S603, S607
    subprocess.run(["createdb", *base, name], check=True)  # noqa: S603, S607


def hardware() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def server_cpu_s(pid: int) -> float:
    """CPU seconds of the PostgreSQL backend serving this process (same machine: /proc), or 0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--papers", type=int, default=500_000)
    parser.add_argument("--links", type=int, default=None, help="default: 3/5 of --papers")
    parser.add_argument("--results", type=int, default=None, help="default: 1/5 of --papers")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "benchmarks" / "pwc")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--regenerate", action="store_true", help="write the files even if they exist")
    parser.add_argument("--keep-database", action="store_true", help="do not drop and migrate first")
    args = parser.parse_args()
    args.links = args.papers * 3 // 5 if args.links is None else args.links
    args.results = args.papers // 5 if args.results is None else args.results

    print(f"hardware: {hardware()}; load average at start: {load()}", flush=True)
    files = generate(args.out, args)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if not args.keep_database:
        fresh_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from community.services.imports.pwc import BATCH_SIZE, pwc_import

    if not args.keep_database:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        print(f"migrated a fresh database in {time.monotonic() - started:.0f} s", flush=True)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    total_started = time.monotonic()
    papers_s = 0.0
    cpu_total = 0.0
    for kind, path in files.items():
        started = time.monotonic()
        cpu, server = time.process_time(), server_cpu_s(backend)
        with path.open("rb") as stream, open(os.devnull, "w") as report_file:
            report = pwc_import(
                stream,
                source=path.name,
                revision="bench",
                batch_size=args.batch_size or BATCH_SIZE,
                report_file=report_file,
            )
        wall = time.monotonic() - started
        cpu, server = time.process_time() - cpu, server_cpu_s(backend) - server
        cpu_total += cpu + server
        if not report.ok:
            sys.exit(f"{kind}: {report.error}")
        if kind == "papers":
            papers_s = report.rows / wall
        print(
            f"{kind:<18} {report.rows:>8} rows in {wall:7.1f} s: {report.rows / wall:8.0f} rows/s "
            f"(CPU: importer {cpu:.0f} s + PostgreSQL backend {server:.0f} s = "
            f"{report.rows / max(cpu + server, 1e-9):.0f} rows per CPU-second; load {load()}; "
            f"peak RSS {peak_rss_mb():.0f} MB)",
            flush=True,
        )
        for line in report.lines()[1:]:
            print("   ", line.strip(), flush=True)
    total = time.monotonic() - total_started
    print(
        f"all files: {total:.0f} s; papers/s (papers file) {papers_s:.0f}; papers/s over all files "
        f"{args.papers / total:.0f} (wall), {args.papers / max(cpu_total, 1e-9):.0f} per CPU-second of "
        f"importer + PostgreSQL; peak RSS {peak_rss_mb():.0f} MB (targets: >= 2000 papers/s, <= 600 MB)"
    )
    print(f"hardware: {hardware()}; load average at end: {load()}")


if __name__ == "__main__":
    main()
