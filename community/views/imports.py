"""/moderation/import/: moderators upload a BibTeX or deadline-tracker file, or list arXiv ids.

The import runs in the request and the page shows its report, one line per record. The services
write each record in its own savepoint, so a failed record never leaves half of itself behind. The file
has its own size cap (IMPORT_UPLOAD_MAX_BYTES, checked while it streams in: community.uploads), not
the 1 MB of ordinary forms.
"""

import re

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from community.permissions import is_moderator
from community.services.imports import ImportReport, arxiv_import, bibtex_import, deadlines_import
from community.services.rate_limits import RateLimited, client_ip
from community.uploads import import_upload_view, upload_refused_form, upload_too_large
from community.views.submit import rate_limit_message

# Each 100 ids is one arXiv request, with a 3-second pause between requests; keep a page quick.
MAX_ARXIV_IDS = 100


class ImportForm(forms.Form):
    FORMATS = [
        ("bibtex", _("BibTeX file (.bib)")),
        # Either tracker's layout, told apart by content (community.importers.ccf_deadlines).
        (
            "deadlines",
            _("Deadline tracker YAML (ai-deadlines or ccf-deadlines: conference or acceptance-rate file)"),
        ),
        ("arxiv", _("arXiv ids")),
    ]

    format = forms.ChoiceField(label=_("What to import"), choices=FORMATS, widget=forms.RadioSelect)
    file = forms.FileField(label=_("File"), required=False)
    ids = forms.CharField(
        label=_("arXiv ids"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Separated by spaces or new lines, e.g. 1706.03762 or arXiv:1412.6980v9."),
    )
    pending = forms.BooleanField(
        label=_("Leave new items pending, for review in the moderation queue"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The real limit, from the settings, where the moderator chooses the file.
        self.fields["file"].help_text = _("UTF-8 text, at most %(limit)s. For BibTeX and YAML.") % {
            "limit": filesizeformat(settings.IMPORT_UPLOAD_MAX_BYTES)
        }

    def clean_ids(self) -> list[str]:
        ids = [value for value in re.split(r"[\s,;]+", self.cleaned_data.get("ids", "")) if value]
        if len(ids) > MAX_ARXIV_IDS:
            raise forms.ValidationError(
                _("%(count)s ids: at most %(limit)s at once.") % {"count": len(ids), "limit": MAX_ARXIV_IDS}
            )
        return ids

    def clean(self):
        data = super().clean()
        kind = data.get("format")
        if kind in ("bibtex", "deadlines") and not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose the file to import."))
        if kind == "arxiv" and not data.get("ids") and "ids" not in self.errors:
            self.add_error("ids", _("Give at least one arXiv id."))
        return data


def _run(form: ImportForm, *, user, ip: str) -> ImportReport:
    data = form.cleaned_data
    if data["format"] == "arxiv":
        return arxiv_import(ids=data["ids"], user=user, pending=data["pending"], ip=ip)
    service = bibtex_import if data["format"] == "bibtex" else deadlines_import
    upload = data["file"]
    return service(stream=upload, source=upload.name, user=user, pending=data["pending"], ip=ip)


@import_upload_view
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_moderator(request.user):
        raise PermissionDenied
    report = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if upload_too_large(request):
            # The upload was stopped at the cap: nothing of the file was kept, nothing is imported.
            form = upload_refused_form(ImportForm, request, "file")
            return render(request, "community/import_upload.html", {"form": form, "report": None}, status=413)
        if form.is_valid():
            try:
                report = _run(form, user=request.user, ip=client_ip(request))
            except RateLimited as exc:
                # Only imports for the moderation queue count (one budget with every submission).
                form.add_error(None, rate_limit_message(exc))
                status = 429
            else:
                form = ImportForm(initial={"format": form.cleaned_data["format"]})
    else:
        form = ImportForm(initial={"format": "bibtex"})
    return render(request, "community/import_upload.html", {"form": form, "report": report}, status=status)
