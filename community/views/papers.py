"""Paper pages."""

from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community.models import Paper
from community.selectors import papers

from .base import kind_pages

PaperList, PaperDetail = kind_pages("paper", papers, title=_("Papers"))


class PaperListView(PaperList):
    def get_queryset(self):
        # Only the columns a row shows: the abstract is most of a paper's row and no row shows it.
        return super().get_queryset().defer("abstract")


class PaperDetailView(PaperDetail):
    def get_object(self, queryset=None):
        # The paper with only the relations it has rows in prefetched (a third of the mix of
        # benchmarks/load_mix.py is paper pages; each empty relation was a query).
        paper = papers.paper_page(slug=self.kwargs["slug"])
        if paper is None:
            # DetailView's own message (Django's catalogue translates it).
            raise Http404(
                gettext("No %(verbose_name)s found matching the query")
                % {"verbose_name": Paper._meta.verbose_name}
            )
        return paper
