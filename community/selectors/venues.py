"""Reads of venues, their editions and deadlines."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from community.models import AcceptanceRate, Deadline, Edition, Guide, Paper, Provenance, Venue

from ._common import RELATED_LIMIT, published_topics


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
                    queryset=Deadline.objects.order_by("due_at", "pk").prefetch_related(_deadline_sources()),
                )
            ),
        ),
        Prefetch(
            "deadlines",
            queryset=Deadline.objects.filter(edition__isnull=True)
            .order_by("due_at", "pk")
            .prefetch_related(_deadline_sources()),
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


def _deadline_sources() -> Prefetch:
    """Which source(s) give each deadline (`deadline.sources`), shown beside it on the page and in the API."""
    return Prefetch("provenance", queryset=Provenance.objects.order_by("source", "file"), to_attr="sources")


def deadline_upcoming(*, now: datetime) -> QuerySet[Deadline]:
    """Deadlines at or after `now` whose venue (and edition) are published, soonest first."""
    return (
        Deadline.objects.public()
        .filter(due_at__gte=now)
        .select_related("venue", "edition")
        .order_by("due_at", "pk")
    )
