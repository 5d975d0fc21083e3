"""The site's first start (`make run`, scripts/serve-local.sh): queue the quick reference benchmarks so
that /results/ and the MNIST-1D paper page show claimed beside reproduced soon after a newcomer starts
the site, instead of "No sweep of this benchmark has been published yet" everywhere (issue 14, item 3).

The sweeps go through `sweep_start` like any other (on the `cpu` queue, which the local worker of
`make run` consumes; the web server does not wait for them) and carry Sweep.Origin.FIRST_START, so
`sweep_state.sweep_refresh` publishes each one when it finishes and the leaderboard says who did. A
SetupStep row is the marker that it was done: later starts, and two starts at once, queue nothing."""

from django.db import IntegrityError, transaction

from training.catalogue import FIRST_START_BENCHMARKS
from training.models import Benchmark, Device, SetupStep, Sweep

from .sweeps import sweep_start

FIRST_START_STEP = "first-start-reference-sweeps"
FIRST_START_SEEDS = 5


def first_start_queue(*, seeds: int = FIRST_START_SEEDS) -> list[Sweep]:
    """Queue FIRST_START_BENCHMARKS (those loaded), `seeds` seeds each on the CPU, once per database.

    Returns the sweeps queued: none when an earlier start did it. The runs are handed to the workers
    when the transaction commits (sweep_start), together with the marker."""
    try:
        with transaction.atomic():
            _, created = SetupStep.objects.get_or_create(name=FIRST_START_STEP)
            if not created:
                return []
            benchmarks = {b.slug: b for b in Benchmark.objects.filter(slug__in=FIRST_START_BENCHMARKS)}
            return [
                sweep_start(
                    benchmark=benchmarks[slug],
                    seeds=seeds,
                    device=Device.CPU,
                    origin=Sweep.Origin.FIRST_START,
                )
                for slug in FIRST_START_BENCHMARKS
                if slug in benchmarks
            ]
    except IntegrityError:  # another start made the marker at the same moment: it queues them
        return []
