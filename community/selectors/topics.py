"""Reads of the topic taxonomy, and the hub page of a topic."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from community.models import (
    Channel,
    Deadline,
    FundingOpportunity,
    Guide,
    JobPosting,
    Paper,
    Project,
    Topic,
    Venue,
)
from training.selectors import Board, leaderboards_for_topic

from ._common import LINK_COLUMNS, RELATED_LIMIT


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.published().select_related("parent").order_by("name", "pk")


def topic_all() -> QuerySet[Topic]:
    """Every published topic by name, without joins (the home page's topic list)."""
    return Topic.objects.published().order_by("name", "pk")


def topic_detail(*, now: datetime | None = None) -> QuerySet[Topic]:
    """Published topics with their parent, child topics and the published items of every kind that
    link to them, each list capped at RELATED_LIMIT (the page links to the filtered lists):

    - venues, those with an open deadline first, soonest first: `next_deadline` is the earliest
      deadline at or after `now` (None when none is open);
    - open jobs, funding, channels and guides.

    Seven queries for a topic that exists; `topic_hub` adds the papers, the projects and the
    results (four). Papers and projects are not prefetched here: a capped prefetch numbers every
    linked row with a window function (all 12,000 papers of a topic at 100,000 papers), where one
    topic's query reads the first fifty from the index.
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
        # Of each related item, the columns its line on the page shows (community/related/*.html,
        # partials/related_list.html): the descriptions in each language, bodies and dates of fifty
        # jobs and fifty funding calls were most of the page's rows.
        .prefetch_related(
            Prefetch(
                # `parent`: how the prefetch files each child under its topic.
                "children",
                queryset=Topic.objects.published().only("parent", *LINK_COLUMNS).order_by("name", "pk"),
            ),
            capped(
                "venues",
                Venue.objects.published()
                .only(*LINK_COLUMNS)
                .annotate(next_deadline=Subquery(next_deadline))
                .order_by(F("next_deadline").asc(nulls_last=True), "name", "pk"),
            ),
            capped(
                "jobs",
                JobPosting.objects.published()
                .open()
                .select_related("organization")
                .only("slug", "status", "title", "organization", "organization__name")
                .order_by("-posted_on", "pk"),
            ),
            capped(
                "funding",
                FundingOpportunity.objects.published()
                .only("slug", "status", "title")
                .order_by(F("deadline").asc(nulls_last=True), "pk"),
            ),
            capped("channels", Channel.objects.published().only(*LINK_COLUMNS).order_by("name", "pk")),
            capped(
                "guides",
                Guide.objects.published().only("slug", "status", "title").order_by("order", "title", "pk"),
            ),
        )
    )


@dataclass(frozen=True)
class TopicHub:
    """What a topic page shows beyond the items prefetched with the topic."""

    # (year, number of published papers with the topic), oldest first; years without papers left
    # out. Stored on the topic by community.services.catalogue_stats (a periodic job).
    papers_per_year: list[tuple[int, int]] = field(default_factory=list)
    # Reference results: the benchmarks whose paper has the topic, with their leaderboards.
    boards: list[Board] = field(default_factory=list)
    # Its published papers, newest first, and projects, the most-linked first (`paper_count`: the
    # published papers linking the project, any topic, stored by the same job): RELATED_LIMIT each.
    papers: list[Paper] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)


def topic_hub(*, topic: Topic) -> TopicHub:
    """Papers, projects, papers per year and reference results of `topic`. Four queries (three
    without benchmarks); no aggregation over the topic's papers."""
    # Each is a link on the page (its name, a project's count of papers): only those columns. The
    # abstracts and descriptions in each language were most of the fifty rows' bytes.
    papers = (
        Paper.objects.published()
        .filter(topics=topic)
        .only("slug", "status", "title", "year")
        .order_by("-year", "title", "pk")[:RELATED_LIMIT]
    )
    projects = (
        Project.objects.published()
        .filter(topics=topic)
        .only("slug", "status", "name", "paper_count")
        .order_by("-paper_count", "name", "pk")
    )
    return TopicHub(
        papers_per_year=[(year, n) for year, n in topic.papers_per_year],
        boards=leaderboards_for_topic(topic.pk),
        papers=list(papers),
        projects=list(projects[:RELATED_LIMIT]),
    )
