"""Reads of papers."""

from django.db.models import Prefetch, QuerySet

from community.models import Guide, ModerationStatus, Paper, Project, SimilarPaper

from ._common import item_sources, ordered_authorships, published_topics
from .leaderboards import paper_claimed_results, paper_code


def paper_list() -> QuerySet[Paper]:
    """Published papers, newest year first, with venue, edition, authors in order and topics."""
    return (
        Paper.objects.published()
        .select_related("venue", "edition")
        .prefetch_related(ordered_authorships(), published_topics())
        .order_by("-year", "title", "pk")
    )


def paper_detail() -> QuerySet[Paper]:
    """Published papers with everything a paper page links to: authors (and affiliations), venue,
    edition, topics, projects, guides, `sources` (the imports that gave it), and `similar_papers`: the SimilarPaper rows of its published
    neighbours, most similar first (community.services.similar), `listed_results` (the results it
    claims on leaderboards) and `listed_code` (its repositories, official first)."""
    return (
        Paper.objects.published()
        .select_related("venue", "edition")
        .prefetch_related(
            ordered_authorships(with_affiliation=True),
            published_topics(),
            Prefetch("projects", queryset=Project.objects.published().order_by("name")),
            Prefetch("guides", queryset=Guide.objects.published().order_by("title")),
            Prefetch(
                "similar_links",
                queryset=SimilarPaper.objects.filter(similar__status=ModerationStatus.PUBLISHED)
                .select_related("similar")
                .order_by("rank"),
                to_attr="similar_papers",
            ),
            item_sources(),
            paper_claimed_results(),
            paper_code(),
        )
    )


def paper_latest(*, limit: int) -> QuerySet[Paper]:
    """The most recently added published papers (for the home page)."""
    return (
        Paper.objects.published()
        .select_related("venue")
        .prefetch_related(ordered_authorships())
        .order_by("-created_at", "-pk")[:limit]
    )
