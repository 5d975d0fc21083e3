"""Knowledge-base guide pages."""

from django.utils.translation import gettext_lazy as _

from community.selectors import guides
from training.selectors import benchmark_board

from .base import kind_pages

GuideListView, GuidePage = kind_pages("guide", guides, title=_("Guides"))


class GuideDetailView(GuidePage):
    """A guide, with its reference benchmark's leaderboard and who wrote it."""

    def get_context_data(self, **kwargs):
        # The live leaderboard of the guide's reference benchmark: two queries, none without one. A
        # slug that names no benchmark (not loaded yet) shows nothing rather than failing the page.
        board = benchmark_board(self.object.benchmark) if self.object.benchmark else None
        # Who wrote it and its approved revisions, from the moderation record: one query.
        credits = guides.guide_credits(self.object)
        return super().get_context_data(board=board, credits=credits, **kwargs)
