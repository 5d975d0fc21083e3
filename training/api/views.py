"""Benchmarks, sweeps and runs under /api/v1/: read by everyone (what training.selectors lets them
see), sweeps started, cancelled and published through training.services, as in the admin, by staff
holding the permission training.permissions declares for the operation (the admin reads the same).

Runs execute on Celery workers: starting a sweep only creates its queued runs and enqueues them
once the transaction commits; the response is the sweep as it is then (state `queued`). A start
with an `Idempotency-Key` header is done at most once per key (training.services.idempotency).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api.errors import Conflict
from common.api.patterns import ID_PATTERN, SLUG_PATTERN
from common.api.schema import ErrorSerializer, reads_schema
from common.api.throttling import WRITES_SCOPE
from training import selectors, services
from training.models import Benchmark
from training.permissions import OPERATION_PERMISSIONS, may

from . import serializers
from .filters import RunFilter, SweepFilter


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List benchmarks")),
    retrieve=extend_schema(
        summary=gettext_lazy("Read a benchmark and its leaderboard"),
        description=gettext_lazy(
            "The benchmark's protocol and claims, and its published sweeps ranked by the first "
            "target's metric (mean over seeds; ties by the smaller spread)."
        ),
    ),
)
class BenchmarkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    serializer_class = serializers.BenchmarkSerializer

    def get_queryset(self):
        # Every benchmark is public (they are the site's own catalogue); one query with the paper.
        return Benchmark.objects.select_related("paper", "leaderboard_task", "leaderboard_dataset").order_by(
            "slug", "pk"
        )

    def get_serializer_class(self):
        return serializers.BenchmarkDetailSerializer if self.action == "retrieve" else self.serializer_class

    def retrieve(self, request, *args, **kwargs):
        board = selectors.benchmark_board(kwargs["slug"])
        if board is None:
            raise Http404(_("There is no benchmark with this slug."))
        board.benchmark.board_rows = board.rows
        return Response(self.get_serializer(board.benchmark).data)


class TrainingOperationPermission(permissions.BasePermission):
    """Reads are open; a write is the operation `view.write_operations[view.action]` and needs what
    training.permissions declares for it (the admin's page or action for the same operation reads the
    same declaration). A write the view does not map to an operation is refused. Anonymous callers get
    401 (DRF, from the authentication classes), signed-in ones without the permission 403."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, request.method.lower(), None) is None:
            # No handler for this method on this route (a viewset binds only its mapped methods): nothing
            # to guard, and DRF answers 405 after the checks. Asking for the handler, not the viewset's
            # action map, keeps the check closed on a plain APIView too.
            return True
        operation = getattr(view, "write_operations", {}).get(view.action)
        if may(request.user, operation):
            return True
        self.message = _(
            "Your account may not do this: it needs staff status and the %(permission)s "
            "permission; ask an administrator."
        ) % {"permission": OPERATION_PERMISSIONS.get(operation, _("(undeclared)"))}
        return False


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    # Printable ASCII without spaces, as a header value survives every proxy; a UUID is a good key.
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[!-~]+$"},
    location=OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "Any unique string (a UUID, say) chosen by the client for this start. Sending the same request "
        "again with the same key (after a timeout or a lost answer) starts nothing new: the answer is "
        "the sweep the first request created (201, same `Location`, header `Idempotent-Replayed: true`). "
        "The same key with a different benchmark, seeds or device answers 409 `idempotency_key_reused`. "
        "Keys are per account."
    ),
)


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not (1 <= len(key) <= 255 and all("!" <= c <= "~" for c in key)):
        raise exceptions.ValidationError(
            {"Idempotency-Key": [_("Send 1 to 255 printable ASCII characters without spaces, e.g. a UUID.")]}
        )
    return key


