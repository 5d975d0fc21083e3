"""Paper pages."""

from django.utils.translation import gettext_lazy as _

from community.filters import PaperFilter
from community.selectors.papers import paper_detail, paper_list

from .base import CatalogueDetailView, CatalogueListView


class PaperListView(CatalogueListView):
    filterset_class = PaperFilter
    selector = staticmethod(paper_list)

    def get_queryset(self):
        # Only the columns a row shows: the abstract is most of a paper's row and no row shows it.
        return paper_list().defer("abstract")
    template_name = "community/paper_list.html"
    section = "papers"
    title = _("Papers")


class PaperDetailView(CatalogueDetailView):
    selector = staticmethod(paper_detail)
    template_name = "community/paper_detail.html"
    context_object_name = "paper"
    section = "papers"
