"""Reads of funding opportunities."""

from datetime import datetime

from django.db.models import F, QuerySet

from community.models import FundingOpportunity

from ._common import published_topics


def funding_list() -> QuerySet[FundingOpportunity]:
    # Soonest deadline first; calls with no deadline (rolling, or date not announced) after the dated ones.
    return (
        FundingOpportunity.objects.published()
        .select_related("funder")
        .prefetch_related(published_topics())
        .order_by(F("deadline").asc(nulls_last=True), "title", "pk")
    )


def funding_detail() -> QuerySet[FundingOpportunity]:
    return (
        FundingOpportunity.objects.published().select_related("funder").prefetch_related(published_topics())
    )


def funding_open(*, now: datetime, limit: int) -> QuerySet[FundingOpportunity]:
    return (
        FundingOpportunity.objects.published()
        .open(now=now)
        .select_related("funder")
        .order_by(F("deadline").asc(nulls_last=True), "pk")[:limit]
    )
