"""The moderation queue in the API (moderators and staff only): what waits for a decision, and the
decisions, through community.services.moderation as on the moderation pages.

An entry's id is `<type>-<id>`: `paper-12` (a submitted item, any catalogue type), `edit-5` (a
suggested edit), `report-3` (a problem report). `approve` publishes a submission, applies an edit or
resolves a report; `reject` refuses a submission or an edit, or dismisses a report, and needs a reason
(it is mailed to the person who sent it).

The queue is the moderation pages' own (community.selectors.moderation.queue): one UNION query over
the pending rows of every type, oldest first, so a page costs the same few queries however many
types are waiting.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api.errors import Conflict
from community.kinds import kind_of
from community.permissions import is_moderator
from community.selectors.moderation import QUEUE_TYPES, queue, queue_entry
from community.services import moderation

from .serializers import DETAIL_SERIALIZERS

ENTRY_TYPES = list(QUEUE_TYPES)
ENTRY_PATTERN = r"(?:" + "|".join(ENTRY_TYPES) + r")-[0-9]{1,18}"


class IsModerator(permissions.BasePermission):
    message = gettext_lazy("Only moderators see and decide the moderation queue.")

    def has_permission(self, request, view):
        return is_moderator(request.user)


class QueueEntrySerializer(serializers.Serializer):
    """One pending entry: a submission, a suggested edit or a report."""

    id = serializers.CharField(help_text=gettext_lazy("paper-12, edit-5, report-3 ..."))
    type = serializers.CharField()
    label = serializers.CharField(
        help_text=gettext_lazy("The item's title or name; an edit's comment; a report's reason.")
    )
    submitted_by = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    target = serializers.DictField(
        child=serializers.JSONField(),
        allow_null=True,
        help_text=gettext_lazy("For edits and reports: the item's type and id."),
    )
    api_url = serializers.URLField()


def _entry(request, row: dict) -> dict:
    target = None
    if row["target_type"] is not None:
        # ContentType.get_for_id is cached per process: no query per row.
        model = ContentType.objects.get_for_id(row["target_type"]).model_class()
        target = {"type": kind_of(model) if model else "", "id": row["target_id"]}
    entry_id = f"{row['entry_type']}-{row['entry_pk']}"
    return {
        "id": entry_id,
        "type": row["entry_type"],
        "label": row["entry_label"] or "",
        "submitted_by": row["entry_user"],
        "created_at": row["entry_created"],
        "target": target,
        "api_url": request.build_absolute_uri(reverse("api:moderation-detail", kwargs={"entry": entry_id})),
    }


# --- one entry ---------------------------------------------------------------------------------------


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=moderation.MAX_REASON_LENGTH,
        help_text=gettext_lazy("Approve: an optional note to the person who sent it."),
    )


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=moderation.MAX_REASON_LENGTH,
        help_text=gettext_lazy("Why: mailed to the person who sent it."),
    )


class EntryDetailSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    status = serializers.CharField(help_text=gettext_lazy("pending, or what the decision made it."))
    submitted_by = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    item = serializers.DictField(
        child=serializers.JSONField(),
        allow_null=True,
        help_text=gettext_lazy(
            "The submitted item as the API shows it (for an edit or a report: the item concerned)."
        ),
    )
    changes = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text=gettext_lazy("Edits: the proposed values.")
    )
    comment = serializers.CharField(required=False, help_text=gettext_lazy("Edits: why."))
    reason = serializers.CharField(required=False, help_text=gettext_lazy("Reports: the reason."))
    message = serializers.CharField(required=False, help_text=gettext_lazy("Reports: the details."))


ENTRY_PARAMETER = OpenApiParameter(
    "entry",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=f"^{ENTRY_PATTERN}$",
    description=gettext_lazy("`<type>-<id>`: paper-12, edit-5, report-3 ..."),
)


def _decision_schema(decision: str, summary, request):
    """A decision on one entry: it takes `request`'s body and answers with the entry as it is now."""
    return extend_schema(
        operation_id=f"moderation_{decision}",
        summary=summary,
        parameters=[ENTRY_PARAMETER],
        request=request,
        responses=EntryDetailSerializer,
    )


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("The moderation queue (moderators)"),
        description=gettext_lazy("Every pending submission, suggested edit and report, oldest first."),
        parameters=[
            OpenApiParameter(
                "type", OpenApiTypes.STR, enum=ENTRY_TYPES, description=gettext_lazy("Only this type.")
            )
        ],
        responses=QueueEntrySerializer(many=True),
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("One pending entry (moderators)"),
        parameters=[ENTRY_PARAMETER],
        responses=EntryDetailSerializer,
    ),
    approve=_decision_schema(
        "approve",
        gettext_lazy("Approve: publish, apply the edit, or resolve the report (moderators)"),
        DecisionSerializer,
    ),
    reject=_decision_schema(
        "reject",
        gettext_lazy("Reject: refuse the submission or edit, or dismiss the report (moderators)"),
        RejectionSerializer,
    ),
)
class ModerationViewSet(viewsets.GenericViewSet):
    permission_classes = [IsModerator]
    lookup_field = "entry"
    lookup_value_regex = ENTRY_PATTERN
    serializer_class = QueueEntrySerializer
    # A GET needs a moderator too; a decision on an entry decided meanwhile is a 409.
    error_statuses = {"list": ("403",), "retrieve": ("403",), "approve": ("409",), "reject": ("409",)}

    def get_serializer_class(self):
        return {"approve": DecisionSerializer, "reject": RejectionSerializer}.get(
            self.action, QueueEntrySerializer
        )

    def list(self, request):
        entry_type = request.query_params.get("type") or None
        if entry_type is not None and entry_type not in ENTRY_TYPES:
            raise serializers.ValidationError({"type": [_("Choose one of: %s.") % ", ".join(ENTRY_TYPES)]})
        page = self.paginate_queryset(queue(types=[entry_type] if entry_type else QUEUE_TYPES))
        entries = QueueEntrySerializer([_entry(request, row) for row in page], many=True)
        return self.get_paginated_response(entries.data)

    # --- one entry ---

    def _object(self):
        entry_type, _sep, pk = self.kwargs["entry"].rpartition("-")
        obj = queue_entry(entry_type, pk)
        if obj is None:
            raise Http404(_("There is no such entry in the moderation queue."))
        return entry_type, obj

    def _item_data(self, item) -> dict | None:
        if item is None:
            return None
        serializer_class = DETAIL_SERIALIZERS.get(type(item))
        if serializer_class is None:  # editions: shown on their venue, no endpoint of their own
            return {
                "type": kind_of(item),
                "id": item.pk,
                "slug": getattr(item, "slug", None),
                "label": str(item),
            }
        return {"type": kind_of(item), **serializer_class(item, context=self.get_serializer_context()).data}

    def _detail(self, entry_type, obj) -> dict:
        if entry_type == "edit":
            user, extra = obj.submitted_by, {"changes": obj.changes, "comment": obj.comment}
            item = obj.item  # the generic relation: one query, whatever the status
        elif entry_type == "report":
            user, extra = obj.reported_by, {"reason": obj.reason, "message": obj.message}
            item = obj.item  # the generic relation: one query, whatever the status
        else:
            user, extra, item = obj.created_by, {}, obj
        return {
            "id": f"{entry_type}-{obj.pk}",
            "type": entry_type,
            "status": obj.status,
            "submitted_by": user.get_username() if user else None,
            "created_at": obj.created_at,
            "item": self._item_data(item),
            **extra,
        }

    def retrieve(self, request, entry=None):
        entry_type, obj = self._object()
        return Response(EntryDetailSerializer(self._detail(entry_type, obj)).data)

    def _decide(self, request, *, approve: bool):
        entry_type, obj = self._object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data.get("note" if approve else "reason", "")
        try:
            if entry_type == "edit":
                if approve:
                    moderation.edit_suggestion_approve(suggestion=obj, moderator=request.user, note=text)
                else:
                    moderation.edit_suggestion_reject(suggestion=obj, moderator=request.user, reason=text)
            elif entry_type == "report":
                if approve:
                    moderation.report_resolve(report=obj, moderator=request.user, note=text)
                else:
                    moderation.report_dismiss(report=obj, moderator=request.user, reason=text)
            elif approve:
                moderation.submission_approve(item=obj, moderator=request.user, note=text)
            else:
                moderation.submission_reject(item=obj, moderator=request.user, reason=text)
        except DjangoValidationError as exc:
            if getattr(exc, "code", None) == "already_decided":
                raise Conflict(exc.messages[0], code="already_decided") from exc
            raise
        obj.refresh_from_db()
        return Response(EntryDetailSerializer(self._detail(entry_type, obj)).data)

    @action(detail=True, methods=["post"])
    def approve(self, request, entry=None):
        return self._decide(request, approve=True)

    @action(detail=True, methods=["post"])
    def reject(self, request, entry=None):
        return self._decide(request, approve=False)
