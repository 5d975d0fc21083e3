"""Paper pages."""

from django.utils.translation import gettext_lazy as _

from community.selectors import papers

from .base import kind_pages

PaperList, PaperDetailView = kind_pages("paper", papers, title=_("Papers"))


class PaperListView(PaperList):
    def get_queryset(self):
        # Only the columns a row shows: the abstract is most of a paper's row and no row shows it.
        return super().get_queryset().defer("abstract")
