"""Suggested edits: a contributor proposes changes to a published item; a moderator applies them.

Nothing changes before then: `item_changes_apply` validates and says what differs, `edit_suggest`
stores the proposal, and moderation (community.services.moderation) saves it with `item_changes_save`.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as translation_language

from community.kinds import kind_for
from community.models import EditSuggestion, Paper
from community.rules import add_errors
from community.services.duplicates import duplicates_of
from community.services.history import field_values
from community.services.rate_limits import submission_limited
from community.translation import language_columns, translated_fields

from .authors import author_list, author_names, people_for, set_authors
from .fields import PENDING, PUBLISHED, assign, author_user, check_keys
from .validation import (
    clean_message,
    full_clean,
    funding_deadline,
    raise_duplicates,
    save,
    validate_unique,
)


def _raw_values(item: models.Model) -> dict[str, Any]:
    return {f.name: getattr(item, f.attname) for f in item._meta.concrete_fields}


def _m2m_pks(item: models.Model, name: str) -> list:
    return sorted(getattr(item, name).values_list("pk", flat=True))


def item_changes_apply(*, item: models.Model, changes: dict) -> tuple[dict, dict]:
    """Apply `changes` ({field: value}) to `item` in memory, validate, and say what differs.

    Returns (proposed, diff): `proposed` has the changed fields only, as JSON-friendly values (what
    an EditSuggestion stores); `diff` is {field: [old, new]} for the history. Nothing is saved:
    `item_changes_save` does that. Raises ValidationError with field errors.

    A translated field (translated_fields: a guide's body) is the active language's text: setting
    `body` sets `body_zh_hans` under Chinese, so the caller pins the language the edit was written
    in. A value equal to what the reader was shown (the English text where no Chinese one exists
    yet) is not a change. The diff names the language's column (`body_zh_hans`) and its stored old
    value, so the history says which text changed.
    """
    model = type(item)
    kind = kind_for(model)
    if kind is None:
        raise ValidationError(_("This kind of item cannot be edited here."), code="not_editable")
    fields = kind.fields
    data = dict(changes)
    check_keys(data, (*fields, *kind.aliases), model=model)
    errors = funding_deadline(data) if "deadline_local" in kind.aliases else {}
    before = _raw_values(item)
    before_plain = field_values(item)
    m2m, assign_errors = assign(item, data, fields=fields)
    for name, messages in assign_errors.items():
        add_errors(errors, name, messages)
    names = None
    if "authors" in data:
        names, author_errors = author_names(data["authors"], required=True)
        if author_errors:
            add_errors(errors, "authors", author_errors)
    if kind.prepare is not None:
        kind.prepare(item)
    full_clean(item, errors, check=kind.check)
    # An identifier another item already has is refused with a link, as for a new submission.
    exact = duplicates_of(kind, item, exclude_pk=item.pk, similar=False)
    raise_duplicates(exact, field=kind.title_field, confirm=True)
    validate_unique(item)

    after = _raw_values(item)
    after_plain = field_values(item)
    translated = translated_fields(model)
    language = translation_language()
    proposed: dict[str, Any] = {}
    diff: dict[str, list] = {}
    for name in fields:
        if name in data and name in after and before[name] != after[name]:
            proposed[name] = after_plain[name]
            if name in translated:
                column = build_localized_fieldname(name, language)
                diff[column] = [before_plain[column], after_plain[column]]
            else:
                diff[name] = [before_plain[name], after_plain[name]]
    for name in translated:
        # A language's own column named explicitly (`description_zh_hans`): that text, whatever
        # language the request is in; the suggestion stores it under the column's name.
        for column, _code in language_columns(name):
            if column in data and name in fields and before[column] != after[column]:
                proposed[column] = after_plain[column]
                diff[column] = [before_plain[column], after_plain[column]]
    for name, related in m2m.items():
        old = _m2m_pks(item, name)
        new = sorted(obj.pk for obj in related)
        if old != new:
            proposed[name] = new
            diff[name] = [old, new]
    if names is not None and isinstance(item, Paper):
        old_names = author_list(item)
        if old_names != names:
            proposed["authors"] = names
            diff["authors"] = [old_names, names]
    return proposed, diff


def item_changes_save(*, item: models.Model, proposed: dict, user, author_status: str) -> None:
    """Save an item that item_changes_apply validated, with its many-to-many values and authors."""
    save(item)
    for name, value in proposed.items():
        if name == "authors":
            people = people_for(
                value,
                user=user,
                status=author_status,
                note=_("Named as an author of “%(title)s” in a suggested edit.") % {"title": item},
            )
            if author_status == PUBLISHED:
                # The moderator approved this author list, so its people are published with it.
                for person in people:
                    if person.status == PENDING:
                        person.status = PUBLISHED
                        person.save(update_fields=["status", "updated_at"])
            set_authors(item, people)
        elif item._meta.get_field(name).many_to_many:
            getattr(item, name).set(value)


@submission_limited
@transaction.atomic
def edit_suggest(*, item: models.Model, changes: dict, user, comment: str = "") -> EditSuggestion:
    """Propose `changes` ({field: value}, only those fields) to a published item; a moderator applies
    or rejects them. Fields whose value does not change are dropped; nothing changed is an error.

    Text in a translated field (a guide's title, summary and body) is the active language's: a
    reader on /zh-hans/ edits the Chinese body. The suggestion records that language, and approving
    it changes that language's text whatever page the moderator approves it from."""
    model = type(item)
    if kind_for(model) is None:
        raise ValidationError(_("This kind of item cannot be edited here."), code="not_editable")
    fresh = model.objects.filter(pk=item.pk).first()
    if fresh is None or fresh.status != PUBLISHED:
        raise ValidationError(_("Only published items can be edited."), code="not_published")
    errors: dict[str, list] = {}
    comment = clean_message(comment, field="comment", errors=errors)
    if errors:
        raise ValidationError(errors)
    proposed, _diff = item_changes_apply(item=fresh, changes=changes)
    if not proposed:
        raise ValidationError(_("Nothing was changed: edit at least one field."), code="no_changes")
    translated = set(translated_fields(model)) & set(proposed)
    suggestion = EditSuggestion(
        content_type=ContentType.objects.get_for_model(model),
        object_id=fresh.pk,
        submitted_by=author_user(user),
        changes=proposed,
        language=translation_language() if translated else "",
        comment=comment,
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion
