"""Reads for moderators and for a person's own contributions: the review queue, the profile page's
lists, an item's history and fields (a suggested edit side by side: community.selectors.suggestions).

The moderation queue is one UNION query over the pending rows of every type (`queue`): items of
every kind, suggested edits and reports, a label, a slug, a status, a date and a sender per row,
rather than one query per type, so a page of it costs the same whatever the mix. The moderation
pages (`pending_items`) and the API (community/api/moderation.py) both read it; the profile page's
list of a person's items is built from the same rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BigIntegerField, CharField, F, IntegerField, Value
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from community.kinds import (
    CATALOGUE_MODELS,
    KIND,
    KINDS,
    kind_for,
    kind_label,
    kind_of,
    label_expression,
    slug_path,
)
from community.models import (
    ChangeRecord,
    Edition,
    EditSuggestion,
    ModerationStatus,
    Report,
    ReviewStatus,
)
from community.models.base import field_label
from community.translation import language_columns, translated_fields

QUEUE_LIMIT = 100


@dataclass
class ItemRow:
    """One catalogue item as a list shows it, whatever its kind."""

    content_type_id: int
    pk: int
    kind: str
    label: str
    slug: str
    status: str
    created_at: datetime | None
    submitter: str | None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def status_label(self) -> str:
        try:
            return ModerationStatus(self.status).label
        except ValueError:
            return self.status

    @property
    def is_published(self) -> bool:
        return self.status == ModerationStatus.PUBLISHED

    @property
    def public_url(self) -> str:
        """The public page (editions: their venue's page), only once the item is published."""
        if not self.is_published:
            return ""
        kind = KIND.get("venue" if self.kind == "edition" else self.kind)
        name = kind.detail_url_name if kind else ""
        try:
            return reverse(name, kwargs={"slug": self.slug}) if name and self.slug else ""
        except NoReverseMatch:
            return ""

    @property
    def prefix(self) -> str:
        """The prefix of its decision form's fields (several forms share the queue page)."""
        return f"i{self.content_type_id}-{self.pk}"

    @property
    def review_url(self) -> str:
        return reverse(
            "community:moderation-item", kwargs={"content_type_id": self.content_type_id, "pk": self.pk}
        )

    @property
    def history_url(self) -> str:
        return reverse(
            "community:moderation-history", kwargs={"content_type_id": self.content_type_id, "pk": self.pk}
        )


# --- the queue: one UNION over every type of entry ---------------------------------------------

# What the moderation queue holds: a pending item of any catalogue kind, a suggested edit, a report.
QUEUE_TYPES: tuple[str, ...] = (*KINDS, "edit", "report")
# Edits and reports: the model, who sent it, and the text that labels it in the queue.
_REVIEWS: dict[str, tuple[type[models.Model], str, str]] = {
    "edit": (EditSuggestion, "submitted_by", "comment"),
    "report": (Report, "reported_by", "reason"),
}
_OLDEST_FIRST = ("entry_created", "entry_type", "entry_pk")


def pending(entry_type: str) -> models.QuerySet:
    """What waits for a decision among the entries of one type (a catalogue kind, "edit", "report")."""
    if entry_type in KINDS:
        return KINDS[entry_type].objects.filter(status=ModerationStatus.PENDING)
    return _REVIEWS[entry_type][0].objects.filter(status=ReviewStatus.PENDING)


def _rows(entry_type: str, queryset: models.QuerySet) -> models.QuerySet:
    """One part of a UNION: the same columns, with the same names and in the same order, whatever
    the type (entry_type, entry_pk, entry_label, entry_slug, entry_status, entry_created, entry_user,
    target_type, target_id)."""
    if hasattr(queryset, "rewrite"):
        # Guides and topics (community/translation.py): modeltranslation would add a column per
        # language to values(), and the UNION's columns would no longer line up. Unrewritten, the
        # label is the base column, which holds the text as last written in any language.
        queryset = queryset.rewrite(False)
    if entry_type in KINDS:
        model = KINDS[entry_type]
        label, slug, user_field = label_expression(model), Cast(F(slug_path(model)), CharField()), "created_by"
        # A typed NULL: PostgreSQL will not unite an untyped NULL (text) with an integer column.
        target_type, target_id = Cast(Value(None), IntegerField()), Cast(Value(None), BigIntegerField())
    else:
        _model, user_field, label_field = _REVIEWS[entry_type]
        label, slug = F(label_field), Cast(Value(None), CharField())
        target_type, target_id = F("content_type_id"), F("object_id")  # the item concerned
    return queryset.order_by().values(
        entry_type=Value(entry_type, output_field=CharField()),
        entry_pk=F("pk"),
        entry_label=Cast(label, output_field=CharField()),
        entry_slug=slug,
        entry_status=F("status"),
        entry_created=F("created_at"),
        entry_user=F(f"{user_field}__username"),
        target_type=target_type,
        target_id=target_id,
    )


def _union(parts: list[models.QuerySet], *, newest_first: bool = False) -> models.QuerySet:
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by(*(f"-{name}" for name in _OLDEST_FIRST) if newest_first else _OLDEST_FIRST)


def queue(*, types: Iterable[str] = QUEUE_TYPES) -> models.QuerySet:
    """The moderation queue, which the moderation pages and the API both read: every pending entry of
    `types` (catalogue kinds, "edit", "report"; all by default) as one UNION query of dicts, oldest
    first, ties by type and then id. Each has entry_type, entry_pk, entry_label (an item's title or
    name, an edit's comment, a report's reason), entry_slug, entry_status, entry_created, entry_user
    (the sender's username) and, for edits and reports, the item concerned as target_type (its
    content type id) and target_id. A slice of it is one query, its count one more, whatever the mix.
    """
    return _union([_rows(entry_type, pending(entry_type)) for entry_type in types])


def queue_entry(entry_type: str, pk: int | str) -> models.Model | None:
    """One entry of the queue by type and id, whatever its status (decided ones too), with its sender."""
    if entry_type in KINDS:
        return KINDS[entry_type].objects.select_related("created_by").filter(pk=pk).first()
    model, user_field, _label = _REVIEWS[entry_type]
    return model.objects.select_related(user_field, "content_type").filter(pk=pk).first()


def _item_rows(rows) -> list[ItemRow]:
    content_types = {kind: ContentType.objects.get_for_model(model).pk for kind, model in KINDS.items()}
    return [
        ItemRow(
            content_type_id=content_types[row["entry_type"]],
            pk=row["entry_pk"],
            kind=row["entry_type"],
            label=row["entry_label"] or "",
            slug=row["entry_slug"] or "",
            status=row["entry_status"],
            created_at=row["entry_created"],
            submitter=row["entry_user"],
        )
        for row in rows
    ]


def pending_items(*, limit: int = QUEUE_LIMIT) -> list[ItemRow]:
    """Pending items of every kind, oldest first: the queue's submissions (one query)."""
    return _item_rows(queue(types=KINDS)[:limit])


def pending_counts() -> dict[str, int]:
    """How many pending items, edits and reports there are in all (the queue shows at most QUEUE_LIMIT)."""
    return {
        "items": queue(types=KINDS).count(),
        "edits": pending("edit").count(),
        "reports": pending("report").count(),
    }


def items_created_by(user) -> list[ItemRow]:
    """Every item `user` submitted, any status, newest first (one query)."""
    parts = [_rows(kind, model.objects.filter(created_by=user)) for kind, model in KINDS.items()]
    return _item_rows(_union(parts, newest_first=True))


def item_rows(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], ItemRow]:
    """Label, slug and status of the items named by (content type id, pk) pairs, in one query."""
    by_ct: dict[int, list[int]] = {}
    for ct, pk in pairs:
        by_ct.setdefault(ct, []).append(pk)
    parts = []
    for ct, pks in sorted(by_ct.items()):
        kind = kind_of(ContentType.objects.get_for_id(ct).model_class())
        if kind:
            parts.append(_rows(kind, KINDS[kind].objects.filter(pk__in=pks)))
    if not parts:
        return {}
    return {(row.content_type_id, row.pk): row for row in _item_rows(_union(parts))}


