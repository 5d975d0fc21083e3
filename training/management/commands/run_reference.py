"""Start reference runs from the shell: enqueue a sweep, or (--sync) train it here and print results."""

import json
import socket

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from training.models import Benchmark, Device, RunState
from training.services import sweep_publish, sweep_start
from training.services.execution import runs_execute


class Command(BaseCommand):
    help = "Run a reference benchmark over N seeds, on the workers or (--sync) in this process."

    def add_arguments(self, parser):
        parser.add_argument("benchmark", help="benchmark slug, e.g. mnist1d-cnn")
        parser.add_argument("--seeds", type=int, default=1, help="number of seeds (0..N-1)")
        parser.add_argument("--device", choices=Device.values, default=Device.AUTO)
        parser.add_argument(
            "--sync", action="store_true", help="train in this process, one JSON line per run"
        )
        parser.add_argument("--publish", action="store_true", help="publish the sweep once it has finished")

    def handle(self, *args, benchmark, seeds, device, sync, publish, **options):
        try:
            bench = Benchmark.objects.get(slug=benchmark)
        except Benchmark.DoesNotExist:
            known = (
                ", ".join(Benchmark.objects.values_list("slug", flat=True)) or "none (run load_benchmarks)"
            )
            raise CommandError(f"Unknown benchmark {benchmark!r}; known: {known}.") from None
        try:
            sweep = sweep_start(benchmark=bench, seeds=seeds, device=device, enqueue=not sync)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if not sync:
            self.stdout.write(
                json.dumps({"sweep": sweep.pk, "runs": sweep.runs.count(), "queue": sweep.queue})
            )
            if publish:
                self.stderr.write("--publish applies once the sweep has finished; publish it from the admin.")
            return

        # All seeds train together in this process, as a worker would train the sweep.
        run_ids = list(sweep.runs.order_by("seed").values_list("pk", flat=True))
        runs = runs_execute(run_ids=run_ids, worker=f"cli@{socket.gethostname()}")
        failed = sum(run.state != RunState.SUCCEEDED for run in runs)
        for run in runs:
            self.stdout.write(
                json.dumps(
                    {
                        "benchmark": bench.slug,
                        "seed": run.seed,
                        "state": run.state,
                        "final": run.final_metrics,
                        "wall_s": run.timings.get("wall_s"),
                        "samples_per_s": run.timings.get("samples_per_s"),
                        "device": run.environment.get("device"),
                        **({"error": run.error} if run.error else {}),
                    }
                )
            )
        sweep.refresh_from_db()
        summary = sweep.summary
        self.stderr.write(
            f"sweep #{sweep.pk}: {summary.get('verdict')} "
            + json.dumps({k: summary.get(k) for k in ("metrics", "checks")})
        )
        if publish and failed < len(sweep.seeds):
            sweep_publish(sweep=sweep)
        if failed:
            raise CommandError(f"{failed} run(s) did not succeed.")
