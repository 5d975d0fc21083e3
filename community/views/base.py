"""What every portal page shares: filtered and paginated lists, detail pages, the 400 page and the
reader's time zone.

Views stay thin: they parse the query string, call one selector and render. A bad query string
(a filter value, an ordering or a page number that makes no sense) is answered with a 400 page that
says what was wrong; a page number past the end is a 404. Neither is ever a 500.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.paginator import EmptyPage, Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from common.paging import CappedPaginator
from common.timezones import TIMEZONE_COOKIE, valid_timezone
from community import filters, page_cache
from community.kinds import KIND
from community.selectors._common import RELATED_LIMIT


class InvalidParameter(Exception):
    """A query-string value the page cannot use; its message is shown on the 400 page."""


def bad_request(request: HttpRequest, problems: list[str]) -> HttpResponse:
    return render(request, "400.html", {"problems": problems}, status=400)


def form_problems(form) -> list[str]:
    """ "Year: Enter a whole number." for every field error of a bound form."""
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        problems.extend(f"{label}: {error}" for error in errors)
    return problems


def page_value(request: HttpRequest) -> str | None:
    """`?page=` as the page cache keys it ("1" when absent, "007" read as "7", "last"), or None when
    it is not a page number (paginate answers that with a 400)."""
    raw = request.GET.get("page", "1").strip() or "1"
    if raw == "last":
        return raw
    if raw.isascii() and raw.isdigit() and len(raw) <= 9:
        return str(int(raw))
    return None


def paginate(request: HttpRequest, queryset, per_page: int | None = None) -> Page:
    """The page `?page=` asks for. Not a number: InvalidParameter (400); past the end or below 1: 404.

    The count is capped and cached per filter, deep pages read keys only (common.paging)."""
    # Counts are kept per filter in a cache every process shares, under the catalogue's version.
    version = page_cache.catalogue_version if page_cache.shared_cache() else None
    paginator = CappedPaginator(queryset, per_page or settings.PAGE_SIZE, version=version)
    raw = request.GET.get("page", "1").strip() or "1"
    if raw == "last":
        raw = str(paginator.exact_num_pages() if paginator.capped else paginator.num_pages)
    # isdigit() rather than int(): int() also takes "+1", " 1_0 " and non-ASCII digits.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise InvalidParameter(_("Page: “%(page)s” is not a page number.") % {"page": raw[:50]})
    try:
        return paginator.page(int(raw))
    except EmptyPage as exc:
        raise Http404(_("There is no page %(page)s.") % {"page": raw}) from exc


class CatalogueListView(View):
    """A filtered, sorted, paginated list of one kind of item.

    Subclasses set `filterset_class`, `template_name`, `section` (the nav entry) and `selector`
    (a function returning the base queryset of published items with its joins).
    """

    filterset_class = None
    template_name = ""
    section = ""
    title = ""

    def get_queryset(self):
        return self.selector()

    def rows(self, items):
        """The page's items as the template shows them (a subclass may add what its rows link to)."""
        return items

    def get_extra_context(self) -> dict:
        return {}

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        if not filterset.is_valid():
            return bad_request(request, form_problems(filterset.form))
        page_number = page_value(request)
        if page_number is not None:
            # The page cache keys on the validated filter, sort and page values only (unknown
            # parameters left out), so made-up query strings share one entry.
            page_cache.use_query(
                request,
                {**filterset.form.cleaned_data, "page": page_number},
                known=[*filterset.form.fields, "page"],
            )
            if page_cache.cached_fragment(request, "content"):
                # The items were rendered before for these values; no query of the list needed.
                context = {"section": self.section, "title": self.title}
                return render(request, self.template_name, context)
        try:
            page = paginate(request, filterset.qs)
        except InvalidParameter as exc:
            return bad_request(request, [str(exc)])
        context = {
            "filter": filterset,
            "page": page,
            "items": self.rows(page.object_list),
            "section": self.section,
            "title": self.title,
            "is_filtered": any(
                value not in (None, "", [], False) for value in filterset.form.cleaned_data.values()
            ),
            **self.get_extra_context(),
        }
        return render(request, self.template_name, context)


class CatalogueDetailView(DetailView):
    """One published item by slug; an unknown or unpublished slug is a 404 (the selector only
    returns published items)."""

    section = ""
    selector = None

    def get_queryset(self):
        return self.selector()

    def get_context_data(self, **kwargs):
        # related_limit: lists capped by the selector say "see all" once they reach it.
        return super().get_context_data(section=self.section, related_limit=RELATED_LIMIT, **kwargs)


class CachedArticle:
    """Mixed into a detail view whose template keeps what every reader sees alike in the page-cache
    fragment `fragment` (the reader's own follow, edit and report links stay outside it): `cached`
    tells the view's reads whether they may skip what only the fragment needs."""

    fragment = ""
    cached = False

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.cached = page_cache.cached_fragment(request, self.fragment)
        return super().get(request, *args, **kwargs)


def kind_pages(kind: str, selectors, *, title) -> tuple[type[CatalogueListView], type[CatalogueDetailView]]:
    """The list and detail pages of a catalogue kind (community.kinds), from the names the layers
    give it: `<kind>_list` / `<kind>_detail` in the selectors module, `<Kind>Filter`, the templates
    `community/<kind>_list.html` and `<kind>_detail.html`, the item as `<kind>` in the detail's
    context and the kind's collection ("jobs", "people") as the nav section. A page that shows more
    subclasses the class it is given."""
    entry = KIND[kind]
    prefix, section = entry.class_prefix, entry.collection
    list_view = type(
        f"{prefix}ListView",
        (CatalogueListView,),
        {
            "__module__": __name__,
            "filterset_class": getattr(filters, f"{prefix}Filter"),
            "selector": staticmethod(getattr(selectors, f"{kind}_list")),
            "template_name": f"community/{kind}_list.html",
            "section": section,
            "title": title,
        },
    )
    detail_view = type(
        f"{prefix}DetailView",
        (CatalogueDetailView,),
        {
            "__module__": __name__,
            "selector": staticmethod(getattr(selectors, f"{kind}_detail")),
            "template_name": f"community/{kind}_detail.html",
            "context_object_name": kind,
            "section": section,
        },
    )
    return list_view, detail_view


# --- the reader's time zone -------------------------------------------------------------------


def reader_timezone(request: HttpRequest) -> tuple[ZoneInfo, str | None]:
    """The zone to show times in: `?tz=`, else the `tz` cookie (set by timezone.js), else UTC.

    Returns the zone and, when `?tz=` named no zone, a message saying it was ignored.
    """
    requested = request.GET.get("tz", "").strip()
    name = valid_timezone(requested)
    message = None
    if requested and not name:
        name = valid_timezone(request.COOKIES.get(TIMEZONE_COOKIE)) or "UTC"
        message = _("“%(requested)s” is not a time zone this site knows, so times are shown in %(zone)s.") % {
            "requested": requested[:64],
            "zone": name,
        }
    name = name or valid_timezone(request.COOKIES.get(TIMEZONE_COOKIE)) or "UTC"
    return ZoneInfo(name), message
