"""Reads of the /history/ timeline."""

from django.db.models import Q, QuerySet

from community.models import ModerationStatus, TimelineEvent

PUBLISHED = ModerationStatus.PUBLISHED


def timeline_events() -> QuerySet[TimelineEvent]:
    """The timeline's events, oldest first (same year: curated order), with their paper or project.

    An event whose paper or project is not published (any more) is left out, like any link to an
    unpublished item. One query.
    """
    return (
        TimelineEvent.objects.filter(Q(paper__status=PUBLISHED) | Q(project__status=PUBLISHED))
        .select_related("paper", "project")
        .order_by("year", "position", "pk")
    )
