"""Funding pages."""

from django.utils.translation import gettext_lazy as _

from community.filters import FundingFilter
from community.selectors.funding import funding_detail, funding_list

from .base import CatalogueDetailView, CatalogueListView


class FundingListView(CatalogueListView):
    filterset_class = FundingFilter
    selector = staticmethod(funding_list)
    template_name = "community/funding_list.html"
    section = "funding"
    title = _("Funding")


class FundingDetailView(CatalogueDetailView):
    selector = staticmethod(funding_detail)
    template_name = "community/funding_detail.html"
    context_object_name = "funding"
    section = "funding"
