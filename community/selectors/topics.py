"""Reads of the topic taxonomy."""

from django.db.models import F, Prefetch, QuerySet

from community.models import (
    Channel,
    FundingOpportunity,
    Guide,
    JobPosting,
    Paper,
    Project,
    Topic,
    Venue,
)

from ._common import RELATED_LIMIT


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.published().select_related("parent").order_by("name", "pk")


def topic_all() -> QuerySet[Topic]:
    """Every published topic by name, without joins (the home page's topic list)."""
    return Topic.objects.published().order_by("name", "pk")


def topic_detail() -> QuerySet[Topic]:
    """Published topics with their parent, child topics and the newest published items of every kind
    that link to them (each capped at RELATED_LIMIT; the page links to the filtered lists)."""

    def capped(lookup, queryset):
        return Prefetch(lookup, queryset=queryset[:RELATED_LIMIT], to_attr=f"listed_{lookup}")

    return (
        Topic.objects.published()
        .select_related("parent")
        .prefetch_related(
            Prefetch("children", queryset=Topic.objects.published().order_by("name", "pk")),
            capped(
                "papers", Paper.objects.published().select_related("venue").order_by("-year", "title", "pk")
            ),
            capped("projects", Project.objects.published().order_by("name", "pk")),
            capped("venues", Venue.objects.published().order_by("name", "pk")),
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
            capped("guides", Guide.objects.published().defer("body").order_by("title", "pk")),
        )
    )
