"""Starting a sweep at most once per client request: the API's `Idempotency-Key`.

A client that lost the answer to a start (a timeout, a dropped connection, a 5xx) sends the request
again with the same key and gets the sweep the first one created, instead of a second sweep whose
runs would be trained twice. The key is stored on the sweep, unique per creator (a database
constraint), so two copies of the request arriving together still make one sweep.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from training.models import Benchmark, Device, Sweep

from .sweeps import sweep_start


class IdempotencyKeyReused(ValidationError):
    """The key already started a sweep with other parameters (the client reused a key by mistake)."""

    def __init__(self, sweep: Sweep):
        super().__init__(
            gettext(
                "This Idempotency-Key already started sweep #%(id)s with a different benchmark, seeds or "
                "device. Send a new key for a new sweep, or the same request to get that sweep again."
            )
            % {"id": sweep.pk},
            code="idempotency_key_reused",
        )
        self.sweep = sweep


def _seed_list(seeds: int | list[int]) -> list[int]:
    return list(range(seeds)) if isinstance(seeds, int) else list(seeds)


def _same_request(sweep: Sweep, *, benchmark: Benchmark, seeds: list[int], device: str) -> bool:
    return sweep.benchmark_id == benchmark.pk and list(sweep.seeds) == seeds and sweep.device == device


def sweep_start_once(
    *, key: str, user, benchmark: Benchmark, seeds: int | list[int], device: str = Device.AUTO
) -> tuple[Sweep, bool]:
    """sweep_start, unless `user` already started a sweep with `key`: then that sweep, not a new one.

    Returns (sweep, created). The same key with other parameters raises IdempotencyKeyReused; the
    parameters compared are the effective ones (`seed_count: 3` is the same request as `seeds: [0, 1, 2]`).
    """
    seed_list = _seed_list(seeds)

    def replay(sweep: Sweep) -> tuple[Sweep, bool]:
        if not _same_request(sweep, benchmark=benchmark, seeds=seed_list, device=device):
            raise IdempotencyKeyReused(sweep)
        return sweep, False

    earlier = Sweep.objects.filter(created_by=user, idempotency_key=key).first()
    if earlier is not None:
        return replay(earlier)
    try:
        # A savepoint: if a copy of this request committed the key meanwhile, this sweep, its runs
        # and their enqueue (an on_commit callback of the savepoint) are all rolled back.
        with transaction.atomic():
            sweep = sweep_start(benchmark=benchmark, seeds=seed_list, device=device, user=user)
            Sweep.objects.filter(pk=sweep.pk).update(idempotency_key=key)
    except IntegrityError:
        return replay(Sweep.objects.get(created_by=user, idempotency_key=key))
    sweep.idempotency_key = key
    return sweep, True
