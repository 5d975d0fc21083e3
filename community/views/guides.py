"""Knowledge-base guide pages."""

from django.utils.translation import gettext_lazy as _

from community.filters import GuideFilter
from community.selectors.guides import guide_credits, guide_detail, guide_list
from training.selectors import benchmark_board

from .base import CatalogueDetailView, CatalogueListView


class GuideListView(CatalogueListView):
    filterset_class = GuideFilter
    selector = staticmethod(guide_list)
    template_name = "community/guide_list.html"
    section = "guides"
    title = _("Guides")


class GuideDetailView(CatalogueDetailView):
    selector = staticmethod(guide_detail)
    template_name = "community/guide_detail.html"
    context_object_name = "guide"
    section = "guides"

    def get_context_data(self, **kwargs):
        # The live leaderboard of the guide's reference benchmark: two queries, none without one. A
        # slug that names no benchmark (not loaded yet) shows nothing rather than failing the page.
        board = benchmark_board(self.object.benchmark) if self.object.benchmark else None
        # Who wrote it and its approved revisions, from the moderation record: one query.
        credits = guide_credits(self.object)
        return super().get_context_data(board=board, credits=credits, **kwargs)
