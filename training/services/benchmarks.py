"""Loading the reference benchmarks (idempotent: an unchanged benchmark is not written again)."""

from django.db import transaction

from community.models import Paper
from training.catalogue import BENCHMARKS, MNIST1D_PROTOCOL
from training.models import Benchmark
from training.reference.registry import spec


@transaction.atomic
def benchmarks_load() -> dict[str, int]:
    """Create or update the benchmarks of `training.catalogue`; returns created/updated/unchanged counts."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    papers = {
        p.arxiv_id: p
        for p in Paper.objects.filter(arxiv_id__in={b["paper"] for b in BENCHMARKS if b["paper"]})
    }
    for item in BENCHMARKS:
        config = spec({"network": item["network"], "dataset": item["dataset"]}).to_dict()
        description = item["summary"]
        if item["dataset"] == "mnist1d":
            description = f"{description} {MNIST1D_PROTOCOL}"
        fields = {
            "name": item["name"],
            "description": description,
            "config": config,
            "targets": item["targets"],
            "higher_is_better": item.get("higher_is_better", True),
            "paper": papers.get(item["paper"]) if item["paper"] else None,
            "time_limit_s": item["time_limit_s"],
        }
        benchmark = Benchmark.objects.filter(slug=item["slug"]).first()
        if benchmark is None:
            benchmark = Benchmark(slug=item["slug"], **fields)
            benchmark.full_clean()
            benchmark.save()
            counts["created"] += 1
        elif any(getattr(benchmark, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(benchmark, key, value)
            benchmark.full_clean()
            benchmark.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
