"""`?search=` for the list endpoints, next to the portal's FilterSets (community.filters), which the
API reuses as they are through django-filter's DRF backend (`q`, the facets and `ordering`).

`search` looks in the same fields as the portal's `q` (the FilterSet's `search_fields`):
- on PostgreSQL, full-text (`websearch` syntax: quoted phrases, `-word`, `or`) OR a substring match,
  so stemming finds "transformers" for "transformer" and a fragment like "atten" still matches;
  without an explicit `ordering`, the best-ranked items come first;
- elsewhere (the embedded SQLite default), the case-insensitive substring match alone.
"""

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from community.filters import SEARCH_MAX_LENGTH

SEARCH_PARAM = "search"


def _substring(fields, text: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return condition


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
        if connection.vendor != "postgresql":
            return queryset.filter(_substring(fields, text))
        query = SearchQuery(text, search_type="websearch")
        queryset = queryset.annotate(
            search_vector=SearchVector(*fields),
            search_rank=SearchRank(F("search_vector"), query),
        ).filter(Q(search_vector=query) | _substring(fields, text))
        if not request.query_params.get("ordering"):
            queryset = queryset.order_by("-search_rank", "pk")
        return queryset

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
                "schema": {"type": "string", "maxLength": SEARCH_MAX_LENGTH},
            }
        ]
