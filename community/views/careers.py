"""Job pages."""

from django.utils.translation import gettext_lazy as _

from community.selectors import careers

from .base import kind_pages

JobListView, JobDetailView = kind_pages("job", careers, title=_("Jobs"))
