"""Reads of the topic taxonomy, and the hub page of a topic."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from community.models import (
    Channel,
    Deadline,
    FundingOpportunity,
    Guide,
    JobPosting,
    ModerationStatus,
    Paper,
    Project,
    Topic,
    Venue,
)
from training.selectors import Board, leaderboards_for_topic

from ._common import RELATED_LIMIT


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.published().select_related("parent").order_by("name", "pk")


def topic_all() -> QuerySet[Topic]:
    """Every published topic by name, without joins (the home page's topic list)."""
    return Topic.objects.published().order_by("name", "pk")


def topic_detail(*, now: datetime | None = None) -> QuerySet[Topic]:
    """Published topics with their parent, child topics and the published items of every kind that
    link to them, each list capped at RELATED_LIMIT (the page links to the filtered lists):

    - papers, newest first;
    - projects, the most-linked first: `paper_count` is the number of published papers that link the
      project (any topic), so the tools the field builds on come before the rest;
    - venues, those with an open deadline first, soonest first: `next_deadline` is the earliest
      deadline at or after `now` (None when none is open);
    - open jobs, funding, channels and guides.

    Nine queries for a topic that exists; `topic_hub` adds the chart's and the results' three.
    """

    def capped(lookup, queryset):
        return Prefetch(lookup, queryset=queryset[:RELATED_LIMIT], to_attr=f"listed_{lookup}")

    now = now or timezone.now()
    next_deadline = (
        Deadline.objects.public()
        .filter(venue=OuterRef("pk"), due_at__gte=now)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return (
        Topic.objects.published()
        .select_related("parent")
        .prefetch_related(
            Prefetch("children", queryset=Topic.objects.published().order_by("name", "pk")),
            capped(
                "papers", Paper.objects.published().select_related("venue").order_by("-year", "title", "pk")
            ),
            capped(
                "projects",
                Project.objects.published()
                .annotate(
                    paper_count=Count(
                        "papers", filter=Q(papers__status=ModerationStatus.PUBLISHED), distinct=True
                    )
                )
                .order_by("-paper_count", "name", "pk"),
            ),
            capped(
                "venues",
                Venue.objects.published()
                .annotate(next_deadline=Subquery(next_deadline))
                .order_by(F("next_deadline").asc(nulls_last=True), "name", "pk"),
            ),
            capped(
                "jobs",
                JobPosting.objects.published()
                .open()
                .select_related("organization")
                .order_by("-posted_on", "pk"),
            ),
            capped(
                "funding",
                FundingOpportunity.objects.published()
                .select_related("funder")
                .order_by(F("deadline").asc(nulls_last=True), "pk"),
            ),
            capped("channels", Channel.objects.published().order_by("name", "pk")),
            capped("guides", Guide.objects.published().defer("body").order_by("order", "title", "pk")),
        )
    )


@dataclass(frozen=True)
class TopicHub:
    """What a topic page shows beyond the items linked to the topic."""

    # (year, number of published papers with the topic), oldest first; years without papers left out.
    papers_per_year: list[tuple[int, int]] = field(default_factory=list)
    # Reference results: the benchmarks whose paper has the topic, with their leaderboards.
    boards: list[Board] = field(default_factory=list)


def topic_hub(*, topic: Topic) -> TopicHub:
    """Papers per year and reference results of `topic`. Three queries (two without benchmarks)."""
    per_year = (
        Paper.objects.published()
        .filter(topics=topic)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return TopicHub(
        papers_per_year=[(row["year"], row["n"]) for row in per_year],
        boards=leaderboards_for_topic(topic.pk),
    )
