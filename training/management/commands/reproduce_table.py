"""Reproduce a paper's table of reference results: every benchmark of a dataset over N seeds."""

import json as jsonlib
import socket
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from training.models import Benchmark, Device
from training.services import sweep_start
from training.services.execution import runs_execute

TABLES = {"mnist1d": ["mnist1d-logreg", "mnist1d-mlp", "mnist1d-cnn", "mnist1d-gru"]}


def _percent(value):
    return f"{100 * value:.1f}" if value is not None else "—"


class Command(BaseCommand):
    help = (
        "Run the benchmarks of a paper's table (e.g. mnist1d) over N seeds and print claimed vs reproduced."
    )

    def add_arguments(self, parser):
        parser.add_argument("table", choices=sorted(TABLES))
        parser.add_argument("--seeds", type=int, default=5)
        parser.add_argument("--device", choices=Device.values, default=Device.AUTO)
        parser.add_argument(
            "--sync", action="store_true", help="train here (each benchmark's seeds as one batch)"
        )
        parser.add_argument(
            "--json", action="store_true", help="one JSON line per benchmark instead of a table"
        )

    def handle(self, *args, table, seeds, device, sync, **options):
        as_json = options["json"]
        benchmarks = {b.slug: b for b in Benchmark.objects.filter(slug__in=TABLES[table])}
        missing = [slug for slug in TABLES[table] if slug not in benchmarks]
        if missing:
            raise CommandError(
                f"Missing benchmarks {', '.join(missing)}: run `manage.py load_benchmarks` first."
            )
        sweeps = []
        for slug in TABLES[table]:
            try:
                sweeps.append(
                    sweep_start(benchmark=benchmarks[slug], seeds=seeds, device=device, enqueue=not sync)
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
        if not sync:
            self.stdout.write(" ".join(f"{s.benchmark.slug}: sweep #{s.pk}" for s in sweeps))
            self.stdout.write("Enqueued; the results page shows the table once the workers finish.")
            return

        rows = []
        for sweep in sweeps:
            started = time.perf_counter()
            runs_execute(
                run_ids=list(sweep.runs.values_list("pk", flat=True)), worker=f"cli@{socket.gethostname()}"
            )
            sweep.refresh_from_db()
            summary, target = sweep.summary, sweep.benchmark.targets[0]
            stats = summary.get("metrics", {}).get(target["metric"], {})
            rows.append(
                {
                    "benchmark": sweep.benchmark.slug,
                    "claimed": target.get("value", target.get("minimum")),
                    "tolerance": target.get("tolerance"),
                    "mean": stats.get("mean"),
                    "std": stats.get("std"),
                    "n": summary.get("n", 0),
                    "verdict": summary.get("verdict"),
                    "gap": summary.get("gap"),
                    "wall_s": round(time.perf_counter() - started, 1),
                    "sweep": sweep.pk,
                }
            )
            if as_json:
                self.stdout.write(jsonlib.dumps(rows[-1]))
        if not as_json:
            self.stdout.write(
                f"{'benchmark':16} {'paper':>7} {'reproduced':>15} {'N':>3}  verdict (gap)          wall"
            )
            for r in rows:
                gap = f"{100 * r['gap']:+.1f} pts" if r["gap"] is not None else ""
                self.stdout.write(
                    f"{r['benchmark']:16} {_percent(r['claimed']):>6}% {_percent(r['mean']):>7} ± {_percent(r['std']):>4}%"
                    f" {r['n']:>3}  {(r['verdict'] or 'no result') + ' (' + gap + ')':22} {r['wall_s']:>6} s"
                )
