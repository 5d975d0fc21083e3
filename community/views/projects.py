"""Open-source project pages."""

from django.utils.translation import gettext_lazy as _

from community.filters import ProjectFilter
from community.selectors.projects import project_detail, project_list

from .base import CatalogueDetailView, CatalogueListView


class ProjectListView(CatalogueListView):
    filterset_class = ProjectFilter
    selector = staticmethod(project_list)
    template_name = "community/project_list.html"
    section = "projects"
    title = _("Projects")


class ProjectDetailView(CatalogueDetailView):
    selector = staticmethod(project_detail)
    template_name = "community/project_detail.html"
    context_object_name = "project"
    section = "projects"
