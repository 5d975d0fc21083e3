"""One JSON shape for every API error, whatever raised it.

    {"error": {"code": "not_found", "message": "No paper has this slug.", "fields": {}}}

`code` is a stable machine-readable word (the HTTP status's usual name, or a narrower one such as
`near_duplicate`); `message` is a sentence for a person; `fields` maps an input field to what was
wrong with it (only a 400 fills it). A 409 on a submission adds `existing`: the catalogue items the
submission collides with, so a client can show them or resend with `"confirm": true`.

DRF calls `exception_handler` for exceptions inside API views; `not_found` answers /api/ paths no
view matches, and `server_error` (config.urls.handler500) answers a crash under /api/ in the same
shape instead of the portal's HTML page.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.defaults import server_error as html_server_error
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"

# The code each status gets when the exception carries no narrower one.
STATUS_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
}


class Conflict(exceptions.APIException):
    """409: the submission collides with existing items (`existing`, a list of short references)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("This conflicts with an item that already exists.")

    def __init__(self, detail=None, code=None, existing: list[dict] | None = None):
        super().__init__(detail, code)
        self.existing = existing or []


def error_body(code: str, message: str, fields: dict | None = None, **extra: Any) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **extra}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": [messages]}, nested fields as "authors.0"."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            if detail:
                out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    elif detail not in (None, ""):
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def _first_code(detail: Any) -> str | None:
    if isinstance(detail, dict):
        for value in detail.values():
            if code := _first_code(value):
                return code
    elif isinstance(detail, list):
        for value in detail:
            if code := _first_code(value):
                return code
    return getattr(detail, "code", None)


def _validation_body(detail: Any) -> dict:
    fields = _flatten(detail)
    general = fields.pop("non_field_errors", [])
    code = _first_code(detail) if general else None
    if general:
        message = " ".join(general)
    elif fields:
        message = _("Some fields are not valid: %(fields)s.") % {"fields": ", ".join(sorted(fields))}
    else:
        message = _("The request is not valid.")
    # A field error keeps the generic code: a client branches on `fields`, not on each validator's code.
    return error_body(code if code and code not in ("invalid", "required") else "invalid", message, fields)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every APIException (and Http404, PermissionDenied, a Django
    ValidationError a service raised) in the one shape. Anything else propagates to handler500."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*(exc.args or (_("Nothing was found at this address."),)))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))

    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc.detail)
    else:
        detail = exc.detail
        # DRF's codes are already specific (not_authenticated vs authentication_failed, parse_error);
        # only a bare "error" is replaced by the status's usual name.
        code = getattr(detail, "code", None) or exc.default_code
        if code == "error":
            code = STATUS_CODES.get(exc.status_code, "error")
        extra = {}
        if isinstance(exc, Conflict):
            extra["existing"] = exc.existing
        if isinstance(detail, dict | list):
            message = " ".join(" ".join(v) for v in _flatten(detail).values())
        else:
            message = str(detail)
        body = error_body(str(code), message, **extra)

    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def is_api_path(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """The JSON 404 for /api/ paths no endpoint matches, with a hint when only the slash is missing."""
    message = _("There is no API endpoint at %(path)s.") % {"path": request.path[:200]}
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            message += " " + _("Did you mean %(path)s/ (with a trailing slash)?") % {
                "path": request.path[:200]
            }
    return JsonResponse(error_body(STATUS_CODES[404], message), status=404)


def server_error(request: HttpRequest, *args, **kwargs):
    """handler500: JSON under /api/ (never a traceback), the portal's 500 page elsewhere."""
    if is_api_path(request):
        body = error_body(
            STATUS_CODES[500],
            _("Something went wrong on our side; the error was logged. Please try again later."),
        )
        return JsonResponse(body, status=500)
    return html_server_error(request, *args, **kwargs)
