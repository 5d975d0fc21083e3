"""Celery tasks of the catalogue. They take ids (or nothing), call one service, and are safe to run twice."""

from celery import shared_task

from community.services import similar


@shared_task(name="community.similar_papers_refresh", ignore_result=True)
def similar_papers_refresh() -> int:
    """Recompute every published paper's similar papers (queue `default`); returns the number of links."""
    return similar.similar_papers_refresh().links
