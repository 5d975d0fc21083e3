"""Suggested edits side by side with the item as it is now, for the moderation queue and an edit's
review page: a FieldDiff per proposed field (current value beside proposed value, long texts line by
line), built with a constant number of queries however many suggestions are shown.
"""

import difflib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from community.kinds import CATALOGUE_MODELS
from community.models import Authorship, EditSuggestion, Paper, Topic
from community.models.base import field_label, field_values
from community.translation import language_columns, translated_fields

from .moderation import QUEUE_LIMIT, pending


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


# (model, "description_zh_hans") -> ("description", "zh-hans") for every translated catalogue field.
_COLUMNS: dict[tuple[type, str], tuple[str, str]] = {
    (model, column): (name, code)
    for model in CATALOGUE_MODELS
    for name in translated_fields(model)
    for column, code in language_columns(name)
}


def _language_rows(model, suggestion: EditSuggestion, item) -> list[tuple[str, Any]]:
    """(field, proposed value) for the diff, a translated field as its language columns, every
    language shown (unchanged ones with their current text), so the moderator reads both texts.
    An older suggestion stores `description` with its `language`: that names the column."""
    rows: list[tuple[str, Any]] = []
    done: set[str] = set()
    translated = translated_fields(model)
    for name, proposed in suggestion.changes.items():
        base = _COLUMNS.get((model, name), (name, suggestion.language))[0]
        if base not in translated:
            rows.append((name, proposed))
            continue
        if base in done:
            continue
        done.add(base)
        for column, code in language_columns(base):
            if column in suggestion.changes:
                rows.append((column, suggestion.changes[column]))
            elif base in suggestion.changes and code == suggestion.language:
                rows.append((column, suggestion.changes[base]))
            else:
                rows.append((column, field_values(item).get(column) if item is not None else None))
    return rows


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
        for name, proposed in _language_rows(model, suggestion, item):
            field_obj = None if name == "authors" else _model_field(model, name)
            label = _("Authors") if name == "authors" else field_label(field_obj) if field_obj else name
            base = _COLUMNS.get((model, name))
            if base is not None:
                # One row per language: the text the edit replaces is that language's own, empty
                # where it has none yet (the reader saw the fallback); approving writes that column.
                label = _("%(field)s (%(language)s)") % {
                    "field": field_label(model._meta.get_field(base[0])),
                    "language": get_language_info(base[1])["name_translated"],
                }
                current = field_values(item).get(name) if item is not None else None
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
