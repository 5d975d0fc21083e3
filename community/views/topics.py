"""Topic pages: the list, and each topic's hub."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.charts import year_bar_chart
from community.filters import TopicFilter
from community.selectors.topics import topic_detail, topic_hub, topic_list

from .base import CachedArticle, CatalogueDetailView, CatalogueListView


class TopicListView(CatalogueListView):
    filterset_class = TopicFilter
    selector = staticmethod(topic_list)
    template_name = "community/topic_list.html"
    section = "topics"
    title = gettext_lazy("Topics")


class TopicDetailView(CachedArticle, CatalogueDetailView):
    """A topic's hub: everything linked to it, its papers per year and its reference results."""

    template_name = "community/topic_detail.html"
    context_object_name = "topic"
    section = "topics"

    # Sixteen topics at 100,000 papers, each page 10 queries and ~40 ms of rendering: its hub
    # (everything but the reader's own follow and edit links) is a page-cache fragment.
    fragment = "topic"

    def get_queryset(self):
        # With the hub cached, only the topic and its parent (the kicker) are read.
        return topic_list() if self.cached else topic_detail(now=timezone.now())

    def get_context_data(self, **kwargs):
        if self.cached:
            return super().get_context_data(**kwargs)
        hub = topic_hub(topic=self.object)
        chart = year_bar_chart(
            hub.papers_per_year,
            chart_id="papers-per-year",
            title=_("Papers on %(topic)s per year") % {"topic": self.object.name},
        )
        return super().get_context_data(hub=hub, papers_chart=chart, **kwargs)