def _with_rows(records: list, rows: dict) -> list:
    for record in records:
        record.row = rows.get((record.content_type_id, record.object_id))
    return records


def contributions_of(user) -> dict[str, list]:
    """What the profile page lists: the person's items, suggested edits and reports (four queries)."""
    suggestions = list(EditSuggestion.objects.filter(submitted_by=user).order_by("-created_at", "-id"))
    reports = list(Report.objects.filter(reported_by=user).order_by("-created_at", "-id"))
    pairs = {(obj.content_type_id, obj.object_id) for obj in (*suggestions, *reports)}
    rows = item_rows(pairs)
    return {
        "items": items_created_by(user),
        "suggestions": _with_rows(suggestions, rows),
        "reports": _with_rows(reports, rows),
    }


def pending_reports(*, limit: int = QUEUE_LIMIT) -> list[Report]:
    """Pending reports, oldest first, each with `.row` (label and links of the item; one query)."""
    reports = list(
        pending("report")
        .select_related("reported_by")
        .order_by("created_at", "id")[:limit]
    )
    rows = item_rows({(r.content_type_id, r.object_id) for r in reports})
    return _with_rows(reports, rows)


def report_with_row(pk: int) -> Report | None:
    reports = list(Report.objects.filter(pk=pk).select_related("reported_by", "resolved_by"))
    if not reports:
        return None
    return _with_rows(reports, item_rows({(reports[0].content_type_id, reports[0].object_id)}))[0]


