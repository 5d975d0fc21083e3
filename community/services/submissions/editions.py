"""A conference edition with its deadlines, each given as announced (a local time and its zone)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.timezones import to_utc
from community.kinds import KIND
from community.models import Deadline, Edition, Venue
from community.rules import add_errors
from community.services.duplicates import named_duplicates
from community.services.slugs import unique_slug

from .fields import (
    PENDING,
    REJECTED,
    assign,
    author_user,
    check_keys,
    clean_text,
    published,
    record_submitted,
)
from .submit import _serves, record_submission
from .validation import MAX_DEADLINES, DuplicateItem, full_clean, save, validate_unique


def _deadline_rows(rows: Any) -> tuple[list[dict], list]:
    """Validate deadline rows ({kind, label, due_local, timezone_label, note}) into Deadline values."""
    if rows in (None, ""):
        return [], []
    if not isinstance(rows, list | tuple):
        return [], [ValidationError(_("Give the deadlines as a list."), code="invalid")]
    if len(rows) > MAX_DEADLINES:
        return [], [ValidationError(_("At most 12 deadlines."), code="max_deadlines")]
    cleaned, errors, seen = [], [], set()
    allowed = {"kind", "label", "due_local", "due_at", "timezone_label", "note"}
    for number, row in enumerate(rows, start=1):
        problems = []
        if not isinstance(row, dict) or set(row) - allowed:
            errors.append(
                ValidationError(_("Deadline %(n)s: unknown fields."), code="invalid", params={"n": number})
            )
            continue
        try:
            kind = clean_text(row.get("kind") or "")
            label = clean_text(row.get("label") or "")
            note = clean_text(row.get("note") or "")
            zone = clean_text(row.get("timezone_label") or "AoE")
        except ValidationError as exc:
            errors.extend(exc.error_list)
            continue
        if kind not in Deadline.Kind.values:
            problems.append(_("choose a kind of deadline"))
        if len(label) > 200 or len(note) > 300 or len(zone) > 64:
            problems.append(_("the label is at most 200 characters, the note 300"))
        due_at = None
        try:
            due_at = to_utc(row.get("due_local", row.get("due_at")), zone)
            if due_at is None:
                problems.append(_("give the date and time"))
        except LookupError:
            problems.append(_("unknown time zone (use AoE, UTC, UTC+8 or an IANA name)"))
        except ValueError:
            problems.append(_("the date and time are not valid"))
        if (kind, label) in seen:
            problems.append(_("the same kind and label appear twice; give one of them a label"))
        seen.add((kind, label))
        if problems:
            errors.append(
                ValidationError(
                    _("Deadline %(n)s: %(problems)s."),
                    code="invalid",
                    params={"n": number, "problems": "; ".join(str(p) for p in problems)},
                )
            )
            continue
        cleaned.append({"kind": kind, "label": label, "due_at": due_at, "timezone_label": zone, "note": note})
    return cleaned, errors


@_serves("edition")
def edition_submit(*, data: dict, user, confirm: bool = False) -> Edition:
    """A pending conference edition with its deadlines. The conference is a published venue
    (`venue`) or a new one (`new_venue_name`, optional `new_venue_full_name`), created pending and
    published with the edition.

    `deadlines`: a list of {kind, label, due_local, timezone_label, note}; `due_local` is the
    date-time as announced (naive) in `timezone_label` (AoE, UTC, UTC±N or an IANA name) and is
    stored as the UTC instant beside that label.
    """
    data = dict(data)
    rows, deadline_errors = _deadline_rows(data.pop("deadlines", None))
    new_name = data.pop("new_venue_name", "") or ""
    new_full_name = data.pop("new_venue_full_name", "") or ""
    venue_value = data.pop("venue", None)
    check_keys(data, KIND["edition"].fields)
    errors: dict[str, list] = {}
    if deadline_errors:
        add_errors(errors, "deadlines", deadline_errors)
    try:
        new_name, new_full_name = clean_text(new_name), clean_text(new_full_name)
    except ValidationError as exc:
        add_errors(errors, "new_venue_name", exc.error_list)
        new_name = new_full_name = ""

    venue = None
    if venue_value not in (None, "") and new_name:
        add_errors(
            errors,
            "venue",
            [ValidationError(_("Choose a conference or name a new one, not both."), code="both")],
        )
    elif venue_value not in (None, ""):
        try:
            venue = published(Venue, venue_value)
        except ValidationError as exc:
            add_errors(errors, "venue", exc.error_list)
    elif new_name:
        existing = named_duplicates(Venue, name=new_name).exact
        if existing is not None:
            raise DuplicateItem(field="new_venue_name", item=existing)
        venue = Venue(
            name=new_name,
            full_name=new_full_name,
            kind=Venue.Kind.CONFERENCE,
            status=PENDING,
            created_by=author_user(user),
            slug=unique_slug(Venue, new_name),
        )
        try:
            venue.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                add_errors(
                    errors, "new_venue_full_name" if field == "full_name" else "new_venue_name", messages
                )
    else:
        add_errors(
            errors,
            "venue",
            [ValidationError(_("Choose the conference, or name a new one."), code="required")],
        )

    edition = Edition(status=PENDING, created_by=author_user(user))
    _m2m, assign_errors = assign(edition, data, fields=KIND["edition"].fields)
    for name, messages in assign_errors.items():
        add_errors(errors, name, messages)
    # The venue and slug are checked once the venue is known (a new one is saved first, below).
    full_clean(edition, errors, check=KIND["edition"].check, exclude=("venue", "slug"))
    if venue.pk is not None:
        same = Edition.objects.exclude(status=REJECTED).filter(venue=venue, year=edition.year).first()
        if same is not None:
            raise DuplicateItem(field="year", item=same)
    else:
        validate_unique(venue)
        save(venue)
        record_submitted(
            venue,
            user=user,
            note=_("Created with a submitted edition."),
        )
    edition.venue = venue
    edition.slug = unique_slug(Edition, f"{venue.name} {edition.year}")
    edition.full_clean()
    save(edition)

    deadlines = [Deadline(venue=venue, edition=edition, **row) for row in rows]
    for number, deadline in enumerate(deadlines, start=1):
        try:
            deadline.full_clean()
        except ValidationError as exc:
            message = _("Deadline %(n)s: %(problem)s") % {"n": number, "problem": " ".join(exc.messages)}
            raise ValidationError({"deadlines": [message]}) from exc
    Deadline.objects.bulk_create(deadlines)
    extra = {}
    if deadlines:
        extra["deadlines"] = [
            None,
            [
                {
                    "kind": d.kind,
                    "label": d.label,
                    "due_at": d.due_at.isoformat(),
                    "timezone_label": d.timezone_label,
                    "note": d.note,
                }
                for d in deadlines
            ],
        ]
    record_submission(edition, user=user, m2m={}, confirm=confirm, extra=extra)
    return edition
