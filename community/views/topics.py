"""Topic pages."""

from django.utils.translation import gettext_lazy as _

from community.filters import TopicFilter
from community.selectors.topics import topic_detail, topic_list

from .base import CatalogueDetailView, CatalogueListView


class TopicListView(CatalogueListView):
    filterset_class = TopicFilter
    selector = staticmethod(topic_list)
    template_name = "community/topic_list.html"
    section = "topics"
    title = _("Topics")


class TopicDetailView(CatalogueDetailView):
    selector = staticmethod(topic_detail)
    template_name = "community/topic_detail.html"
    context_object_name = "topic"
    section = "topics"
