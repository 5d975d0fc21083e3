"""Reads for moderators and for a person's own contributions: the review queue, the profile page's
lists, an item's history and the side-by-side view of a suggested edit.

The moderation queue is one UNION query over the pending rows of every type (`queue`): items of
every kind, suggested edits and reports, a label, a slug, a status, a date and a sender per row,
rather than one query per type, so a page of it costs the same whatever the mix. The moderation
pages (`pending_items`) and the API (community/api/moderation.py) both read it; the profile page's
list of a person's items is built from the same rows.
"""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import BigIntegerField, CharField, F, IntegerField, Value
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from community.kinds import (
    CATALOGUE_MODELS,
    DETAIL_URL_NAMES,
    EDITABLE_FIELDS,
    KIND_LABELS,
    KINDS,
    kind_of,
    label_expression,
    slug_path,
)
from community.models import (
    Authorship,
    ChangeRecord,
    Edition,
    EditSuggestion,
    ModerationStatus,
    Paper,
    Report,
    ReviewStatus,
    Topic,
)
from community.models.base import field_label, field_values
from community.translation import translated_fields

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
        return KIND_LABELS.get(self.kind, self.kind)

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
        name = DETAIL_URL_NAMES.get("venue" if self.kind == "edition" else self.kind)
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


# --- suggested edits side by side -------------------------------------------------------------


@dataclass
class DiffLine:
    old: str | None
    new: str | None
    changed: bool


@dataclass
class FieldDiff:
    name: str
    label: str
    current: str
    proposed: str
    lines: list[DiffLine] = field(default_factory=list)


def _side_by_side(old: str, new: str) -> list[DiffLine]:
    """Lines of `old` and `new` aligned, unchanged ones once, changed ones marked (for long texts)."""
    old_lines, new_lines = old.splitlines() or [""], new.splitlines() or [""]
    lines = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine(line, line, False) for line in old_lines[i1:i2])
            continue
        left, right = old_lines[i1:i2], new_lines[j1:j2]
        for index in range(max(len(left), len(right))):
            lines.append(
                DiffLine(
                    left[index] if index < len(left) else None,
                    right[index] if index < len(right) else None,
                    True,
                )
            )
    return lines


def _display(value: Any, *, field_obj, names: dict) -> str:
    """A stored value as text for the diff: related items by name, choices by label, lists one a line."""
    if value in (None, ""):
        return ""
    if field_obj is None:  # authors
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if field_obj.many_to_many or field_obj.many_to_one:
        related = field_obj.related_model
        values = value if isinstance(value, list) else [value]
        return "\n".join(names.get((related, v), f"#{v}") for v in values)
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _current_value(item, name: str, *, m2m: dict, authors: dict) -> Any:
    if name == "authors":
        return authors.get(item.pk, [])
    field_obj = item._meta.get_field(name)
    if field_obj.many_to_many:
        return sorted(m2m.get((type(item), name), {}).get(item.pk, []))
    # The same JSON-friendly form the suggestion stores (dates as ISO text), so equal values read the same.
    return field_values(item).get(name)


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def pending_edit_suggestions(*, limit: int = QUEUE_LIMIT) -> list[EditSuggestion]:
    """Pending suggested edits, oldest first, each with `.item` (None if deleted) and `.diff`: a
    FieldDiff per proposed field, current value beside proposed value (texts line by line).

    Queries: the suggestions; one per kind of item among them; one per many-to-many field and one
    for author lists that a suggestion changes; one per kind of related item named (topics,
    organisations, venues...). Constant in the number of suggestions.
    """
    suggestions = list(
        pending("edit")
        .select_related("submitted_by", "content_type")
        .order_by("created_at", "id")[:limit]
    )
    return _with_diffs(suggestions)


def edit_suggestion_with_diff(pk: int) -> EditSuggestion | None:
    """One suggested edit (any status) with `.current_item` and `.diff` as in the queue."""
    suggestions = list(
        EditSuggestion.objects.filter(pk=pk).select_related("submitted_by", "content_type", "reviewed_by")
    )
    return _with_diffs(suggestions)[0] if suggestions else None


