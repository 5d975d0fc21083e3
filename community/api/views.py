"""The catalogue under /api/v1/: one viewset per type, thin over the portal's selectors and FilterSets.

Reading is open to everyone and shows published items only (the selectors return nothing else):
lists are filtered by the portal's FilterSets (`community.filters`, the same facets and `ordering`
values as the list pages), searched by `?search=` and paginated; details are looked up by slug
(deadlines, which have none, by id). Writing is in `community.api.writes`.
"""

import functools

from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from common.api.patterns import ID_PATTERN, SLUG_PATTERN
from community import filters, page_cache
from community.kinds import KIND
from community.models import Deadline, Venue
from community.selectors import careers, channels, funding, guides, papers, people, projects, topics, venues
from community.services import exports, submissions
from community.translation import LANGUAGE_CODES

from . import serializers, writes
from .filters import SEARCH_PARAM, FullTextSearchFilter
from .renderers import BibTeXRenderer
from .writes import SubmissionWriteMixin


class CatalogueReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve one kind of published item.

    Subclasses set `list_selector` / `detail_selector` (functions returning the base queryset with its
    joins), `serializer_class` / `detail_serializer_class` and `filterset_class`.
    """

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filter_backends = [DjangoFilterBackend, FullTextSearchFilter]
    list_selector = None

    def initial(self, request, *args, **kwargs):
        # The language of the per-language texts, read and written: `?lang=` wins; else the
        # Accept-Language header's; else English. (LocaleMiddleware answers every unprefixed address,
        # the API's included, in English: with prefix_default_language=False it reads no header there.)
        requested = request.query_params.get(LANG_PARAM, "").strip().lower() or _accepted_language(request)
        self.language_before = translation.get_language()
        if requested:
            if requested not in LANGUAGE_CODES:
                raise ValidationError(
                    {
                        LANG_PARAM: [
                            _("Unknown language: use one of %(codes)s.")
                            % {"codes": ", ".join(LANGUAGE_CODES)}
                        ]
                    }
                )
            translation.activate(requested)
            request.LANGUAGE_CODE = requested
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Language"] = translation.get_language()
        if getattr(self, "language_before", None):
            translation.activate(self.language_before)  # this request's language ends with it
        return response

    detail_selector = None
    detail_serializer_class = None

    def get_queryset(self):
        if self.action == "list" or self.detail_selector is None:
            return self.list_selector()
        return self.detail_selector()

    def get_serializer_class(self):
        if self.action != "list" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class

    def list(self, request, *args, **kwargs):
        # Kept per validated filter, search, sort and page values (unknown parameters left out, and
        # a request carrying one never stores). An invalid filter is never looked up: the list
        # answers it with a 400.
        if not (page_cache.enabled() and self._use_cache_query(request)):
            return super().list(request, *args, **kwargs)
        return self._kept(request, "api-list", functools.partial(super().list, request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        # Kept for a request with no parameter but `lang` and `format`: the list's filters also
        # apply to a detail (a slug outside them is a 404), and such a request is rare enough to
        # answer afresh.
        answer = functools.partial(super().retrieve, request, *args, **kwargs)
        if not (
            page_cache.enabled()
            and set(request.query_params) <= {LANG_PARAM, api_settings.URL_FORMAT_OVERRIDE}
        ):
            return answer()
        page_cache.use_query(request, {LANG_PARAM: translation.get_language()}, known=request.query_params)
        return self._kept(request, "api-detail", answer)

    def _kept(self, request, name: str, answer) -> Response:
        """`answer()`, kept by the page cache (community.page_cache) as it keeps rendered pages, as
        fragment `name` of this request (its query declared first): per catalogue version and query
        values, and per host, scheme and format, which the `next` and `previous` links and the body
        are built from. Reads show published items only, the same for every client."""
        key = page_cache.fragment_key(
            request, name, request.scheme, request.get_host(), request.accepted_renderer.format
        )
        data = page_cache.fetch(key) if key else None
        if data is not None:
            return Response(data)
        response = answer()
        if key and response.status_code == status.HTTP_200_OK and page_cache.storable(request):
            page_cache.store(key, _plain(response.data))
        return response

    def _use_cache_query(self, request) -> bool:
        """Declare the list's validated query values to the page cache; False when a filter is invalid."""
        filterset = DjangoFilterBackend().get_filterset(request, self.get_queryset(), self)
        if filterset is None or not filterset.is_valid():
            return False
        pagination = {}
        for name in (self.paginator.page_query_param, self.paginator.page_size_query_param):
            raw = request.query_params.get(name, "").strip()
            pagination[name] = str(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else raw
        search = request.query_params.get(SEARCH_PARAM, "").strip()
        values = {**filterset.form.cleaned_data, **pagination, SEARCH_PARAM: search}
        values[LANG_PARAM] = translation.get_language()  # the key varies by language already
        known = [
            *filterset.form.fields,
            *pagination,
            SEARCH_PARAM,
            LANG_PARAM,
            api_settings.URL_FORMAT_OVERRIDE,
        ]
        page_cache.use_query(request, values, known=known)
        return True


def _plain(data):
    """`data` as plain dicts, lists and strings, as kept in the cache: a serializer's ReturnList and
    the Hyperlink strings of its `url` fields carry the serializer and the instances, and pickled with
    them a page of 20 papers was 140 kB (49 kB as JSON), 35 ms to unpickle on every cached read."""
    if isinstance(data, dict):
        return {name: _plain(value) for name, value in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(value) for value in data]
    if isinstance(data, str):
        return str.__str__(data)  # an exact str, whatever str subclass it was
    return data


LANG_PARAM = "lang"
LANGUAGE_PARAMETER = OpenApiParameter(
    LANG_PARAM,
    str,
    enum=LANGUAGE_CODES,
    description=_(
        "The language of per-language texts (`description`, `eligibility`, `bio`...), read and written; "
        "else the Accept-Language header's, else English. The response's Content-Language header says "
        "which it is; `description_language` says what a text is in (another language where the item "
        "has none in this one yet). `description_en` / `description_zh_hans` write one language explicitly."
    ),
)


def _accepted_language(request) -> str:
    """The first language of the Accept-Language header the site speaks ("zh-Hans", "zh-CN" and "zh"
    are zh-hans), or ''."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:500]):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return ""


def _write_docs(kind: str) -> dict:
    """Summaries for the submission, the suggested edits and the report of one type."""

    def write(summary, description):
        # Every write answers 202 with its receipt and takes the language of the texts it sends.
        return extend_schema(
            summary=summary,
            description=description,
            responses={202: writes.SubmissionReceiptSerializer},
            parameters=[LANGUAGE_PARAMETER],
        )

    edit = _(
        "Proposes changes to a published %(kind)s; nothing changes before a moderator approves "
        "them. Fields left unchanged are dropped; a change to an identifier another item has is a 409."
    ) % {"kind": kind}
    return {
        "create": write(
            _("Submit a %(kind)s for review") % {"kind": kind},
            _(
                "Creates a pending %(kind)s through the same service as the web form. 409 `duplicate`: "
                "an item with the same identifier exists. 409 `near_duplicate`: items with a nearly "
                'identical title exist (listed in `error.existing`); resend with `"confirm": true`.'
            )
            % {"kind": kind},
        ),
        "update": write(_("Suggest an edit (every field)"), edit),
        "partial_update": write(_("Suggest an edit (only the fields given)"), edit),
    }


def _read_docs(kind: str, plural: str):
    """Summaries for the list and retrieve operations of one type, and its writes."""
    return _write_docs(kind) | {
        "list": extend_schema(
            summary=_("List published %(plural)s") % {"plural": plural},
            description=_(
                "Published %(plural)s, filtered by the same facets as the portal's list page, searched "
                "with `search` (or `q`, the portal's substring search), sorted with `ordering` (a "
                "leading `-` reverses) and paginated (`page`, `page_size` up to 100)."
            )
            % {"plural": plural},
            parameters=[LANGUAGE_PARAMETER],
        ),
        "retrieve": extend_schema(
            summary=_("Read one published %(kind)s") % {"kind": kind},
            description=_("By slug; a slug that names nothing published is a 404."),
            parameters=[LANGUAGE_PARAMETER],
        ),
    }


# The viewset of each kind, by model (filled by KindViewSet; the tests walk it).
VIEWSET_FOR_MODEL: dict[type, type["KindViewSet"]] = {}


# Read and write one catalogue kind, from its registry entry (community.kinds) and the names the
# layers give it: `<kind>_list` / `<kind>_detail` in the selectors module, `<Kind>Filter`,
# `<Kind>Serializer` (and `<Kind>DetailSerializer` where the detail shows more) and
# `<Kind>InputSerializer` where the kind declares one (else the registry's plain one). A subclass is declared as `class PaperViewSet(KindViewSet, kind="paper",
# selectors=papers)` and adds only what is its own (a venue's editions, a paper's BibTeX). (No
# docstring: the schema describes the operations with SubmissionWriteMixin's.)
class KindViewSet(SubmissionWriteMixin, CatalogueReadViewSet):
    kind = None

    def __init_subclass__(cls, *, kind: str = "", selectors=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if not kind:
            return
        cls.kind = KIND[kind]
        prefix = cls.kind.class_prefix
        cls.list_selector = staticmethod(getattr(selectors, f"{kind}_list"))
        cls.detail_selector = staticmethod(getattr(selectors, f"{kind}_detail"))
        cls.filterset_class = getattr(filters, f"{prefix}Filter")
        cls.serializer_class = getattr(serializers, f"{prefix}Serializer")
        cls.detail_serializer_class = getattr(serializers, f"{prefix}DetailSerializer", None)
        declared = getattr(writes, f"{prefix}InputSerializer", None)
        cls.input_serializer_class = declared or writes.input_serializer(kind)
        model = cls.kind.model._meta
        extend_schema_view(**_read_docs(str(model.verbose_name), str(model.verbose_name_plural)))(cls)
        VIEWSET_FOR_MODEL[cls.kind.model] = cls


def kind_viewset(kind: str, selectors) -> type[KindViewSet]:
    """The viewset of a kind that needs nothing of its own: `<Kind>ViewSet`."""
    name = f"{KIND[kind].class_prefix}ViewSet"
    return type(name, (KindViewSet,), {"__module__": __name__}, kind=kind, selectors=selectors)


TopicViewSet = kind_viewset("topic", topics)
OrganizationViewSet = kind_viewset("organization", people)
PersonViewSet = kind_viewset("person", people)
ProjectViewSet = kind_viewset("project", projects)
JobViewSet = kind_viewset("job", careers)
FundingViewSet = kind_viewset("funding", funding)
ChannelViewSet = kind_viewset("channel", channels)
GuideViewSet = kind_viewset("guide", guides)


class VenueViewSet(KindViewSet, kind="venue", selectors=venues):
    edit_excluded_fields = ("kind",)
    error_statuses = {**writes.WRITE_ERRORS, "editions": ("409",)}

    def get_object(self):
        venue = super().get_object()
        return venues.attach_recent_papers(venue) if self.action == "retrieve" else venue

    def get_serializer_class(self):
        if self.action == "editions":
            return writes.EditionInputSerializer
        return super().get_serializer_class()

    def submit(self, data: dict, *, confirm: bool):
        # A venue's kind is a parameter of the service, not a field a contributor edits later.
        kind = data.pop("kind", Venue.Kind.JOURNAL)
        return writes.call_service(
            self.request,
            submissions.venue_submit,
            data=data,
            user=self.request.user,
            confirm=confirm,
            kind=kind,
        )

    @extend_schema(
        summary=_("Submit an edition of a conference, with its deadlines"),
        description=_(
            "A pending edition (a year) of this published conference and its deadlines, each given as "
            "announced (`due_local` in `timezone_label`, e.g. 23:59 AoE). 409 `duplicate`: the "
            "conference already has an edition that year."
        ),
        responses={202: writes.SubmissionReceiptSerializer},
    )
    @action(detail=True, methods=["post"])
    def editions(self, request, slug=None):
        venue = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {**writes.service_data(serializer.validated_data), "venue": venue}
        data["deadlines"] = [dict(row) for row in data.get("deadlines", [])]
        edition = writes.call_service(
            request,
            submissions.edition_submit,
            data=data,
            user=request.user,
            confirm=serializer.validated_data["confirm"],
        )
        body = writes.receipt(type_="edition", obj=edition, slug=edition.slug)
        return Response(body, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(
        summary=_("List upcoming deadlines"),
        description=_(
            "Deadlines from now on whose venue (and edition) are published, soonest first; past ones "
            "stay on their venue's editions (`/venues/{slug}/`). Times are UTC (`due_at`) and in the "
            "zone they were announced in (`announced_at`, `timezone_label`)."
        ),
    ),
    retrieve=extend_schema(summary=_("Read one deadline"), description=_("By id, past or upcoming.")),
)
class DeadlineViewSet(CatalogueReadViewSet):
    lookup_field = "pk"
    lookup_value_regex = ID_PATTERN
    serializer_class = serializers.DeadlineSerializer
    filterset_class = filters.DeadlineFilter

    def get_queryset(self):
        if self.action == "list":
            return venues.deadline_upcoming(now=timezone.now()).prefetch_related(venues.item_sources())
        return (
            Deadline.objects.public()
            .select_related("venue", "edition")
            .prefetch_related(venues.item_sources())
        )


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "bibtex"],
    description=_("`bibtex` answers BibTeX entries (application/x-bibtex) instead of JSON."),
)


@extend_schema_view(
    **_write_docs("paper"),
    list=extend_schema(
        summary=_("List published papers"),
        description=_(
            "Published papers, filtered like the portal's paper list, searched with `search`, sorted "
            "with `ordering`, paginated. `?format=bibtex` gives the page's papers as BibTeX."
        ),
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): serializers.PaperSerializer(many=True),
            (200, "application/x-bibtex"): OpenApiResponse(OpenApiTypes.STR, description=_("BibTeX entries")),
        },
    ),
    retrieve=extend_schema(
        summary=_("Read one published paper"),
        description=_("By slug. `?format=bibtex` gives its BibTeX entry."),
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): serializers.PaperDetailSerializer,
            (200, "application/x-bibtex"): OpenApiResponse(OpenApiTypes.STR, description=_("A BibTeX entry")),
        },
    ),
)
class PaperViewSet(KindViewSet, kind="paper", selectors=papers):
    renderer_classes = [JSONRenderer, BibTeXRenderer]

    def get_renderers(self):
        # BibTeX is a form of papers: a write's receipt or a report has none (400 `unsupported_format`).
        if self.action not in ("list", "retrieve"):
            return [JSONRenderer()]
        return super().get_renderers()

    def _wants_bibtex(self) -> bool:
        return getattr(self.request.accepted_renderer, "format", None) == BibTeXRenderer.format

    def list(self, request, *args, **kwargs):
        if not self._wants_bibtex():
            return super().list(request, *args, **kwargs)
        # The current page's papers, with the same filters, ordering and pagination as the JSON.
        papers = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return Response(exports.paper_bibtex(papers))

    def retrieve(self, request, *args, **kwargs):
        if not self._wants_bibtex():
            return super().retrieve(request, *args, **kwargs)
        return Response(exports.paper_bibtex([self.get_object()]))

    def get_object(self):
        if self.action != "retrieve":
            return super().get_object()
        # As GenericAPIView.get_object (the list's filters apply), but the paper's projects and
        # guides are prefetched only when it has any (papers.paper_record): most papers have
        # neither, and the API's detail is a frequent request (benchmarks/load_mix.py).
        queryset = self.filter_queryset(papers.paper_base())
        paper = papers.paper_record(queryset, slug=self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if paper is None:
            raise Http404
        self.check_object_permissions(self.request, paper)
        return paper
