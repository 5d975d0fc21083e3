"""Reads of job postings."""

from django.db.models import QuerySet

from community.models import JobPosting

from ._common import published_topics


def job_list() -> QuerySet[JobPosting]:
    return (
        JobPosting.objects.published()
        .select_related("organization")
        .prefetch_related(published_topics())
        .order_by("-posted_on", "title", "pk")
    )


def job_detail() -> QuerySet[JobPosting]:
    return JobPosting.objects.published().select_related("organization").prefetch_related(published_topics())


def job_open_latest(*, limit: int) -> QuerySet[JobPosting]:
    return (
        JobPosting.objects.published()
        .open()
        .select_related("organization")
        .order_by("-posted_on", "-pk")[:limit]
    )
