"""/api/v1/tasks/, /datasets/, /methods/ and /results/ (issue 14): the Papers with Code archive's
tasks, datasets, methods and claimed results, read-only (they are imported, not submitted).

Built like community.api.views: the portal's selectors and FilterSets, `?search=` through
community.search, the page cache and `?lang=`. Every item says where it came from: `sources` (its
Provenance rows: source, file, revision, licence, attribution) for tasks, datasets and methods, the
declared source (`source`, `licence`, `attribution`) for a result. Serializers issue no query of their
own; the provenance of a page of items is read in one query.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from common.api.fields import SlugIdentityLink
from common.api.patterns import ID_PATTERN
from community import leaderboard_filters as filters
from community.metrics import higher_is_better as metric_direction
from community.models import Dataset, Method, Result, Task
from community.selectors import leaderboards as boards
from community.sources import source_of

from .serializers import (
    CATALOGUE_FIELDS,
    SLUG_LOOKUP,
    BlankURLsAsNull,
    PaperRef,
    ProvenanceSerializer,
    PublicRef,
)
from .views import LANGUAGE_PARAMETER, CatalogueReadViewSet


def _ref(name: str, view_name: str, **extra) -> type[PublicRef]:
    attrs = {
        "slug": serializers.SlugField(read_only=True),
        "name": serializers.CharField(read_only=True),
        **extra,
        "api_url": SlugIdentityLink(view_name=view_name, **SLUG_LOOKUP),
        "__module__": __name__,
    }
    return type(name, (PublicRef,), attrs)


TaskRef = _ref("TaskRef", "api:task-detail")
DatasetRef = _ref("DatasetRef", "api:dataset-detail")


class ImportedSerializer(BlankURLsAsNull, serializers.HyperlinkedModelSerializer):
    """Read-only, like the catalogue's serializers: `api_url` here, `web_url` the portal page, and
    `sources`: where the item came from (the viewset attaches them)."""

    url_field_name = "api_url"
    serializer_url_field = SlugIdentityLink
    web_url = serializers.SerializerMethodField()
    sources = ProvenanceSerializer(many=True, read_only=True, source="listed_sources")

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


def _meta(model, view_name: str, fields: list[str]):
    shown = [*CATALOGUE_FIELDS, *fields, "sources"]
    return type(
        "Meta",
        (),
        {
            "model": model,
            "fields": shown,
            "read_only_fields": shown,
            "extra_kwargs": {"api_url": {"view_name": view_name, **SLUG_LOOKUP}},
        },
    )


class TaskSerializer(ImportedSerializer):
    parent = TaskRef(read_only=True, allow_null=True)
    Meta = _meta(Task, "api:task-detail", ["name", "description", "area", "parent", "pwc_url"])


class TaskDetailSerializer(TaskSerializer):
    subtasks = TaskRef(many=True, read_only=True)
    Meta = _meta(Task, "api:task-detail", ["name", "description", "area", "parent", "pwc_url", "subtasks"])


DATASET_FIELDS = [
    *["name", "full_name", "description", "homepage", "pwc_url", "introduced_date", "modalities"],
    *["languages", "variant_of", "num_papers", "data_loaders"],
]


class DatasetSerializer(ImportedSerializer):
    variant_of = DatasetRef(read_only=True, allow_null=True)
    Meta = _meta(Dataset, "api:dataset-detail", DATASET_FIELDS)


class DatasetDetailSerializer(DatasetSerializer):
    variants = DatasetRef(many=True, read_only=True)
    tasks = TaskRef(many=True, read_only=True)
    Meta = _meta(Dataset, "api:dataset-detail", [*DATASET_FIELDS, "variants", "tasks"])


METHOD_FIELDS = [
    *["name", "full_name", "description", "pwc_url", "introduced_year", "paper", "source_url"],
    *["source_title", "code_snippet_url", "num_papers", "collections"],
]


class MethodSerializer(ImportedSerializer):
    paper = PaperRef(read_only=True, allow_null=True)
    Meta = _meta(Method, "api:method-detail", METHOD_FIELDS)


class ResultSerializer(BlankURLsAsNull, serializers.ModelSerializer):
    """A claimed result. `value` is the number (null where the archive wrote none: such a result is
    left out of rankings), `value_text` what the archive wrote; `higher_is_better` the direction the
    leaderboard ranks by (a moderator's setting, else the metric table's; null when neither knows)."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:result-detail")
    web_url = serializers.SerializerMethodField()
    task = TaskRef(read_only=True)
    dataset = DatasetRef(read_only=True)
    paper = PaperRef(read_only=True, allow_null=True)
    value = serializers.DecimalField(
        max_digits=30, decimal_places=10, coerce_to_string=False, read_only=True, allow_null=True
    )
    higher_is_better = serializers.SerializerMethodField()
    licence = serializers.SerializerMethodField()
    attribution = serializers.SerializerMethodField()

    class Meta:
        model = Result
        fields = [
            *["id", "api_url", "web_url", "task", "dataset", "metric", "value", "value_text"],
            *["higher_is_better", "model_name", "paper", "paper_title", "paper_url", "paper_date"],
            *["uses_additional_data", "code_links", "model_links", "source", "licence", "attribution"],
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def get_higher_is_better(self, obj) -> bool | None:
        return obj.higher_is_better if obj.higher_is_better is not None else metric_direction(obj.metric)

    def get_licence(self, obj) -> str:
        return source_of(obj.source).licence if obj.source else ""

    def get_attribution(self, obj) -> str:
        return source_of(obj.source).attribution if obj.source else ""


def _docs(kind: str, plural: str, lookup: str = "slug"):
    return extend_schema_view(
        list=extend_schema(
            summary=_("List %(plural)s") % {"plural": plural},
            description=_(
                "Published %(plural)s from the Papers with Code archive (CC BY-SA 4.0), filtered like the "
                "portal's list, searched with `search`, sorted with `ordering`, paginated."
            )
            % {"plural": plural},
            parameters=[LANGUAGE_PARAMETER],
        ),
        retrieve=extend_schema(
            summary=_("Read one %(kind)s") % {"kind": kind},
            description=_("By %(lookup)s; one that names nothing published is a 404.") % {"lookup": lookup},
            parameters=[LANGUAGE_PARAMETER],
        ),
    )


class ImportedReadViewSet(CatalogueReadViewSet):
    """Read-only; attaches each listed item's Provenance rows (one query a page)."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._attach_sources(page)
        return page

    def get_object(self):
        item = super().get_object()
        self._attach_sources([item])
        return item

    @staticmethod
    def _attach_sources(items):
        found = boards.sources_of(items)
        for item in items:
            item.listed_sources = found.get(item.pk, [])


def _imported_viewset(kind: str) -> type[ImportedReadViewSet]:
    """`<Kind>ViewSet` of an archive kind, from the names its layers give it: `<kind>_list` and
    `<kind>_detail` (community.selectors.leaderboards), `<Kind>Filter`, `<Kind>Serializer` and, where
    the detail shows more, `<Kind>DetailSerializer`."""
    prefix = kind.capitalize()
    attrs = {
        "__module__": __name__,
        "list_selector": staticmethod(getattr(boards, f"{kind}_list")),
        "detail_selector": staticmethod(getattr(boards, f"{kind}_detail")),
        "serializer_class": globals()[f"{prefix}Serializer"],
        "detail_serializer_class": globals().get(f"{prefix}DetailSerializer"),
        "filterset_class": getattr(filters, f"{prefix}Filter"),
    }
    return _docs(kind, f"{kind}s")(type(f"{prefix}ViewSet", (ImportedReadViewSet,), attrs))


TaskViewSet = _imported_viewset("task")
DatasetViewSet = _imported_viewset("dataset")
MethodViewSet = _imported_viewset("method")


@_docs("claimed result", "claimed results", lookup="id")
class ResultViewSet(CatalogueReadViewSet):
    """Claimed results; filter by `task`, `dataset` (slugs), `metric` (its exact name) and `paper` (slug)."""

    lookup_field = "pk"
    lookup_value_regex = ID_PATTERN
    list_selector = staticmethod(boards.result_list)
    serializer_class = ResultSerializer
    filterset_class = filters.ResultFilter


routes = [
    ("tasks", TaskViewSet, "task"),
    ("datasets", DatasetViewSet, "dataset"),
    ("methods", MethodViewSet, "method"),
    ("results", ResultViewSet, "result"),
]
