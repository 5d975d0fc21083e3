"""How many seeds one batched sweep task should train: torch-free, so the web side can split a sweep.

``max_seeds_per_task(network, device, memory_bytes)`` is the number of seeds the Django side should
put in one ``run_sweep`` call (one task). On a GPU it is what fits the device's memory, capped at
``MAX_SEEDS_PER_TASK``; on a CPU it is ``CPU_MAX_SEEDS``, where the speed-up stops growing.

Memory per seed, at the default protocols (batch 100; evaluations in slices of 1000 rows, which is
where the peak is). Estimated from the tensor shapes of the stacked implementations, float32, then
doubled for allocator slack; the CPU measurement (RSS growth over the process's baseline, divided by
N; benchmarks/seed_sweep.py) is 12-25 MiB per CNN seed for 8-32 seeds, which includes the allocator's
caching. benchmarks/gpu_check.sh prints the measured torch.cuda.max_memory_allocated() / N per network:
replace these figures with those once measured on the GPU the workers use.

    network  activations at an evaluation (1000 rows)       estimate  budget here
    linear   1000 x 1                                         < 0.1 MB  1 MiB
    logreg   1000 x 10                                        < 0.1 MB  1 MiB
    mlp      1000 x 100, 3 layers                               1.2 MB  4 MiB
    cnn1d    1000 x 19 x 25, im2col 1000 x 10 x 75, ...         6 MB    16 MiB
    gru      1000 x 40 x 12 outputs (+ its permuted copy)       4 MB    12 MiB
    lstm     as the GRU, 4 gates                                5 MB    16 MiB
    cnn2d    1000 x 16 x 8 x 8 and 1000 x 32 x 8 x 8           12 MB    32 MiB

The recurrent networks are stacked as one wide RNN with block-diagonal weights of (N * H)^2 entries
per gate and direction, so they also need 2 directions x G gates x (N * H)^2 floats x 4 copies (weight,
gradient, the RNN's flat copy and its gradient) in all: 32 * G * H^2 * N bytes per seed, 0.9 MB per
GRU seed at N = 256. Their compute grows as N^2 for the same reason; at 256 seeds the paper's GRU
(H = 6) is still only 1536 wide.
"""

from __future__ import annotations

import math

MIB = 2**20
GIB = 2**30

MAX_SEEDS_PER_TASK = 256  # the largest batch measured (issue 6); a task this size takes tens of seconds
CPU_MAX_SEEDS = 16  # one CPU thread: 8 CNN seeds 1.7x faster than plain, 16 and 32 seeds no better
RESERVED_BYTES = 2 * GIB  # CUDA context, cuBLAS/cuDNN workspaces, the dataset: not per seed
USABLE_FRACTION = 0.8  # leave room for fragmentation and whatever else shares the device

PER_SEED_BYTES: dict[str, int] = {
    "linear": 1 * MIB,
    "logreg": 1 * MIB,
    "mlp": 4 * MIB,
    "cnn1d": 16 * MIB,
    "gru": 12 * MIB,
    "lstm": 16 * MIB,
    "cnn2d": 32 * MIB,
}
DEFAULT_PER_SEED_BYTES = 32 * MIB  # a network not listed above: the largest budget
_RECURRENT_GATES = {"gru": 3, "lstm": 4}
_RECURRENT_HIDDEN = 6  # the paper's GRU; a wider one is rare enough to accept a rougher estimate


def seed_bytes(network: str, n_seeds: int) -> int:
    """Estimated device memory per seed of ``network`` when ``n_seeds`` are trained together."""
    per_seed = PER_SEED_BYTES.get(network, DEFAULT_PER_SEED_BYTES)
    gates = _RECURRENT_GATES.get(network)
    if gates is not None:
        per_seed += 32 * gates * _RECURRENT_HIDDEN**2 * n_seeds  # the block-diagonal weights
    return per_seed


def max_seeds_per_task(network: str, device: str = "cuda", memory_bytes: int | None = None) -> int:
    """How many seeds of ``network`` one sweep task should train together on ``device``.

    ``device`` is "cpu", "cuda" or "cuda:N" ("auto" counts as cuda: size for the GPU when there may
    be one). ``memory_bytes`` is the device's memory (e.g. 141 * 2**30 for an H200); None means
    "large enough", i.e. the cap. Always at least 1.
    """
    if device == "cpu" or device.startswith("cpu:"):
        return CPU_MAX_SEEDS
    if memory_bytes is None:
        return MAX_SEEDS_PER_TASK
    usable = memory_bytes * USABLE_FRACTION - RESERVED_BYTES
    n = MAX_SEEDS_PER_TASK
    while n > 1 and n * seed_bytes(network, n) > usable:
        n = max(1, min(n - 1, math.floor(usable / seed_bytes(network, n))))
    return n
