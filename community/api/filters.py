"""`?search=` for the list endpoints, next to the portal's FilterSets (community.filters), which the
API reuses as they are through django-filter's DRF backend (`q`, the facets and `ordering`).

`search` looks in the same fields as the portal's `q` (the FilterSet's `search_fields`), through
community.search: on PostgreSQL, for the big kinds, full-text over their GIN index (`websearch`
syntax: quoted phrases, `-word`, `or`; plain words also match as word prefixes, so "atten" finds
"attention" and stemming finds "transformers" for "transformer"), best-ranked first unless an
explicit `ordering` is given; elsewhere a case-insensitive substring match.
"""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from common.api.fields import NO_NUL
from community.filters import SEARCH_MAX_LENGTH
from community.search import text_search

SEARCH_PARAM = "search"


class FullTextSearchFilter(BaseFilterBackend):
    """Applies `?search=` over `view.filterset_class.search_fields`."""

    field = forms.CharField(required=False, max_length=SEARCH_MAX_LENGTH, strip=True)

    def get_search_fields(self, view) -> tuple[str, ...]:
        filterset_class = getattr(view, "filterset_class", None)
        return tuple(getattr(filterset_class, "search_fields", ()) or getattr(view, "search_fields", ()))

    def filter_queryset(self, request, queryset, view):
        fields = self.get_search_fields(view)
        raw = request.query_params.get(SEARCH_PARAM, "")
        if not fields or not raw:
            return queryset
        try:
            # The form field refuses what the database cannot take (NUL characters) and overlong text.
            text = self.field.clean(raw)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({SEARCH_PARAM: exc.messages}) from exc
        if not text:
            return queryset
        return text_search(queryset, fields, text, by_rank=not request.query_params.get("ordering"))

    def get_schema_operation_parameters(self, view):
        if not self.get_search_fields(view):
            return []
        fields = ", ".join(self.get_search_fields(view))
        return [
            {
                "name": SEARCH_PARAM,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "Full-text search (PostgreSQL; websearch syntax, best matches first unless "
                        "`ordering` is given) or a case-insensitive substring match, over: %(fields)s."
                    )
                    % {"fields": fields}
                ),
                "schema": {"type": "string", "maxLength": SEARCH_MAX_LENGTH, "pattern": NO_NUL},
            }
        ]
