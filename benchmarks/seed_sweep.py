"""Seed sweeps: N plain runs one after another against one batched sweep of the same N seeds.

Both sides train the same reference config on the same device: "plain" calls
``training.reference.run.run`` once per seed, "sweep" calls ``training.reference.sweep.run_sweep`` once
with all seeds. Each measurement runs in its own subprocess (one torch thread on CPU unless --threads
says otherwise; RSS only grows, so it is measured per process), the two kinds interleaved and
alternating which goes first. The clock starts with the MNIST-1D cache on disk and the process's CUDA
context up (both sides load the data themselves; CUDA graph capture and cuDNN/cuBLAS set-up are inside
the clock). Printed: the speed-up ratio (plain wall / sweep wall, and the same for CPU time), the time
per model, the peak memory per model (CPU: RSS growth over the process's baseline, divided by N for the
sweep; CUDA: torch.cuda.max_memory_allocated over the baseline, likewise) and the mean final test
accuracy of each side.

    .venv/bin/python benchmarks/seed_sweep.py --networks cnn1d --seeds 8 --device cpu [--repeats 2]
    python3 benchmarks/seed_sweep.py --device cuda --table      # 4 networks x 5 seeds, vs sequential
    python3 benchmarks/seed_sweep.py --device cuda --large 256  # 256 CNN seeds: seconds per model
    python3 benchmarks/seed_sweep.py --device cuda --verify      # batched = single, graph = eager

Targets: CPU (2 cores), 8 CNN seeds: sweep >= 1.5x faster than plain. One H200: the table (4 networks
x 5 seeds) <= 6 s and >= 30x faster than sequential; 256 CNN seeds <= 0.1 s per model.
--json/--markdown write what was measured (benchmarks/gpu_check.sh uses them). Needs only torch, numpy
and training.reference: no Django, no mnist1d (the .npz cache must exist), no scikit-learn.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TABLE_NETWORKS = ("logreg", "mlp", "cnn1d", "gru")  # the paper's MNIST-1D table
VERIFY_NETWORKS = ("linear", "logreg", "mlp", "cnn1d", "gru", "lstm")  # digits/cnn2d need scikit-learn
FORBIDDEN = ("django", "mnist1d", "sklearn")


def _check_forbidden() -> None:
    """Fail if django, mnist1d or sklearn got imported: the GPU path must need none of them.

    Checked after the fact in sys.modules rather than by blocking imports: torch._dynamo probes for
    sklearn with importlib.util.find_spec (without importing it), which a blocking finder would break.
    """
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in FORBIDDEN)
    if loaded:
        raise SystemExit(f"forbidden modules were imported: {', '.join(loaded)}")


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _config(network: str, steps: int | None) -> dict[str, Any]:
    # only the length changes: the dataset's protocol otherwise (a run shorter than eval_every is
    # evaluated once, at its last step)
    return {"network": network, "train": {} if steps is None else {"steps": steps}}


# --- one measurement, in its own process -----------------------------------------------------------


def measure(
    kind: str, networks: list[str], seeds: list[int], device: str, steps: int | None, conv: str | None
) -> list[dict]:
    """Train ``seeds`` plain (one run() each) or as one sweep, for each network in turn, in this process;
    per network: time, peak memory and final accuracy.

    Several networks in one process is how a worker meets them (cuBLAS/cuDNN start once per process),
    and what --table does. RSS only grows, so on CPU the memory of a network after the first is only
    what it added: CPU memory figures want one network per process (as compare() runs them).
    """
    import torch

    from training.reference import datasets
    from training.reference.batched.networks import StackedCNN1d
    from training.reference.registry import spec
    from training.reference.run import run
    from training.reference.sweep import run_sweep

    if conv:
        StackedCNN1d.DEFAULT_CONV = conv
    cuda = device.startswith("cuda")
    if cuda:
        torch.zeros(1, device=device)  # CUDA context up: a per-process cost, not a per-method one
    rows = []
    for network in networks:
        run_spec = spec(_config(network, steps))
        datasets.load(run_spec.dataset)  # the cache exists on disk before the clock starts
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
            base_mem = torch.cuda.memory_allocated()
        base_rss = _rss_mib()
        t0, c0 = time.perf_counter(), time.process_time()
        if kind == "plain":
            results = [run(run_spec, seed=seed, device=device) for seed in seeds]
        else:
            results = run_sweep(run_spec, seeds=seeds, device=device)
        if cuda:
            torch.cuda.synchronize()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        n = len(seeds)
        # plain runs one model at a time, so its peak is one model's; the sweep holds all N at once.
        models_at_once = 1 if kind == "plain" else n
        peak_mib = (torch.cuda.max_memory_allocated() - base_mem) / 2**20 if cuda else _rss_mib() - base_rss
        rows.append(
            {
                "kind": kind,
                "network": network,
                "seeds": n,
                "device": device,
                "steps": run_spec.train.steps,
                "wall_s": wall,
                "cpu_s": cpu,
                "per_model_s": wall / n,
                "peak_mib_per_model": peak_mib / models_at_once,
                "final": [r.final.get("test_acc", r.final.get("test_mse")) for r in results],
                "cuda_graph": results[0].environment.get("cuda_graph"),
                "cuda_graph_error": results[0].environment.get("cuda_graph_error"),
                "gpu": results[0].environment.get("gpu"),
                "threads": torch.get_num_threads(),
            }
        )
    return rows


def _subprocess(
    args: argparse.Namespace, kind: str, network: str, seeds: int, steps: int | None
) -> list[dict]:
    """``measure`` in a fresh process; ``network`` may be a comma-separated list."""
    command = [
        sys.executable, __file__, "--one", kind, "--networks", network, "--seeds", str(seeds),
        "--device", args.device, "--threads", str(args.threads),
    ]  # fmt: skip
    if steps is not None:
        command += ["--steps", str(steps)]
    if args.conv:
        command += ["--conv", args.conv]
    if args.forbid_imports:
        command.append("--forbid-imports")
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"measurement failed ({kind} {network} x{seeds}): exit {out.returncode}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- modes ----------------------------------------------------------------------------------------


def compare(args: argparse.Namespace, report: dict) -> None:
    """N plain runs vs one sweep of N, per network, interleaved over --repeats."""
    for network in args.networks:
        runs: dict[str, list[dict]] = {"plain": [], "sweep": []}
        for i in range(args.repeats):
            for kind in ("plain", "sweep") if i % 2 == 0 else ("sweep", "plain"):
                runs[kind].append(_subprocess(args, kind, network, args.seeds, args.steps)[0])
                r = runs[kind][-1]
                print(
                    f"  {network} {kind:5s} x{args.seeds}: wall {r['wall_s']:.2f} s, cpu {r['cpu_s']:.2f} s, "
                    f"{r['peak_mib_per_model']:.2f} MiB/model",
                    flush=True,
                )
        pairs = [p["wall_s"] / s["wall_s"] for p, s in zip(runs["plain"], runs["sweep"], strict=True)]
        cpu_pairs = [p["cpu_s"] / s["cpu_s"] for p, s in zip(runs["plain"], runs["sweep"], strict=True)]

        def med(kind: str, key: str, runs: dict[str, list[dict]] = runs) -> float:
            return statistics.median(r[key] for r in runs[kind])

        row = {
            "network": network,
            "seeds": args.seeds,
            "steps": runs["sweep"][0]["steps"],
            "device": args.device,
            "threads": runs["sweep"][0]["threads"],
            "plain_wall_s": med("plain", "wall_s"),
            "sweep_wall_s": med("sweep", "wall_s"),
            "speedup_wall": statistics.median(pairs),
            "speedup_wall_pairs": pairs,
            "speedup_cpu": statistics.median(cpu_pairs),
            "plain_per_model_s": med("plain", "per_model_s"),
            "sweep_per_model_s": med("sweep", "per_model_s"),
            "plain_mib_per_model": med("plain", "peak_mib_per_model"),
            "sweep_mib_per_model": med("sweep", "peak_mib_per_model"),
            "plain_final_mean": statistics.mean(runs["plain"][0]["final"]),
            "sweep_final_mean": statistics.mean(runs["sweep"][0]["final"]),
            "cuda_graph": runs["sweep"][0]["cuda_graph"],
            "cuda_graph_error": runs["sweep"][0]["cuda_graph_error"],
        }
        report.setdefault("compare", []).append(row)
        print(
            f"{network}, {args.seeds} seeds x {row['steps']} steps on {args.device} "
            f"({row['threads']} thread(s)), {args.repeats} interleaved pair(s):\n"
            f"  wall: plain {row['plain_wall_s']:.2f} s / sweep {row['sweep_wall_s']:.2f} s = "
            f"{row['speedup_wall']:.2f}x (pairs: {', '.join(f'{p:.2f}' for p in pairs)}); "
            f"CPU time {row['speedup_cpu']:.2f}x\n"
            f"  per model: plain {row['plain_per_model_s']:.3f} s, sweep {row['sweep_per_model_s']:.3f} s; "
            f"peak memory per model: plain {row['plain_mib_per_model']:.2f} MiB, "
            f"sweep {row['sweep_mib_per_model']:.2f} MiB\n"
            f"  mean final: plain {row['plain_final_mean']:.4f}, sweep {row['sweep_final_mean']:.4f}; "
            f"CUDA graph: {row['cuda_graph']}",
            flush=True,
        )


def table(args: argparse.Namespace, report: dict) -> None:
    """The MNIST-1D table (4 networks x 5 seeds): one sweep per network against sequential runs."""
    seeds = args.table_seeds
    # one process per side, the networks one after another: as a GPU worker meets them
    networks = ",".join(TABLE_NETWORKS)
    sweeps = {r["network"]: r for r in _subprocess(args, "sweep", networks, seeds, args.steps)}
    for net, r in sweeps.items():
        print(f"  sweep {net} x{seeds}: {r['wall_s']:.2f} s, graph {r['cuda_graph']}", flush=True)
    total_sweep = sum(r["wall_s"] for r in sweeps.values())
    plain_seeds = min(args.table_plain_seeds, seeds)
    plains = {r["network"]: r for r in _subprocess(args, "plain", networks, plain_seeds, args.steps)}
    for net, r in plains.items():
        print(f"  plain {net} x{plain_seeds}: {r['wall_s']:.2f} s", flush=True)
    # plain runs are independent: with fewer seeds than the sweep, scale by seeds / plain_seeds
    total_plain = sum(r["wall_s"] for r in plains.values()) * seeds / plain_seeds
    rows = []
    for net in TABLE_NETWORKS:
        s, p = sweeps[net], plains[net]
        # the same seeds on both sides: plain ran seeds 0 .. plain_seeds - 1
        sweep_mean = statistics.mean(s["final"][:plain_seeds])
        plain_mean = statistics.mean(p["final"])
        rows.append(
            {
                "network": net,
                "sweep_s": s["wall_s"],
                "plain_s_per_seed": p["wall_s"] / plain_seeds,
                "sweep_mean_acc": sweep_mean,
                "plain_mean_acc": plain_mean,
                "acc_diff_points": 100 * (sweep_mean - plain_mean),
                "sweep_mib_per_model": s["peak_mib_per_model"],
                "cuda_graph": s["cuda_graph"],
            }
        )
    result = {
        "seeds": seeds,
        "plain_seeds_measured": plain_seeds,
        "sweep_total_s": total_sweep,
        "plain_total_s": total_plain,
        "speedup": total_plain / total_sweep,
        "rows": rows,
    }
    report["table"] = result
    print(f"MNIST-1D table, {len(TABLE_NETWORKS)} networks x {seeds} seeds on {args.device}:")
    for row in rows:
        print(
            f"  {row['network']:6s} sweep {row['sweep_s']:6.2f} s | plain {row['plain_s_per_seed']:6.2f} s/seed | "
            f"mean test acc sweep {row['sweep_mean_acc']:.4f} plain {row['plain_mean_acc']:.4f} "
            f"({row['acc_diff_points']:+.2f} points) | {row['sweep_mib_per_model']:.2f} MiB/model"
        )
    print(
        f"  total: sweep {total_sweep:.2f} s (target <= 6 s on one H200), sequential {total_plain:.2f} s"
        f"{'' if plain_seeds == seeds else f' (measured {plain_seeds} seed(s) per network, scaled)'}: "
        f"{result['speedup']:.1f}x (target >= 30x)",
        flush=True,
    )


def large(args: argparse.Namespace, report: dict) -> None:
    r = _subprocess(args, "sweep", "cnn1d", args.large, args.steps)[0]
    report.setdefault("large", []).append({**r, "conv": args.conv or "default"})
    print(
        f"{args.large} CNN seeds x {r['steps']} steps on {args.device} (conv {args.conv or 'default'}): "
        f"{r['wall_s']:.2f} s, {r['per_model_s']:.4f} s per model (target <= 0.1 s), "
        f"{r['peak_mib_per_model']:.3f} MiB per model, mean test acc {statistics.mean(r['final']):.4f}, "
        f"CUDA graph {r['cuda_graph']}",
        flush=True,
    )


def verify(args: argparse.Namespace, report: dict) -> None:
    """Batched = single (first 20 steps) and, on CUDA, graph replay = eager, for each network."""
    import torch

    from training.reference import datasets
    from training.reference.batched.networks import stack
    from training.reference.networks import build_model
    from training.reference.registry import spec
    from training.reference.run import run, seed_everything
    from training.reference.sweep import run_sweep, train_stacked

    device = args.device
    cuda = device.startswith("cuda")
    checks = []
    # The single run's cuDNN convolutions use TF32 on recent GPUs; the stacked CNN multiplies in
    # float32. Compare like with like: TF32 off for this check.
    saved_tf32 = torch.backends.cudnn.allow_tf32
    torch.backends.cudnn.allow_tf32 = False
    try:
        for net in VERIFY_NETWORKS:
            config = {"network": net, "train": {"steps": 20, "eval_every": 1}}
            t0 = time.perf_counter()
            batched = run_sweep(config, seeds=[0, 1, 2], device=device, use_cuda_graph=False)
            singles = [run(config, seed=s, device=device) for s in (0, 1, 2)]
            worst = max(
                abs(b[k] - s[k]) / max(abs(s[k]), 1e-12)
                for rb, rs in zip(batched, singles, strict=True)
                for b, s in zip(rb.history, rs.history, strict=True)
                for k in ("train_loss", "test_loss")
            )
            checks.append(
                {"check": f"batched = single, 20 steps, {net}", "worst_rel": worst, "ok": worst <= 1e-4}
            )
            print(f"  {net}: batched vs single, 20 steps: worst relative loss difference {worst:.1e} "
                  f"({time.perf_counter() - t0:.1f} s)", flush=True)  # fmt: skip
    finally:
        torch.backends.cudnn.allow_tf32 = saved_tf32

    if cuda:
        for net in VERIFY_NETWORKS:
            run_spec = spec({"network": net, "train": {"steps": 200, "eval_every": 50}})
            data = datasets.load(run_spec.dataset).to(device)
            histories = {}
            t0 = time.perf_counter()
            for graph in (False, True):
                models = []
                for seed in (0, 1, 2):
                    seed_everything(seed)
                    models.append(build_model(net, run_spec.model))
                model = stack(net, run_spec.model, models).to(device)
                out = train_stacked(
                    model, data, run_spec.train, task=run_spec.task, use_cuda_graph=graph, capturable=True
                )
                histories[graph] = out
            worst = max(
                abs(g[k] - e[k]) / max(abs(e[k]), 1e-12)
                for hg, he in zip(histories[True].histories, histories[False].histories, strict=True)
                for g, e in zip(hg, he, strict=True)
                for k in e
                if k != "step"
            )
            used = histories[True].cuda_graph
            ok = used and worst <= 1e-4
            checks.append({"check": f"graph = eager, 200 steps, {net}", "worst_rel": worst, "graph": used,
                           "error": histories[True].cuda_graph_error, "ok": ok})  # fmt: skip
            print(f"  {net}: CUDA graph vs eager, 200 steps: worst relative difference {worst:.1e}, "
                  f"graph used {used} {histories[True].cuda_graph_error or ''}({time.perf_counter() - t0:.1f} s)",
                  flush=True)  # fmt: skip
    report["verify"] = checks
    failed = [c["check"] for c in checks if not c["ok"]]
    print(
        f"verify: {len(checks) - len(failed)}/{len(checks)} checks passed"
        + (f"; FAILED: {failed}" if failed else "")
    )


def write_markdown(path: Path, report: dict) -> None:
    lines = [f"# Seed sweep check ({report['device']}, {report.get('gpu') or report.get('cpu') or '?'})", ""]
    for c in report.get("verify", []):
        lines.append(
            f"- {'ok' if c['ok'] else 'FAILED'}: {c['check']}: worst relative difference {c['worst_rel']:.1e}"
        )
    if "table" in report:
        t = report["table"]
        lines += ["", f"Table, {t['seeds']} seeds: sweep {t['sweep_total_s']:.2f} s, sequential "
                  f"{t['plain_total_s']:.2f} s, {t['speedup']:.1f}x", "",
                  "| network | sweep s | plain s/seed | sweep acc | plain acc | diff (points) | MiB/model |",
                  "|---|---|---|---|---|---|---|"]  # fmt: skip
        for r in t["rows"]:
            lines.append(
                f"| {r['network']} | {r['sweep_s']:.2f} | {r['plain_s_per_seed']:.2f} | {r['sweep_mean_acc']:.4f} | "
                f"{r['plain_mean_acc']:.4f} | {r['acc_diff_points']:+.2f} | {r['sweep_mib_per_model']:.3f} |"
            )
    for r in report.get("large", []):
        lines.append(f"\n{r['seeds']} CNN seeds (conv {r['conv']}): {r['wall_s']:.2f} s, "
                     f"{r['per_model_s']:.4f} s/model, {r['peak_mib_per_model']:.3f} MiB/model")  # fmt: skip
    for r in report.get("compare", []):
        lines.append(f"\n{r['network']} x{r['seeds']}: plain {r['plain_wall_s']:.2f} s, sweep {r['sweep_wall_s']:.2f} s, "
                     f"{r['speedup_wall']:.2f}x wall, {r['speedup_cpu']:.2f}x CPU time")  # fmt: skip
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--networks", default="cnn1d", help="comma-separated, e.g. cnn1d,gru")
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--steps", type=int, help="default: the dataset's full protocol (6000 for MNIST-1D)")
    parser.add_argument("--repeats", type=int, default=1, help="interleaved plain/sweep pairs per network")
    parser.add_argument(
        "--threads", type=int, default=0, help="torch threads (default: 1 on CPU, torch's own on CUDA)"
    )
    parser.add_argument(
        "--table", action="store_true", help="the 4 x 5 MNIST-1D table against sequential runs"
    )
    parser.add_argument("--table-seeds", type=int, default=5)
    parser.add_argument(
        "--table-plain-seeds", type=int, default=5, help="sequential seeds measured per network"
    )
    parser.add_argument("--large", type=int, default=0, help="train this many CNN seeds in one sweep")
    parser.add_argument("--verify", action="store_true", help="batched = single; on CUDA also graph = eager")
    parser.add_argument("--conv", choices=["im2col", "grouped"], help="the stacked CNN's convolution")
    parser.add_argument(
        "--forbid-imports", action="store_true", help=f"fail if {', '.join(FORBIDDEN)} got imported"
    )
    parser.add_argument("--json", help="write the report (JSON) here")
    parser.add_argument("--markdown", help="write a markdown summary here")
    parser.add_argument("--one", choices=["plain", "sweep"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.networks = [n for n in args.networks.split(",") if n]

    import torch

    threads = args.threads or (1 if args.device == "cpu" else 0)
    if threads:
        torch.set_num_threads(threads)
    args.threads = threads

    if args.one:
        result = measure(args.one, args.networks, list(range(args.seeds)), args.device, args.steps, args.conv)
        if args.forbid_imports:
            _check_forbidden()
        print(json.dumps(result))
        return

    report: dict[str, Any] = {"device": args.device, "torch": torch.__version__}
    if args.device.startswith("cuda"):
        report["gpu"] = torch.cuda.get_device_name(args.device)
    else:
        report["cpu"] = _cpu_model()
    print(
        f"torch {torch.__version__} on {args.device} ({report.get('gpu') or report.get('cpu')})", flush=True
    )
    if args.verify:
        verify(args, report)
    if args.table:
        table(args, report)
    if args.large:
        large(args, report)
    if not (args.verify or args.table or args.large):
        compare(args, report)
    if args.forbid_imports:
        _check_forbidden()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    if args.markdown:
        write_markdown(Path(args.markdown), report)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} cores"
    except OSError:
        pass
    return f"{os.cpu_count()} cores"


if __name__ == "__main__":
    main()
