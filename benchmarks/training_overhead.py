"""What the worker's plumbing costs a training run: wall time and memory, against a bare loop.

Runs the MNIST-1D CNN protocol (Adam, lr 1e-2, batch 100, in-order batches, the full test set and
the training accuracy evaluated every 250 steps) two ways on the same device:

- worker: exactly what the Celery worker does with a run id, `training.services.execution.runs_execute`:
  claim the lease, train with `training.reference.sweep.run_sweep` (a batch of one) under the real
  `BatchProgressReporter` (heartbeat and cancellation check in the database at most once a second,
  every evaluation written as a RunMetric row), record the result; on a throw-away SQLite database;
- bare: the same model, data and evaluations as a plain loop written here, with no callback at all.

Each measurement runs in its own subprocess (ru_maxrss only grows), the two kinds interleaved, and
the script prints the ratio of the median wall times and of the RSS growth over each process's
baseline taken after its imports and data loading. Targets: wall ratio <= 1.05, RSS ratio <= 1.5.

    .venv/bin/python benchmarks/training_overhead.py [--repeats 3] [--steps 6000] [--device cpu]
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _config(steps: int) -> dict:
    return {"network": "cnn1d", "dataset": "mnist1d", "train": {"steps": steps}}


def measure_bare(steps: int, device: str, seed: int) -> dict:
    import torch
    import torch.nn.functional as F

    from training.reference import datasets
    from training.reference.networks import build_model
    from training.reference.registry import spec
    from training.reference.run import seed_everything

    run_spec = spec(_config(steps))
    data = datasets.load("mnist1d").to(device)
    baseline = _rss_mib()
    t0 = time.perf_counter()
    seed_everything(seed)
    model = build_model(run_spec.network, run_spec.model).to(device)
    cfg = run_spec.train
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    n = data.x_train.shape[0]
    acc = None
    for step in range(1, cfg.steps + 1):
        start = ((step - 1) * cfg.batch_size) % n
        xb, yb = data.x_train[start : start + cfg.batch_size], data.y_train[start : start + cfg.batch_size]
        loss = F.cross_entropy(model(xb), yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if step % cfg.eval_every == 0 or step == cfg.steps:
            with torch.no_grad():
                model.eval()
                out = model(data.x_test)  # N_test x 10
                acc = (out.argmax(1) == data.y_test).float().mean().item()
                F.cross_entropy(out, data.y_test).item()
                (model(data.x_train).argmax(1) == data.y_train).float().mean().item()
                model.train()
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    return {"wall_s": time.perf_counter() - t0, "rss_growth_mib": _rss_mib() - baseline, "test_acc": acc}


def measure_worker(steps: int, device: str, seed: int) -> dict:
    db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL=f"sqlite:///{db}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from training.models import Benchmark
    from training.reference import datasets
    from training.services import sweep_start
    from training.services.execution import runs_execute

    bench = Benchmark.objects.create(slug="bench", name="bench", description="-", config=_config(steps))
    sweep = sweep_start(benchmark=bench, seeds=[seed], device=device, enqueue=False)
    datasets.load("mnist1d")  # warm the same cache the bare loop reads
    baseline = _rss_mib()
    t0 = time.perf_counter()
    (run,) = runs_execute(run_ids=list(sweep.runs.values_list("pk", flat=True)), worker="benchmark")
    wall = time.perf_counter() - t0
    assert run.state == "succeeded", run.error
    assert run.metrics.count() == -(
        -steps // 250
    )  # every evaluation (every 250 steps and the last) was written
    return {
        "wall_s": wall,
        "rss_growth_mib": _rss_mib() - baseline,
        "test_acc": run.final_metrics["test_acc"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", choices=["bare", "worker"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        import torch

        torch.set_num_threads(1)  # what a CPU worker uses (settings.TRAINING_TORCH_THREADS)
        measure = measure_bare if args.one == "bare" else measure_worker
        print(json.dumps(measure(args.steps, args.device, args.seed)))
        return

    results: dict[str, list[dict]] = {"bare": [], "worker": []}
    for i in range(args.repeats):
        for kind in ("bare", "worker") if i % 2 == 0 else ("worker", "bare"):
            out = subprocess.run(  # noqa: S603 - our own script
                [sys.executable, __file__, "--one", kind, "--steps", str(args.steps), "--device", args.device,
                 "--seed", str(args.seed)],
                check=True, capture_output=True, text=True, cwd=ROOT,
            )  # fmt: skip
            results[kind].append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"{kind:6s} {results[kind][-1]}", flush=True)

    def med(kind, key):
        return statistics.median(r[key] for r in results[kind])

    wall = med("worker", "wall_s") / med("bare", "wall_s")
    rss = med("worker", "rss_growth_mib") / max(med("bare", "rss_growth_mib"), 1e-9)
    print(
        f"MNIST-1D CNN, {args.steps} steps on {args.device}, {args.repeats} interleaved runs each:\n"
        f"  wall: worker {med('worker', 'wall_s'):.2f} s / bare {med('bare', 'wall_s'):.2f} s = {wall:.3f}x"
        f" (target <= 1.05)\n"
        f"  RSS growth: worker {med('worker', 'rss_growth_mib'):.1f} MiB / bare {med('bare', 'rss_growth_mib'):.1f}"
        f" MiB = {rss:.2f}x (target <= 1.5)\n"
        f"  final test accuracy (seed {args.seed}): worker {results['worker'][0]['test_acc']:.3f},"
        f" bare {results['bare'][0]['test_acc']:.3f}"
    )


if __name__ == "__main__":
    main()
