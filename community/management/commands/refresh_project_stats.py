from django.core.management.base import BaseCommand

from community.services.github_stats import DEFAULT_LIMIT, project_stats_refresh


class Command(BaseCommand):
    help = (
        "Refresh stars, forks and last activity of published github.com projects from the GitHub API, "
        "those fetched longest ago first; stops at the API's rate limit (set GITHUB_TOKEN for a "
        "higher one). Needs the network. Celery beat runs the same every 6 hours."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=DEFAULT_LIMIT,
            help=f"most projects to fetch (default {DEFAULT_LIMIT})",
        )

    def handle(self, *args, limit: int, **options) -> None:
        report = project_stats_refresh(limit=limit)
        self.stdout.write(report.summary())
        if report.failed:
            # Failures are usually passing network trouble; the projects are retried by the next run.
            self.stdout.write(
                self.style.WARNING("Failed projects are in the log, and retried by the next run.")
            )