@extend_schema_view(
    **reads_schema(
        gettext_lazy("List sweeps"),
        gettext_lazy("Published sweeps, newest first (staff see every sweep)."),
        gettext_lazy("Read a sweep and its runs"),
        gettext_lazy(
            "The sweep's summary (mean ± std over seeds, verdict against the paper's claims) and each "
            "run's state and final metrics; each run's curve is at its `api_url`."
        ),
    ),
    create=extend_schema(
        summary=gettext_lazy("Start a sweep (staff with training.add_sweep)"),
        parameters=[IDEMPOTENCY_KEY],
        request=serializers.SweepStartSerializer,
        responses={
            201: serializers.SweepDetailSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description=gettext_lazy(
                    "`idempotency_key_reused`: this Idempotency-Key already started a sweep with a "
                    "different benchmark, seeds or device; send a new key for a new sweep."
                ),
            ),
        },
    ),
    cancel=extend_schema(
        operation_id="sweeps_cancel",
        summary=gettext_lazy("Cancel a sweep's unfinished runs (staff with training.change_sweep)"),
        request=None,
        responses={200: serializers.SweepCancelResultSerializer},
    ),
    publish=extend_schema(
        operation_id="sweeps_publish",
        summary=gettext_lazy("Publish or unpublish a finished sweep (staff with training.change_sweep)"),
        description=gettext_lazy(
            "Only a sweep whose runs have all finished, at least one of them successfully, can be "
            "published (400 otherwise)."
        ),
        request=serializers.SweepPublishSerializer,
        responses={200: serializers.SweepDetailSerializer},
    ),
)
class SweepViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    lookup_value_regex = ID_PATTERN
    serializer_class = serializers.SweepSerializer
    permission_classes = [TrainingOperationPermission]
    # Each write's operation in training.permissions (the admin asks the same for its start page,
    # cancel and publish actions).
    write_operations = {"create": "start", "cancel": "cancel", "publish": "publish"}
    # create: an Idempotency-Key reused for another sweep; publish: the sweep cannot be published yet.
    error_statuses = {"publish": ("409",)}
    filter_backends = [DjangoFilterBackend]
    filterset_class = SweepFilter
    throttle_scope = WRITES_SCOPE

    def get_queryset(self):
        return (
            selectors.visible_sweeps(self.request.user)
            .select_related("benchmark")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.SweepSerializer
        if self.action == "create":
            return serializers.SweepStartSerializer
        if self.action == "publish":
            return serializers.SweepPublishSerializer
        return serializers.SweepDetailSerializer

    def _detail(self, pk: int):
        page = selectors.sweep_page(pk=pk, user=self.request.user)
        if page is None:
            raise Http404(_("There is no published sweep with this id."))
        page.sweep.page_runs = page.runs
        return page.sweep

    def _detail_data(self, pk: int) -> dict:
        return serializers.SweepDetailSerializer(self._detail(pk), context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail_data(int(kwargs["pk"])))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        params = {
            "benchmark": data["benchmark"],
            "seeds": data["seeds"] if "seeds" in data else data["seed_count"],
            "device": data["device"],
            "user": request.user,
        }
        key = _idempotency_key(request)
        headers = {}
        if key is None:
            sweep = services.sweep_start(**params)
        else:
            try:
                sweep, created = services.sweep_start_once(key=key, **params)
            except services.IdempotencyKeyReused as exc:
                raise Conflict(exc.messages[0], code="idempotency_key_reused") from exc
            if not created:
                headers["Idempotent-Replayed"] = "true"
        body = self._detail_data(sweep.pk)
        # A header value must be a plain str: api_url is a DRF Hyperlink (a str subclass), which
        # wsgiref (`make run`) refuses with a 500 after the sweep was created.
        headers["Location"] = str(body["api_url"])
        return Response(body, status=status.HTTP_201_CREATED, headers=headers)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        sweep = self._detail(int(pk))
        cancelled = services.sweep_cancel(sweep=sweep)
        return Response({"cancelled": cancelled, "sweep": self._detail_data(sweep.pk)})

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        sweep = self._detail(int(pk))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.sweep_publish(sweep=sweep, published=serializer.validated_data["published"])
        except DjangoValidationError as exc:
            # The request is well formed; the sweep's state refuses it (no succeeded run yet): a 409.
            raise Conflict(" ".join(exc.messages)) from exc
        return Response(self._detail_data(sweep.pk))


@extend_schema_view(
    **reads_schema(
        gettext_lazy("List runs"),
        gettext_lazy("Runs of published sweeps (staff see every run), newest first."),
        gettext_lazy("Read a run with its metrics history"),
        gettext_lazy(
            "The run's final metrics, environment, timings and its curve: every evaluation of its "
            "current attempt, by step."
        ),
    )
)
class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_PATTERN
    serializer_class = serializers.RunSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = RunFilter

    def get_queryset(self):
        return selectors.visible_runs(self.request.user).order_by("-queued_at", "-pk")

    def get_serializer_class(self):
        return serializers.RunDetailSerializer if self.action == "retrieve" else self.serializer_class

    def retrieve(self, request, *args, **kwargs):
        found = selectors.run_page(pk=int(kwargs["pk"]), user=request.user)
        if found is None:
            raise Http404(_("There is no published run with this id."))
        run, rows = found
        run.metric_rows = [{"step": step, "values": values} for step, values in rows]
        return Response(self.get_serializer(run).data)