def item_history(item: models.Model) -> list[ChangeRecord]:
    """The item's history, newest first, with who did it (one query)."""
    return list(
        ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def item_for(content_type_id: int, object_id: int) -> models.Model | None:
    """The catalogue item a (content type, id) pair names, whatever its status; None if none."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        return None
    model = content_type.model_class()
    if model not in CATALOGUE_MODELS:
        return None
    queryset = model.objects.all()
    if any(f.name == "created_by" for f in model._meta.concrete_fields):
        queryset = queryset.select_related("created_by")
    return queryset.filter(pk=object_id).first()


def item_fields(item: models.Model) -> list[tuple[str, str]]:
    """(label, text) for every field a contributor fills in, for the review page."""
    rows = []
    if isinstance(item, Edition):
        rows.append((_("Conference"), str(item.venue)))
    kind = kind_for(item)
    translated = translated_fields(type(item))
    for name in kind.fields if kind else ():
        if name == "authors":
            value = "\n".join(item.authorships.order_by("position").values_list("person__name", flat=True))
            rows.append((_("Authors"), value))
            continue
        field_obj = item._meta.get_field(name)
        if name in translated:
            # Each language's own text, one row each, as the contributor wrote them.
            for column, code in language_columns(name):
                label = _("%(field)s (%(language)s)") % {
                    "field": field_label(field_obj),
                    "language": get_language_info(code)["name_translated"],
                }
                rows.append((label[:1].upper() + label[1:], getattr(item, column) or ""))
            continue
        if field_obj.many_to_many:
            value = "\n".join(str(obj) for obj in getattr(item, name).all())
        elif field_obj.many_to_one:
            value = str(getattr(item, name) or "")
        elif field_obj.choices:
            value = getattr(item, f"get_{name}_display")()
        else:
            value = getattr(item, name)
            value = (
                ""
                if value in (None, "")
                else (_("yes") if value is True else _("no") if value is False else str(value))
            )
        label = field_label(field_obj)
        rows.append((label[:1].upper() + label[1:], value))
    if isinstance(item, Edition):
        lines = []
        for deadline in item.deadlines.order_by("due_at"):
            try:
                announced = f"{deadline.announced_at:%Y-%m-%d %H:%M} {deadline.timezone_label} = "
            except Exception:  # a zone label an importer should have refused: the UTC time still shows
                announced = f"{deadline.timezone_label}? "
            label = f" ({deadline.label})" if deadline.label else ""
            lines.append(
                f"{deadline.get_kind_display()}{label}: {announced}{deadline.due_at:%Y-%m-%d %H:%M} UTC"
            )
        text = "\n".join(lines)
        rows.append((_("Deadlines"), text))
    return rows
