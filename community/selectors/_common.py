"""Prefetch building blocks shared by the selector modules."""

from django.db.models import Prefetch

from community.models import Authorship, ModerationStatus, Provenance, Topic

# How many related items a detail page lists before it links to the filtered list page instead.
RELATED_LIMIT = 50

PUBLISHED = ModerationStatus.PUBLISHED


def published_topics(lookup: str = "topics") -> Prefetch:
    return Prefetch(lookup, queryset=Topic.objects.published().order_by("name"))


def ordered_authorships(lookup: str = "authorships", *, with_affiliation: bool = False) -> Prefetch:
    """Authorships in author-list order with their person, skipping people not (yet) published."""
    related = ("person", "person__affiliation") if with_affiliation else ("person",)
    queryset = (
        Authorship.objects.filter(person__status=PUBLISHED).select_related(*related).order_by("position")
    )
    return Prefetch(lookup, queryset=queryset)


def item_sources(lookup: str = "provenance") -> Prefetch:
    """Which outside source(s) gave an item (`item.sources`: Provenance rows), shown beside its
    imported text and in the API; community.sources says what each source is called and its language."""
    return Prefetch(lookup, queryset=Provenance.objects.order_by("source", "file"), to_attr="sources")
