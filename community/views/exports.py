"""BibTeX downloads: one paper, or every paper a list page's filters select."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from community.filters import PaperFilter
from community.selectors.papers import paper_list
from community.services.exports import paper_bibtex

from .base import form_problems

BIBTEX_TYPE = "text/x-bibtex; charset=utf-8"
# A list export runs in the request; past this many papers the filters should narrow it.
BIBTEX_LIMIT = 1000


def _bibtex_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=BIBTEX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_request(problems: list[str]) -> HttpResponse:
    return HttpResponseBadRequest("\n".join(problems) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def paper_bibtex_view(request: HttpRequest, slug: str) -> HttpResponse:
    paper = get_object_or_404(paper_list(), slug=slug)
    return _bibtex_response(paper_bibtex([paper]), f"{paper.slug}.bib")


@require_GET
def paper_list_bibtex(request: HttpRequest) -> HttpResponse:
    """/papers/bibtex/?<the paper list's filters>: every matching paper, in the list's order."""
    filterset = PaperFilter(request.GET, queryset=paper_list(), request=request)
    if not filterset.is_valid():
        return _bad_request(form_problems(filterset.form))
    papers = filterset.qs
    count = papers.count()
    if count > BIBTEX_LIMIT:
        return _bad_request(
            [
                _("%(count)s papers match; a download holds at most %(limit)s. Narrow the filters.")
                % {"count": count, "limit": BIBTEX_LIMIT}
            ]
        )
    return _bibtex_response(paper_bibtex(papers), "papers.bib")
