"""Paper pages."""

from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community.models import Paper
from community.selectors import papers

from .base import CachedArticle, kind_pages

PaperList, PaperDetail = kind_pages("paper", papers, title=_("Papers"))


class PaperListView(PaperList):
    # Only the columns a row shows (papers.ROW_COLUMNS), its authors and topics as plain rows; the
    # BibTeX export of the same filters reads everything (papers.paper_list).
    selector = staticmethod(papers.paper_rows)
    rows = staticmethod(papers.with_row_links)


class PaperDetailView(CachedArticle, PaperDetail):
    # A third of the reads are paper pages, and a few papers are most of them: the article
    # (everything but the reader's own edit and report links) is a page-cache fragment.
    fragment = "paper"

    def get_object(self, queryset=None):
        # With the article cached, the paper's row alone; otherwise the paper with only the
        # relations it has rows in prefetched (each empty relation was a query).
        find = papers.paper_head if self.cached else papers.paper_page
        paper = find(slug=self.kwargs["slug"])
        if paper is None:
            # DetailView's own message (Django's catalogue translates it).
            raise Http404(
                gettext("No %(verbose_name)s found matching the query")
                % {"verbose_name": Paper._meta.verbose_name}
            )
        return paper
