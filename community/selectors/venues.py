"""Reads of venues, their editions and deadlines."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from community.models import AcceptanceRate, Deadline, Edition, Guide, Paper, Venue

from ._common import RELATED_LIMIT, item_sources, published_topics


def venue_list() -> QuerySet[Venue]:
    return Venue.objects.published().prefetch_related(published_topics()).order_by("name", "pk")


def venue_detail() -> QuerySet[Venue]:
    """Published venues with their published editions (each with its deadlines), the deadlines that
    belong to no edition (a journal's special issues), their newest papers, topics and guides."""
    return Venue.objects.published().prefetch_related(
        published_topics(),
        Prefetch(
            "editions",
            queryset=Edition.objects.published()
            .order_by("-year")
            .prefetch_related(
                Prefetch(
                    "deadlines",
                    queryset=Deadline.objects.order_by("due_at", "pk").prefetch_related(item_sources()),
                )
            ),
        ),
        Prefetch(
            "deadlines",
            queryset=Deadline.objects.filter(edition__isnull=True)
            .order_by("due_at", "pk")
            .prefetch_related(item_sources()),
            to_attr="venue_deadlines",
        ),
        Prefetch(
            "papers",
            queryset=Paper.objects.published()
            .select_related("edition")
            .order_by("-year", "title", "pk")[:RELATED_LIMIT],
            to_attr="recent_papers",
        ),
        Prefetch("guides", queryset=Guide.objects.published().order_by("title")),
        Prefetch("acceptance_rates", queryset=AcceptanceRate.objects.order_by("year")),
    )


def deadline_upcoming(*, now: datetime) -> QuerySet[Deadline]:
    """Deadlines at or after `now` whose venue (and edition) are published, soonest first."""
    return (
        Deadline.objects.public()
        .filter(due_at__gte=now)
        .select_related("venue", "edition")
        .order_by("due_at", "pk")
    )
