"""A request body over the size limit gets a page that says so, not a bare 400.

Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE with RequestDataTooBig the first time
something reads request.POST; the CSRF middleware is that first reader, and the exception becomes a
generic 400 there. Answering from the declared Content-Length before any of that keeps the message
clear (413, "what you sent is larger than 1 MB") and never reads the oversized body.
"""

from django.conf import settings
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # The API answers in JSON and in its own error shape, so it deals with its own requests.
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        if limit is not None and request.method in ("POST", "PUT", "PATCH"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return render(
                    request,
                    "413.html",
                    {
                        "limit_mb": round(limit / (1024 * 1024), 1),
                        "sent_mb": round(length / (1024 * 1024), 1),
                    },
                    status=413,
                )
        return self.get_response(request)