def _with_diffs(suggestions: list[EditSuggestion]) -> list[EditSuggestion]:
    by_model: dict[type, list[EditSuggestion]] = {}
    for suggestion in suggestions:
        model = suggestion.content_type.model_class()
        by_model.setdefault(model, []).append(suggestion)

    items: dict[tuple[type, int], models.Model] = {}
    m2m: dict[tuple[type, str], dict[int, list]] = {}
    authors: dict[int, list[str]] = {}
    wanted: dict[type, set] = {}  # related model -> pks whose names the diff shows
    for model, group in by_model.items():
        if model not in CATALOGUE_MODELS:
            continue
        found = model.objects.in_bulk([s.object_id for s in group])
        items.update({(model, pk): obj for pk, obj in found.items()})
        changed = {name for s in group for name in s.changes}
        for name in sorted(changed):
            if name == "authors" and model is Paper:
                rows = (
                    Authorship.objects.filter(paper_id__in=list(found))
                    .order_by("paper_id", "position")
                    .values_list("paper_id", "person__name")
                )
                for paper_id, person_name in rows:
                    authors.setdefault(paper_id, []).append(person_name)
                continue
            field_obj = _model_field(model, name)
            if field_obj is None:
                continue  # a field the model no longer has: shown as stored, nothing to look up
            if field_obj.many_to_many:
                through = field_obj.remote_field.through
                source, target = field_obj.m2m_field_name(), field_obj.m2m_reverse_field_name()
                current: dict[int, list] = {}
                for owner, other in through.objects.filter(**{f"{source}_id__in": list(found)}).values_list(
                    f"{source}_id", f"{target}_id"
                ):
                    current.setdefault(owner, []).append(other)
                m2m[(model, name)] = current
                wanted.setdefault(field_obj.related_model, set()).update(
                    o for v in current.values() for o in v
                )
            if field_obj.many_to_many or field_obj.many_to_one:
                related = wanted.setdefault(field_obj.related_model, set())
                for s in group:
                    value = s.changes.get(name)
                    related.update(value if isinstance(value, list) else [value])
                    obj = found.get(s.object_id)
                    if obj is not None and field_obj.many_to_one:
                        related.add(getattr(obj, field_obj.attname))
    names: dict[tuple[type, Any], str] = {}
    for related, pks in wanted.items():
        pks = {pk for pk in pks if pk is not None}
        if pks:
            queryset = related.objects.filter(pk__in=pks)
            if related is not Topic and hasattr(related, "venue"):
                queryset = queryset.select_related("venue")
            names.update({(related, obj.pk): str(obj) for obj in queryset})

    for suggestion in suggestions:
        model = suggestion.content_type.model_class()
        item = items.get((model, suggestion.object_id))
        suggestion.current_item = item
        suggestion.diff = []
        translated = translated_fields(model) if suggestion.language else ()
        for name, proposed in suggestion.changes.items():
            field_obj = None if name == "authors" else _model_field(model, name)
            label = _("Authors") if name == "authors" else field_label(field_obj) if field_obj else name
            if name in translated:
                # The text the edit replaces is that language's own, empty where it has none yet (the
                # reader saw the English fallback): approving writes exactly this column.
                label = _("%(field)s (%(language)s)") % {
                    "field": label,
                    "language": get_language_info(suggestion.language)["name_translated"],
                }
                column = build_localized_fieldname(name, suggestion.language)
                current = field_values(item).get(column) if item is not None else None
            elif item is not None:
                current = _current_value(item, name, m2m=m2m, authors=authors)
            else:
                current = None
            current_text = _display(current, field_obj=field_obj, names=names)
            proposed_text = _display(proposed, field_obj=field_obj, names=names)
            suggestion.diff.append(
                FieldDiff(
                    name=name,
                    label=label[:1].upper() + label[1:],
                    current=current_text,
                    proposed=proposed_text,
                    lines=_side_by_side(current_text, proposed_text),
                )
            )
    return suggestions


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
    for name in EDITABLE_FIELDS.get(type(item), ()):
        if name == "authors":
            value = "\n".join(item.authorships.order_by("position").values_list("person__name", flat=True))
            rows.append((_("Authors"), value))
            continue
        field_obj = item._meta.get_field(name)
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
