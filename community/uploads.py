"""Import uploads (BibTeX, deadline files, archives): one cap of their own, checked while streaming.

Two limits, each on its own path:
- ordinary forms and API bodies: DATA_UPLOAD_MAX_MEMORY_SIZE (1 MB). RequestSizeLimitMiddleware
  answers 413 from the declared Content-Length before anything reads the body;
- a file sent to an import view: IMPORT_UPLOAD_MAX_BYTES (20 MB unless the environment says
  otherwise). Such a view is wrapped in `import_upload_view`, which the middleware lets through. The
  file goes to disk past FILE_UPLOAD_MAX_MEMORY_SIZE (Django's TemporaryFileUploadHandler), and
  `ImportUploadLimitHandler`, first in the handler list, counts its bytes as they arrive and stops
  the upload at the cap: what was received is dropped (its temporary file closed, and so deleted) and
  nothing is imported.

The view asks `upload_too_large(request)` after touching request.POST/FILES and re-renders its form
as `upload_refused_form()` makes it, with the message of `upload_limit_message()`.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# What a multipart body carries besides the file (the CSRF token, the other fields, the boundaries).
# A body declared larger than the cap plus this cannot hold a file within the cap.
FORM_OVERHEAD_BYTES = 64 * 1024


def import_upload_max_bytes() -> int:
    return settings.IMPORT_UPLOAD_MAX_BYTES


def upload_limit_message(limit: int | None = None) -> str:
    return _(
        "The file is larger than %(limit)s, the most that can be imported at once. Nothing was "
        "imported: split the file and import the parts one after the other."
    ) % {"limit": filesizeformat(import_upload_max_bytes() if limit is None else limit)}


class ImportUploadLimitHandler(FileUploadHandler):
    """Passes every chunk on to the next handler until the files of the request exceed `limit`
    bytes; then it stops the upload (StopUpload), which closes and removes what was received."""

    def __init__(self, request: HttpRequest, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False
        self.declared_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The fields before the file (the CSRF token, the format) are still read; the file is not.
        self.declared_too_large = content_length > self.limit + FORM_OVERHEAD_BYTES
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.declared_too_large or self.received > self.limit:
            self.exceeded = True
            # The rest of a body just over the cap is read and dropped, so the browser gets the
            # answer; a body far over it is not read any further.
            raise StopUpload(connection_reset=self.declared_too_large)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file


def import_upload_view(
    view: Callable[..., HttpResponse] | None = None, *, max_bytes: Callable[[], int] = import_upload_max_bytes
):
    """Wrap a view that takes an import file: its own cap (`max_bytes()`, IMPORT_UPLOAD_MAX_BYTES
    unless given; the archive's admin import has PWC_UPLOAD_MAX_BYTES) instead of the ordinary one.

    The handler must be in place before anything reads request.POST, and the CSRF middleware reads
    it, so the CSRF check moves inside (csrf_exempt outside, csrf_protect inside), as Django's
    "Modifying upload handlers on the fly" says.
    """
    if view is None:
        return lambda view: import_upload_view(view, max_bytes=max_bytes)
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            request.upload_handlers.insert(0, ImportUploadLimitHandler(request, max_bytes()))
        return protected(request, *args, **kwargs)

    wrapped.has_own_upload_limit = True  # read by RequestSizeLimitMiddleware
    return csrf_exempt(wrapped)


def upload_refused_form(form_class, request: HttpRequest, field: str, limit: int | None = None):
    """The form again after the cap stopped its upload: the other fields as sent, the file's field
    saying why (`upload_limit_message(limit)`) instead of "this field is required"."""
    form = form_class(request.POST)
    form.is_valid()
    form.errors.pop(field, None)
    form.add_error(field, upload_limit_message(limit))
    return form


def upload_too_large(request: HttpRequest) -> bool:
    """Whether the import cap stopped this request's upload (call after reading request.FILES)."""
    return any(
        isinstance(handler, ImportUploadLimitHandler) and handler.exceeded
        for handler in request.upload_handlers
    )
