"""Reads of people and organisations."""

from django.db.models import Prefetch, QuerySet

from community.models import FundingOpportunity, Guide, JobPosting, Organization, Paper, Person, Project

from ._common import RELATED_LIMIT, published_topics


def person_list() -> QuerySet[Person]:
    return Person.objects.published().select_related("affiliation").order_by("name", "pk")


def person_detail() -> QuerySet[Person]:
    """Published people with their affiliation and their published papers, newest first."""
    return (
        Person.objects.published()
        .select_related("affiliation")
        .prefetch_related(
            Prefetch(
                "papers",
                queryset=Paper.objects.published().select_related("venue").order_by("-year", "title", "pk"),
            )
        )
    )


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.published().prefetch_related(published_topics()).order_by("name", "pk")


def organization_detail() -> QuerySet[Organization]:
    """Published organisations with their people, projects, jobs, funding, topics and guides.

    People and projects are capped at RELATED_LIMIT (a large lab has hundreds); the page links on to
    the filtered list for the rest.
    """
    return Organization.objects.published().prefetch_related(
        published_topics(),
        Prefetch(
            "people",
            queryset=Person.objects.published().order_by("name", "pk")[:RELATED_LIMIT],
            to_attr="listed_people",
        ),
        Prefetch(
            "projects",
            queryset=Project.objects.published().order_by("name", "pk")[:RELATED_LIMIT],
            to_attr="listed_projects",
        ),
        Prefetch(
            "jobs",
            queryset=JobPosting.objects.published().open().order_by("-posted_on", "pk")[:RELATED_LIMIT],
            to_attr="open_jobs",
        ),
        Prefetch(
            "funding",
            queryset=FundingOpportunity.objects.published().order_by("deadline", "pk")[:RELATED_LIMIT],
            to_attr="listed_funding",
        ),
        Prefetch("guides", queryset=Guide.objects.published().order_by("title")),
    )
