"""Reads of community channels."""

from django.db.models import QuerySet

from community.models import Channel

from ._common import published_topics


def channel_list() -> QuerySet[Channel]:
    return Channel.objects.published().prefetch_related(published_topics()).order_by("name", "pk")


def channel_detail() -> QuerySet[Channel]:
    return Channel.objects.published().prefetch_related(published_topics())
