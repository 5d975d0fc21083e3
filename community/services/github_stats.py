"""Project stats (stars, forks, last activity) refreshed from the GitHub API.

The Celery beat job `community.project_stats_refresh` (queue `default`, every 6 hours) and the
`refresh_project_stats` command call `project_stats_refresh`. Each run takes the published github.com
projects whose stats are oldest (never fetched first), so a run the rate limit cuts short is simply
continued by the next one. Projects hosted elsewhere, or whose URL is not exactly a github.com
repository (see `community.importers.github.repo_from_url`), are left alone.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from community import page_cache
from community.importers.github import (
    FetchFailed,
    GitHubClient,
    RateLimited,
    RepoGone,
    RepoRef,
    repo_from_url,
)
from community.models import Project

logger = logging.getLogger(__name__)

# Unauthenticated, GitHub allows 60 requests an hour; with GITHUB_TOKEN, 5,000. A run stops at the
# rate limit anyway; this bounds a run's length (about a second a request) when the quota is large.
DEFAULT_LIMIT = 200
# So many failures in a row mean GitHub or the network is down, not one repository: stop instead of
# waiting out a timeout for every remaining project.
MAX_FAILURES_IN_A_ROW = 5


@dataclass
class StatsRefreshReport:
    updated: int = 0  # stats stored
    not_found: int = 0  # repository gone or renamed: marked fetched, old numbers kept
    failed: int = 0  # no answer or an unusable one: untouched, retried by the next run
    rate_limited: bool = False  # stopped at the rate limit; the rest wait for the next run
    retry_at: datetime | None = None  # when GitHub accepts requests again (set when rate_limited)

    def summary(self) -> str:
        text = f"{self.updated} updated, {self.not_found} not found, {self.failed} failed"
        if self.rate_limited:
            text += f"; stopped at GitHub's rate limit until {self.retry_at:%Y-%m-%d %H:%M} UTC"
        return text


def stats_candidates(*, limit: int) -> list[tuple[int, RepoRef]]:
    """(project pk, repository) of at most `limit` published github.com projects, stats oldest first."""
    rows = (
        Project.objects.published()
        .filter(repository_url__startswith="https://github.com/")
        .order_by(F("stats_fetched_at").asc(nulls_first=True), "pk")
        .values_list("pk", "repository_url")
    )
    candidates = []
    # Every row is read (two short columns each), so that a URL the strict check refuses, which
    # is never marked fetched, cannot keep the front of the queue from one run to the next.
    for pk, url in rows:
        repo = repo_from_url(url)
        if repo is None:
            logger.info("project %s: %s is not a github.com repository address; skipped", pk, url)
            continue
        candidates.append((pk, repo))
        if len(candidates) >= limit:
            break
    return candidates


def project_stats_refresh(
    *, limit: int = DEFAULT_LIMIT, client: GitHubClient | None = None
) -> StatsRefreshReport:
    """Fetch the stats of up to `limit` projects and store each as soon as it arrives, so an error
    later in the batch loses nothing already fetched."""
    report = StatsRefreshReport()
    own_client = client is None
    client = client or GitHubClient()
    failures_in_a_row = 0
    try:
        for pk, repo in stats_candidates(limit=limit):
            # queryset.update(), not save(): it writes only these columns, so an edit saved while the
            # batch runs is not overwritten with the values read before it, and `updated_at` keeps
            # meaning "edited" rather than "GitHub numbers changed".
            project = Project.objects.filter(pk=pk)
            try:
                stats = client.fetch(repo)
            except RateLimited as exc:
                report.rate_limited, report.retry_at = True, exc.retry_at
                logger.warning("GitHub rate limit reached; stats refresh stopped until %s", exc.retry_at)
                break
            except RepoGone as exc:
                report.not_found += 1
                failures_in_a_row = 0
                # Marked fetched so it waits its turn instead of being asked for on every run.
                project.update(stats_fetched_at=timezone.now())
                logger.warning(
                    "project %s: github.com/%s/%s is gone or moved (%s%s); its repository URL needs a look",
                    pk,
                    repo.owner,
                    repo.name,
                    exc,
                    f" to {exc.location}" if exc.location else "",
                )
                continue
            except FetchFailed as exc:
                report.failed += 1
                failures_in_a_row += 1
                logger.warning(
                    "project %s: stats of github.com/%s/%s not fetched: %s", pk, repo.owner, repo.name, exc
                )
                if failures_in_a_row >= MAX_FAILURES_IN_A_ROW:
                    logger.warning(
                        "%d GitHub requests failed in a row; stats refresh stopped", failures_in_a_row
                    )
                    break
                continue
            failures_in_a_row = 0
            project.update(
                stars=stats.stars,
                forks=stats.forks,
                last_activity_at=stats.pushed_at,
                stats_fetched_at=timezone.now(),
            )
            report.updated += 1
    finally:
        if own_client:
            client.close()
    logger.info("project stats refresh: %s", report.summary())
    if report.updated:
        page_cache.catalogue_changed()  # queryset.update() sends no signals
    return report
