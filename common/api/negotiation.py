"""Content negotiation that answers an unknown `?format=` with a 400 in the API's error shape.

DRF's DefaultContentNegotiation raises Http404 when no renderer has the requested format, so
`POST /api/v1/papers/?format=AAA` answered "not found" for an endpoint that exists. The schema lists
each operation's formats (common.api.schema), and anything else is the client's mistake: 400
`unsupported_format`, naming the formats the operation has.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.negotiation import DefaultContentNegotiation


class UnsupportedFormat(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "unsupported_format"


class ApiContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(sorted({renderer.format for renderer in renderers if renderer.format}))
            raise UnsupportedFormat(
                _("The format “%(format)s” is not available here; use one of: %(known)s.")
                % {"format": format[:50], "known": known}
            )
        return chosen
