"""Open-source project pages."""

from django.utils.translation import gettext_lazy as _

from community.selectors import projects

from .base import kind_pages

ProjectListView, ProjectDetailView = kind_pages("project", projects, title=_("Projects"))
