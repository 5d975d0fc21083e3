import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks.catalogue.generate import catalogue_generate


class Command(BaseCommand):
    help = (
        "Fill the database with published synthetic items (papers with authors and topics, projects, "
        "people, jobs, funding) for load tests and query plans. Adds to what is there; never use it "
        "on a production database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--papers", type=int, default=200)
        parser.add_argument("--projects", type=int, default=20)
        parser.add_argument("--people", type=int, default=100)
        parser.add_argument("--jobs", type=int, default=10)
        parser.add_argument("--funding", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same catalogue.")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per INSERT.")

    def handle(self, *args, **options) -> None:
        counts = {k: options[k] for k in ("papers", "projects", "people", "jobs", "funding")}
        if any(n < 0 for n in counts.values()) or options["batch_size"] < 1:
            raise CommandError("Counts must be 0 or more and --batch-size at least 1.")
        if counts["papers"] and not counts["people"]:
            self.stderr.write("No --people: papers get authors only from people already in the database.")
        started = time.monotonic()
        verbose = options["verbosity"] >= 2
        report = catalogue_generate(
            **counts,
            seed=options["seed"],
            batch_size=options["batch_size"],
            progress=(lambda message: self.stdout.write(f"  {message}")) if verbose else None,
        )
        if connection.vendor == "postgresql":
            # Fresh statistics (and, outside a transaction, the visibility map that index-only
            # scans such as the list pages' COUNT need), so the planner sees the new size at once.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        made = ", ".join(f"{n} {kind}" for kind, n in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {made} in {time.monotonic() - started:.1f} s."))
