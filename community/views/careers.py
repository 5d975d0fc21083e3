"""Job pages."""

from django.utils.translation import gettext_lazy as _

from community.filters import JobFilter
from community.selectors.careers import job_detail, job_list

from .base import CatalogueDetailView, CatalogueListView


class JobListView(CatalogueListView):
    filterset_class = JobFilter
    selector = staticmethod(job_list)
    template_name = "community/job_list.html"
    section = "jobs"
    title = _("Jobs")


class JobDetailView(CatalogueDetailView):
    selector = staticmethod(job_detail)
    template_name = "community/job_detail.html"
    context_object_name = "job"
    section = "jobs"
