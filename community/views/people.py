"""Pages for people and organisations."""

from django.utils.translation import gettext_lazy as _

from community.selectors import people

from .base import kind_pages

OrganizationListView, OrganizationDetailView = kind_pages("organization", people, title=_("Organisations"))
PersonListView, PersonDetailView = kind_pages("person", people, title=_("People"))
