#!/usr/bin/env bash
# One call on a GPU machine: the seed-sweep checks and benchmarks of issue 6, in under 10 minutes.
#
# Needs only python3 with torch (and numpy) and this checkout: no Django, no mnist1d, no scikit-learn,
# no network. Every Python process below runs with --forbid-imports: if django, mnist1d or sklearn is
# in sys.modules at its end, the stage fails. The MNIST-1D cache must already be on disk:
#   var/datasets/mnist1d-seed42-n5000.npz   (or in $DEEPCOMMONS_DATA_DIR)
# make it on a machine with the mnist1d package (`python -m training.reference cnn1d --steps 1` does)
# and carry it along.
#
# Stages, most important first, each under its own time limit; a failing stage does not stop the next:
#   1. verify: batched = single runs (first 20 steps, 6 networks) and CUDA-graph replay = eager
#   2. table:  the MNIST-1D table, 4 networks x 5 seeds, batched sweeps vs sequential plain runs
#              (targets: <= 6 s, >= 30x), plus both sides' mean final accuracy and memory per model
#   3. large:  256 CNN seeds in one sweep (target <= 0.1 s per model)
#   4. large, grouped: the same with the stacked CNN's grouped-Conv1d variant, if time is left
# Everything is printed; with $OUT set (a folder), gpu_check.log, summary.json and summary.md go there.
#
#   bash benchmarks/gpu_check.sh                       # on the GPU machine
#   GPU_CHECK_SMOKE=1 PYTHON=.venv/bin/python bash benchmarks/gpu_check.sh   # here, on CPU, a few steps
# Knobs: GPU_CHECK_DEVICE (default cuda; cpu in smoke mode), GPU_CHECK_PLAIN_SEEDS (sequential seeds
# measured per network for the table, default 5; fewer are scaled up), GPU_CHECK_LARGE (default 256).
set -uo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
SMOKE=${GPU_CHECK_SMOKE:-0}
OUT_DIR=${OUT:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -n "$OUT_DIR" ]; then
    mkdir -p "$OUT_DIR"
    exec > >(tee "$OUT_DIR/gpu_check.log") 2>&1
fi
export PYTHONUNBUFFERED=1

if [ "$SMOKE" = "1" ]; then
    DEVICE=${GPU_CHECK_DEVICE:-cpu}
    STEPS=(--steps 30)
    TABLE=(--table-seeds 2 --table-plain-seeds "${GPU_CHECK_PLAIN_SEEDS:-1}")
    LARGE=${GPU_CHECK_LARGE:-4}
    LIMITS=(240 240 120 120)  # seconds per stage
else
    DEVICE=${GPU_CHECK_DEVICE:-cuda}
    STEPS=()
    TABLE=(--table-seeds 5 --table-plain-seeds "${GPU_CHECK_PLAIN_SEEDS:-5}")
    LARGE=${GPU_CHECK_LARGE:-256}
    LIMITS=(120 330 100 90)
fi
BUDGET_S=570  # the whole script stays under 10 minutes

echo "== gpu_check: device $DEVICE, smoke $SMOKE, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
"$PY" -c 'import sys, platform, torch; print("python", platform.python_version(), "| torch", torch.__version__,
"| cuda", torch.version.cuda, "| available", torch.cuda.is_available())'

DATA_FILE="${DEEPCOMMONS_DATA_DIR:-var/datasets}/mnist1d-seed42-n5000.npz"
if [ ! -f "$DATA_FILE" ]; then
    echo "MISSING: $DATA_FILE (the MNIST-1D cache; make it where mnist1d is installed and carry it along)"
    exit 2
fi
echo "dataset cache: $DATA_FILE ($(wc -c <"$DATA_FILE") bytes)"

STATUS=0
stage() {  # stage NAME LIMIT_S ARGS...: one benchmarks/seed_sweep.py call, its report in $WORK/NAME.json
    local name=$1 limit=$2
    shift 2
    local left=$((BUDGET_S - SECONDS))
    if [ "$left" -lt 30 ]; then
        echo "== $name: skipped, ${left} s left of the ${BUDGET_S} s budget"
        return
    fi
    [ "$limit" -gt "$left" ] && limit=$left
    echo "== $name (limit ${limit} s): seed_sweep.py $*"
    local t0=$SECONDS
    timeout --kill-after=10 "$limit" "$PY" benchmarks/seed_sweep.py --device "$DEVICE" --forbid-imports \
        --json "$WORK/$name.json" "$@"
    local rc=$?
    echo "== $name: exit $rc after $((SECONDS - t0)) s"
    [ "$rc" -ne 0 ] && STATUS=1
}

stage verify "${LIMITS[0]}" --verify
stage table "${LIMITS[1]}" --table "${TABLE[@]}" "${STEPS[@]}"
stage large "${LIMITS[2]}" --large "$LARGE" "${STEPS[@]}"
stage large_grouped "${LIMITS[3]}" --large "$LARGE" --conv grouped "${STEPS[@]}"

# One summary of whatever stages finished.
"$PY" - "$WORK" "${OUT_DIR:-}" <<'EOF'
import json, sys
from pathlib import Path

sys.path.insert(0, "benchmarks")
from seed_sweep import write_markdown  # noqa: E402

work, out = Path(sys.argv[1]), sys.argv[2]
report = {}
for name in ("verify", "table", "large", "large_grouped"):
    path = work / f"{name}.json"
    if path.exists():
        part = json.loads(path.read_text())
        for key, value in part.items():
            if isinstance(value, list) and isinstance(report.get(key), list):
                report[key] = report[key] + value
            else:
                report[key] = value
report.setdefault("device", "?")
md = work / "summary.md"
write_markdown(md, report)
print(md.read_text())
for module in ("django", "mnist1d", "sklearn"):
    assert module not in sys.modules, module
if out:
    Path(out, "summary.json").write_text(json.dumps(report, indent=2))
    Path(out, "summary.md").write_text(md.read_text())
EOF
echo "== gpu_check done in ${SECONDS} s, status $STATUS"
exit $STATUS
