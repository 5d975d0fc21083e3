"""Topic pages: the list, and each topic's hub."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.charts import year_bar_chart
from community.filters import TopicFilter
from community.selectors.topics import topic_detail, topic_hub, topic_list

from .base import CatalogueDetailView, CatalogueListView


class TopicListView(CatalogueListView):
    filterset_class = TopicFilter
    selector = staticmethod(topic_list)
    template_name = "community/topic_list.html"
    section = "topics"
    title = gettext_lazy("Topics")


class TopicDetailView(CatalogueDetailView):
    """A topic's hub: everything linked to it, its papers per year and its reference results."""

    template_name = "community/topic_detail.html"
    context_object_name = "topic"
    section = "topics"

    def get_queryset(self):
        return topic_detail(now=timezone.now())

    def get_context_data(self, **kwargs):
        hub = topic_hub(topic=self.object)
        chart = year_bar_chart(
            hub.papers_per_year,
            chart_id="papers-per-year",
            title=_("Papers on %(topic)s per year") % {"topic": self.object.name},
        )
        return super().get_context_data(hub=hub, papers_chart=chart, **kwargs)
