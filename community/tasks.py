"""Celery tasks of the catalogue. They take ids (or nothing), call one service, and are safe to run twice.

The only module of the app that knows Celery: a service that wants work done on a worker sends a
signal (community.services.similar.refresh_requested), which a receiver here turns into a task.
"""

import dataclasses

from celery import shared_task
from django.db import transaction
from django.dispatch import receiver

from community.services import catalogue_stats, deadline_sync, expiry, github_stats, similar
from community.services.imports import pwc_jobs


@shared_task(name="community.similar_papers_refresh", ignore_result=True)
def similar_papers_refresh() -> int:
    """Recompute every published paper's similar papers (queue `default`); returns the number of links."""
    return similar.similar_papers_refresh().links


@shared_task(name="community.close_expired", ignore_result=True)
def close_expired() -> dict:
    """Close expired job postings, funding calls and calls for papers (queue `default`, hourly from
    beat); returns the counts. Safe to run twice: the second run finds nothing left to close."""
    return dataclasses.asdict(expiry.close_expired())


@shared_task(name="community.project_stats_refresh", ignore_result=True)
def project_stats_refresh() -> str:
    """Refresh stars, forks and last activity of the GitHub projects fetched longest ago (queue
    `default`, celery beat every 6 hours); stops at GitHub's rate limit, leaving the rest for the next
    run. Returns the summary line."""
    return github_stats.project_stats_refresh().summary()


@shared_task(name="community.catalogue_stats_refresh", ignore_result=True)
def catalogue_stats_refresh() -> dict:
    """Store each topic's papers per year and each project's linking papers (queue `default`, celery
    beat every CATALOGUE_STATS_SECONDS); returns how many rows changed."""
    return dataclasses.asdict(catalogue_stats.catalogue_stats_refresh())


@shared_task(name="community.deadline_sources_sync", ignore_result=True)
def deadline_sources_sync() -> dict:
    """Fetch the deadline trackers listed in DEADLINE_SOURCES (none by default) with conditional GETs
    and import what changed (queue `default`, celery beat every DEADLINE_SYNC_SECONDS); returns the
    counts and the fields left as moderators edited them. Safe to run twice: the second run is a 304."""
    return deadline_sync.deadline_sources_sync().summary()


@receiver(similar.refresh_requested, dispatch_uid="community.tasks.enqueue_similar_papers_refresh")
def enqueue_similar_papers_refresh(**kwargs) -> None:
    """Enqueue `similar_papers_refresh` once the current transaction commits (see the service)."""
    transaction.on_commit(similar_papers_refresh.delay, robust=True)


@shared_task(name="community.pwc_import_job_run", ignore_result=True)
def pwc_import_job_run(job_id: int) -> str:
    """Import the archive file of an ImportJob started from the admin (queue `default`); returns its
    status. Safe to run twice: only the delivery that moves the job from queued to running imports."""
    job = pwc_jobs.import_job_run(job_id=job_id)
    return job.status if job is not None else "not queued"


@receiver(pwc_jobs.job_requested, dispatch_uid="community.tasks.enqueue_pwc_import_job")
def enqueue_pwc_import_job(*, job_id: int, **kwargs) -> None:
    """Enqueue `pwc_import_job_run` once the job's row is committed."""
    transaction.on_commit(lambda: pwc_import_job_run.delay(job_id), robust=True)
