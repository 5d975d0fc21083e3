"""Reads of knowledge-base guides."""

from django.db.models import Prefetch, QuerySet

from community.models import Channel, Guide, Organization, Paper, Project, Venue

from ._common import published_topics


def guide_list() -> QuerySet[Guide]:
    """Published guides in reading order (`order`, then title)."""
    # The body is not shown on the list; deferring it (in every language) keeps long articles out of
    # the page query.
    return (
        Guide.objects.published()
        .defer("body")
        .prefetch_related(published_topics())
        .order_by("order", "title", "pk")
    )


def guide_detail() -> QuerySet[Guide]:
    """Published guides with the published papers, projects, venues, organisations, channels and
    topics they link. The page adds the leaderboard of `benchmark` (training.selectors.benchmark_board)."""
    return Guide.objects.published().prefetch_related(
        published_topics(),
        Prefetch("papers", queryset=Paper.objects.published().order_by("year", "title", "pk")),
        Prefetch("projects", queryset=Project.objects.published().order_by("name", "pk")),
        Prefetch("venues", queryset=Venue.objects.published().order_by("name", "pk")),
        Prefetch("organizations", queryset=Organization.objects.published().order_by("name", "pk")),
        Prefetch("channels", queryset=Channel.objects.published().order_by("name", "pk")),
    )


def guide_latest(*, limit: int) -> QuerySet[Guide]:
    return Guide.objects.published().defer("body").order_by("-updated_at", "-pk")[:limit]
