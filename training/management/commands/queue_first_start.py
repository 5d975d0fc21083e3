from django.core.management.base import BaseCommand

from training.services import FIRST_START_SEEDS, first_start_queue


class Command(BaseCommand):
    help = (
        "On a site's first start, queue the quick reference benchmarks (linear regression, MNIST-1D "
        f"logistic regression and MLP, {FIRST_START_SEEDS} seeds each) on the cpu queue; each sweep is "
        "published when it finishes. Run after load_benchmarks; later runs queue nothing."
    )

    def handle(self, *args, **options):
        sweeps = first_start_queue()
        if not sweeps:
            self.stdout.write("First-start sweeps: queued on an earlier start; nothing to do.")
            return
        self.stdout.write(
            "First-start sweeps queued on the cpu queue (published when each finishes): "
            + ", ".join(f"{s.benchmark.slug} #{s.pk}" for s in sweeps)
        )
