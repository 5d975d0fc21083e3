"""Page-number pagination: `count`, `next`, `previous`, `results`; `?page_size=` up to 100."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
    # A page past the end (or not a number) is a 404 in the error shape, as DRF answers it.
    invalid_page_message = _("There is no page “{page_number}”: {message}")
