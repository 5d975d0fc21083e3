"""Pages for people and organisations."""

from django.utils.translation import gettext_lazy as _

from community.filters import OrganizationFilter, PersonFilter
from community.selectors.people import organization_detail, organization_list, person_detail, person_list

from .base import CatalogueDetailView, CatalogueListView


class OrganizationListView(CatalogueListView):
    filterset_class = OrganizationFilter
    selector = staticmethod(organization_list)
    template_name = "community/organization_list.html"
    section = "organizations"
    title = _("Organisations")


class OrganizationDetailView(CatalogueDetailView):
    selector = staticmethod(organization_detail)
    template_name = "community/organization_detail.html"
    context_object_name = "organization"
    section = "organizations"


class PersonListView(CatalogueListView):
    filterset_class = PersonFilter
    selector = staticmethod(person_list)
    template_name = "community/person_list.html"
    section = "people"
    title = _("People")


class PersonDetailView(CatalogueDetailView):
    selector = staticmethod(person_detail)
    template_name = "community/person_detail.html"
    context_object_name = "person"
    section = "people"
