"""Page-number pagination: `count`, `count_capped`, `next`, `previous`, `results`; `?page_size=` up to 100.

The count is capped (common.paging): `count` is exact up to 10,000 (COUNT_CAP) rows, or up to 1,000
for a ranked full-text `search`, which ranks at most that many candidates; beyond that `count` is
the cap and `count_capped` is true, and `next` is given while the page after this one has rows
(pages past the cap are still served). Counting every row of a 100,000-row list on every page
cost more than the page itself.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from common.paging import CappedPaginator


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CappedPaginator
    # A page past the end (or not a number) is a 404 in the error shape, as DRF answers it.
    invalid_page_message = _("There is no page “{page_number}”: {message}")

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": min(paginator.count, paginator.cap),
                "count_capped": paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        properties = described["properties"]
        properties["count"]["description"] = str(
            _(
                "Matching items, exact up to a cap (10,000; 1,000 for a ranked `search`); the cap when there are more."
            )
        )
        capped = {
            "type": "boolean",
            "example": False,
            "description": str(_("True when `count` is the cap and more items match: page on with `next`.")),
        }
        described["properties"] = {"count": properties["count"], "count_capped": capped, **{
            name: value for name, value in properties.items() if name != "count"}}  # fmt: skip
        described["required"] = ["count", "count_capped", "results"]
        return described
