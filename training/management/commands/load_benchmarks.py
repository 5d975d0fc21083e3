from django.core.management.base import BaseCommand

from training.services.benchmarks import benchmarks_load


class Command(BaseCommand):
    help = "Create or update the reference benchmarks (run after load_seed_data so papers can be linked)."

    def handle(self, *args, **options):
        counts = benchmarks_load()
        self.stdout.write("benchmarks: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
