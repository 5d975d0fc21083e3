"""Moderation decisions: approve or reject a submission, apply or reject a suggested edit, resolve or
dismiss a report. Each records the change in the item's history and mails the person who sent it.

A decision is taken once: every function locks its row and refuses one that is no longer pending,
so two moderators clicking at the same time cannot both decide (or mail twice).
"""

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community.kinds import CATALOGUE_MODELS
from community.models import (
    Authorship,
    ChangeRecord,
    Edition,
    EditSuggestion,
    Guide,
    ModerationStatus,
    Paper,
    Person,
    Report,
    ReviewStatus,
    Venue,
)
from community.services.field_edits import field_edits_record
from community.services.history import history_record
from community.services.notifications import absolute_url, mail_user_on_commit
from community.services.similar import similar_papers_refresh_later
from community.services.submissions import item_changes_apply, item_changes_save

PENDING = ModerationStatus.PENDING
PUBLISHED = ModerationStatus.PUBLISHED
REJECTED = ModerationStatus.REJECTED
MAX_REASON_LENGTH = 5000


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").replace("\x00", "").strip()
    if required and not reason:
        raise ValidationError(
            {
                "reason": [
                    ValidationError(_("Say why, so the person can do better next time."), code="required")
                ]
            }
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": [ValidationError(_("At most 5000 characters."), code="max_length")]})
    return reason


def _locked_pending(item: models.Model) -> models.Model:
    model = type(item)
    if model not in CATALOGUE_MODELS:
        raise ValidationError(_("This is not a catalogue item."), code="not_catalogue")
    locked = model.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise ValidationError(_("This item no longer exists."), code="gone")
    if locked.status != PENDING:
        raise ValidationError(
            _("This item was already decided (%(status)s)."),
            code="already_decided",
            params={"status": locked.get_status_display()},
        )
    return locked


def _review_day() -> dt.date:
    # The UTC day, like every stored time: not the day in whatever zone a view has activated.
    return timezone.now().astimezone(dt.UTC).date()


def _set_status(item: models.Model, status: str, *, moderator, action: str, note: str = "") -> None:
    old = item.status
    item.status = status
    item.full_clean()
    item.save(update_fields=["status", "updated_at"])
    history_record(item=item, user=moderator, action=action, changes={"status": [old, status]}, note=note)


def _set_dependent_status(dependent: models.Model, item: models.Model, status: str, *, moderator) -> None:
    """Give a dependent of `item` (see `_dependents`) the decision taken on `item`, saying so."""
    if status == PUBLISHED:
        action, note = ChangeRecord.Action.APPROVED, _("Approved with “%(item)s”.")
    else:
        action, note = ChangeRecord.Action.REJECTED, _("Rejected with “%(item)s”.")
    _set_status(dependent, status, moderator=moderator, action=action, note=note % {"item": item})


def _dependents(item: models.Model) -> list[models.Model]:
    """Pending items created with `item` that stand or fall with it: a paper's new authors, a new
    edition's new conference."""
    if isinstance(item, Paper):
        return list(Person.objects.filter(status=PENDING, authorships__paper=item).order_by("pk"))
    if isinstance(item, Edition):
        return list(Venue.objects.filter(status=PENDING, pk=item.venue_id))
    return []


@transaction.atomic
def submission_approve(*, item: models.Model, moderator, note: str = "") -> models.Model:
    """Publish a pending item (and the pending authors or conference submitted with it)."""
    item = _locked_pending(item)
    note = _reason(note, required=False)
    _set_status(item, PUBLISHED, moderator=moderator, action=ChangeRecord.Action.APPROVED, note=note)
    if isinstance(item, Guide):
        # Approving a guide is reviewing it: its page says since when (the APPROVED entry says who).
        item.reviewed_on = _review_day()
        item.save(update_fields=["reviewed_on"])
    for dependent in _dependents(item):
        _set_dependent_status(dependent, item, PUBLISHED, moderator=moderator)
    if isinstance(item, Paper):
        # A newly published paper gets similar papers, and may be one of the others' (on a worker).
        similar_papers_refresh_later()
    url = item.get_absolute_url() if hasattr(item, "get_absolute_url") else ""
    mail_user_on_commit(
        user=item.created_by,
        template="community/email/submission_approved",
        context={"item": item, "url": absolute_url(url), "note": note},
    )
    return item


@transaction.atomic
def submission_reject(*, item: models.Model, moderator, reason: str) -> models.Model:
    """Refuse a pending item, saying why. It stays in the database (rejected) so the same thing is
    not submitted again unseen, but no public page shows it. Pending authors or a pending conference
    that came with it and belong to nothing else are rejected too."""
    reason = _reason(reason, required=True)
    item = _locked_pending(item)
    _set_status(item, REJECTED, moderator=moderator, action=ChangeRecord.Action.REJECTED, note=reason)
    for dependent in _dependents(item):
        if isinstance(dependent, Person):
            others = (
                Authorship.objects.filter(person=dependent)
                .exclude(paper=item)
                .exclude(paper__status=REJECTED)
            )
        else:
            others = dependent.editions.exclude(pk=item.pk).exclude(status=REJECTED)
        if not others.exists():
            _set_dependent_status(dependent, item, REJECTED, moderator=moderator)
    mail_user_on_commit(
        user=item.created_by,
        template="community/email/submission_rejected",
        context={"item": item, "reason": reason},
    )
    return item


# --- suggested edits --------------------------------------------------------------------------


def _locked_review(model, obj):
    locked = model.objects.select_for_update().filter(pk=obj.pk).first()
    if locked is None:
        raise ValidationError(_("This no longer exists."), code="gone")
    if locked.status != ReviewStatus.PENDING:
        raise ValidationError(
            _("This was already decided (%(status)s)."),
            code="already_decided",
            params={"status": locked.get_status_display()},
        )
    return locked


# Where each kind of review keeps the moderator's note, who decided and when.
_DECISION_FIELDS = {
    EditSuggestion: ("reason", "reviewed_by", "reviewed_at"),
    Report: ("resolution", "resolved_by", "resolved_at"),
}


def _record_decision(review: EditSuggestion | Report, status: str, moderator, note: str) -> None:
    """Store a moderator's decision on a suggested edit or a report: its status, note, who and when."""
    note_field, by_field, at_field = fields = _DECISION_FIELDS[type(review)]
    review.status = status
    setattr(review, note_field, note)
    setattr(review, by_field, moderator)
    setattr(review, at_field, timezone.now())
    review.save(update_fields=["status", *fields])


@transaction.atomic
def edit_suggestion_approve(*, suggestion: EditSuggestion, moderator, note: str = "") -> models.Model:
    """Apply a suggested edit to its item and record what changed. If the item changed meanwhile so
    that the edit no longer validates, nothing is applied and the ValidationError says why."""
    suggestion = _locked_review(EditSuggestion, suggestion)
    note = _reason(note, required=False)
    model = suggestion.content_type.model_class()
    item = model.objects.select_for_update().filter(pk=suggestion.object_id).first() if model else None
    if item is None:
        raise ValidationError(_("The item no longer exists; reject the suggestion instead."), code="gone")
    # A translated field's text is the language the edit was written in (EditSuggestion.language),
    # not the moderator's: a Chinese body edit approved from an English page still changes body_zh_hans.
    in_language = (
        translation.override(suggestion.language) if suggestion.language else contextlib.nullcontext()
    )
    with in_language:
        proposed, diff = item_changes_apply(item=item, changes=suggestion.changes)
        if isinstance(item, Guide):
            item.reviewed_on = _review_day()
        item_changes_save(item=item, proposed=proposed, user=suggestion.submitted_by, author_status=PUBLISHED)
    # The moderator decided these fields' values: a later import leaves them alone.
    field_edits_record(item=item, fields=proposed, user=moderator)
    history_record(
        item=item,
        user=moderator,
        action=ChangeRecord.Action.EDIT_APPLIED,
        changes=diff,
        note=note or _("Suggested edit #%(id)s.") % {"id": suggestion.pk},
    )
    if isinstance(item, Paper):
        similar_papers_refresh_later()  # its title or abstract may have changed
    _record_decision(suggestion, ReviewStatus.APPROVED, moderator, note)
    mail_user_on_commit(
        user=suggestion.submitted_by,
        template="community/email/edit_approved",
        context={"item": item, "url": absolute_url(_public_url(item)), "note": note},
    )
    return item


@transaction.atomic
def edit_suggestion_reject(*, suggestion: EditSuggestion, moderator, reason: str) -> EditSuggestion:
    reason = _reason(reason, required=True)
    suggestion = _locked_review(EditSuggestion, suggestion)
    _record_decision(suggestion, ReviewStatus.REJECTED, moderator, reason)
    mail_user_on_commit(
        user=suggestion.submitted_by,
        template="community/email/edit_rejected",
        context={"item": suggestion.item, "reason": reason},
    )
    return suggestion


@transaction.atomic
def guide_mark_reviewed(*, guide: Guide, moderator) -> Guide:
    """Record that `moderator` read the guide today and it still holds: its page shows the date.
    Content and `updated_at` stay as they are; the history gets a "Marked as reviewed" entry."""
    guide = Guide.objects.select_for_update().filter(pk=guide.pk).first()
    if guide is None:
        raise ValidationError(_("This item no longer exists."), code="gone")
    old, guide.reviewed_on = guide.reviewed_on, _review_day()
    guide.save(update_fields=["reviewed_on"])
    history_record(
        item=guide,
        user=moderator,
        action=ChangeRecord.Action.REVIEWED,
        changes={"reviewed_on": [old.isoformat() if old else None, guide.reviewed_on.isoformat()]},
    )
    return guide


# --- reports ----------------------------------------------------------------------------------


def _close_report(report: Report, *, status: str, moderator, note: str, required: bool) -> Report:
    note = _reason(note, required=required)
    report = _locked_review(Report, report)
    _record_decision(report, status, moderator, note)
    mail_user_on_commit(
        user=report.reported_by,
        template="community/email/report_closed",
        context={
            "report": report,
            "item": report.item,
            "resolved": status == ReviewStatus.APPROVED,
            "note": note,
        },
    )
    return report


@transaction.atomic
def report_resolve(*, report: Report, moderator, note: str = "") -> Report:
    """The report was right and the problem has been dealt with (fixed, merged, unpublished)."""
    return _close_report(report, status=ReviewStatus.APPROVED, moderator=moderator, note=note, required=False)


@transaction.atomic
def report_dismiss(*, report: Report, moderator, reason: str) -> Report:
    """Nothing to change: the reason says why."""
    return _close_report(
        report, status=ReviewStatus.REJECTED, moderator=moderator, note=reason, required=True
    )


def _public_url(item) -> str:
    try:
        return item.get_absolute_url()
    except Exception:
        return ""
