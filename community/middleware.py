"""Middleware of the portal: the request-size page and the preferred-language redirect.

A request body over the size limit gets a page that says so (under /api/, the API's JSON error shape),
not a bare 400.

Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE with RequestDataTooBig the first time
something reads request.POST; the CSRF middleware is that first reader, and the exception becomes a
generic 400 there. Answering from the declared Content-Length before any of that keeps the message
clear (413, "what you sent is larger than 1 MB") and never reads the oversized body. The check runs in
process_view, before the CSRF middleware's: a view wrapped in community.uploads.import_upload_view
takes a multipart file up to its own, larger cap (IMPORT_UPLOAD_MAX_BYTES) and checks it itself.
"""

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from common.api.errors import API_PREFIX, error_body


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if getattr(view_func, "has_own_upload_limit", False) and request.content_type == "multipart/form-data":
            return None
        if limit is not None and request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                if request.path_info.startswith(API_PREFIX):
                    # The API answers in JSON, in its own error shape.
                    message = _(
                        "The request body is %(sent)s; the API takes at most %(limit)s in one request."
                    ) % {"sent": filesizeformat(length), "limit": filesizeformat(limit)}
                    return JsonResponse(error_body("request_too_large", message), status=413)
                return render(
                    request,
                    "413.html",
                    {
                        "limit_mb": round(limit / (1024 * 1024), 1),
                        "sent_mb": round(length / (1024 * 1024), 1),
                    },
                    status=413,
                )
        return None


class PreferredLanguageMiddleware:
    """Sends a reader who prefers Chinese from a bare (English) portal address to its /zh-hans/ one.

    Portal pages live under i18n_patterns(prefix_default_language=False), so LocaleMiddleware serves
    every unprefixed address in English whatever the browser asks for. Here the preference decides:
    the django_language cookie that the footer's switcher sets through set_language, or, while there
    is no cookie yet (a first visit), the best Accept-Language match. The cookie comes first, so a
    reader who chose English once stays in English. Only GET and HEAD of addresses under
    i18n_patterns move; the API, feeds, calendars, admin and /i18n/ resolve to the same address in
    every language and are left alone, and an address under /zh-hans/ is always served as asked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and translation.get_language_from_path(request.path_info) is None
        ):
            preferred = translation.get_language_from_request(request)
            if preferred != settings.LANGUAGE_CODE:
                # LocaleMiddleware has activated English for this unprefixed path, so translate_url
                # resolves it among the English patterns; an address outside i18n_patterns (or one
                # that resolves nowhere) comes back unchanged.
                here = request.get_full_path_info()
                there = translate_url(here, preferred)
                if there != here and there != request.get_full_path():
                    response = HttpResponseRedirect(there)
                    patch_vary_headers(response, ("Accept-Language", "Cookie"))
                    return response
        return self.get_response(request)
