"""Funding pages."""

from django.utils.translation import gettext_lazy as _

from community.selectors import funding

from .base import kind_pages

FundingListView, FundingDetailView = kind_pages("funding", funding, title=_("Funding"))
