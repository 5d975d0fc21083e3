"""Command line for one reference run, without Django (e.g. on a GPU host):

python -m training.reference cnn1d --seed 0
python -m training.reference gru --device cuda --steps 2000 --json gru.json
python -m training.reference mlp --dataset digits --config '{"model": {"hidden": 256}}'
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from training.reference.errors import ConfigError, RunCancelled
from training.reference.registry import DATASETS, NETWORKS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.reference", description=__doc__.split("\n")[0])
    parser.add_argument("network", choices=list(NETWORKS))
    parser.add_argument("--dataset", choices=list(DATASETS), help="default: the network's first dataset")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument(
        "--data-dir", help="MNIST-1D cache folder (default $DEEPCOMMONS_DATA_DIR or var/datasets)"
    )
    parser.add_argument("--steps", type=int)
    parser.add_argument("--lr", type=float)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--eval-every", type=int)
    parser.add_argument(
        "--config", type=json.loads, default={}, help="JSON with 'model' and/or 'train' overrides"
    )
    parser.add_argument("--json", dest="json_path", help="write the result record (without weights) here")
    parser.add_argument("--weights", help="write the final state_dict (torch.save) here")
    args = parser.parse_args(argv)

    train: dict[str, Any] = dict(args.config.get("train", {}))
    for key in ("steps", "lr", "batch_size", "eval_every"):
        if getattr(args, key) is not None:
            train[key] = getattr(args, key)
    config = {**args.config, "network": args.network, "dataset": args.dataset, "train": train}

    from training.reference.run import run  # imports torch: after argument errors are reported

    def on_progress(step: int, total: int, metrics: dict[str, Any] | None) -> None:
        if metrics is not None:
            shown = ", ".join(f"{k} {v:.4g}" for k, v in metrics.items() if k != "step")
            print(f"step {step}/{total}: {shown}", flush=True)

    try:
        result = run(
            config, seed=args.seed, device=args.device, on_progress=on_progress, data_dir=args.data_dir
        )
    except ConfigError as exc:
        parser.error(str(exc))
    except (RunCancelled, KeyboardInterrupt):
        print("cancelled", file=sys.stderr)
        return 130

    timings = result.timings
    print(
        f"final: {json.dumps(result.final)}\n"
        f"train {timings['train_s']:.2f}s, wall {timings['wall_s']:.2f}s, "
        f"{timings['samples_per_s'] or 0:.0f} samples/s on {result.environment['device']}"
        f"{' (' + result.environment['gpu'] + ')' if result.environment['gpu'] else ''}"
    )
    if args.json_path:
        with open(args.json_path, "w") as fh:
            json.dump(result.to_dict(), fh, indent=2)
    if args.weights:
        with open(args.weights, "wb") as fh:
            fh.write(result.weights)
    return 0


if __name__ == "__main__":
    sys.exit(main())
