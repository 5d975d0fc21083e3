"""Reads of open-source projects."""

from django.db.models import Prefetch, QuerySet

from community.models import Guide, Paper, Project

from ._common import ordered_authorships, published_topics


def project_list() -> QuerySet[Project]:
    return (
        Project.objects.published()
        .select_related("organization")
        .prefetch_related(published_topics())
        .order_by("name", "pk")
    )


def project_detail() -> QuerySet[Project]:
    """Published projects with their organisation, papers (with authors), topics and guides."""
    return (
        Project.objects.published()
        .select_related("organization")
        .prefetch_related(
            published_topics(),
            Prefetch(
                "papers",
                queryset=Paper.objects.published()
                .select_related("venue")
                .prefetch_related(ordered_authorships())
                .order_by("-year", "title", "pk"),
            ),
            Prefetch("guides", queryset=Guide.objects.published().order_by("title")),
        )
    )


def project_latest(*, limit: int) -> QuerySet[Project]:
    return Project.objects.published().order_by("-created_at", "-pk")[:limit]
