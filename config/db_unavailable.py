"""A clear 503, not a 500, while the database cannot be reached.

When PostgreSQL is down (or the network to it), every page fails with django.db.OperationalError.
Without this the visitor gets the generic 500 page and the logs a traceback per request; with it the
visitor reads that the site is temporarily unavailable and nothing is lost, and the API answers its
usual error shape with code `service_unavailable`. Both carry `Retry-After`. Nothing here touches the
database, and the connection heals by itself: CONN_HEALTH_CHECKS makes the next request reconnect.

/readyz reports the outage to the load balancer on its own (config/health.py); /healthz stays 200 so
the process manager does not restart web processes that are fine.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_S = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # One line, not a traceback per request: the cause is outside this process.
        logger.error("database unavailable: %s: %s", type(exception).__name__, str(exception).strip()[:300])
        if request.path.startswith("/api/"):
            message = _("The service is temporarily unavailable; please try again in a minute.")
            body = {"error": {"code": "service_unavailable", "message": message, "fields": {}}}
            response = JsonResponse(body, status=503)
        else:
            # Without the request: no context processor runs, so nothing can reach for the database.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        response["Cache-Control"] = "no-store"
        return response
