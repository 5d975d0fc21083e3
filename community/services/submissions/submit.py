"""Submitting new items: one path for every kind, read from its registry entry (community.kinds).

What a submission creates is *pending*: it reaches no public page before a moderator approves it
(community.services.moderation). The per-kind functions below only add what their kind needs on
top of `kind_submit` (a paper's authors, a venue's kind, a job's posting date, a funding deadline
as announced); `SUBMIT_SERVICES` says which one serves which model.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.kinds import KIND, Kind
from community.models import Paper, Venue
from community.rules import add_errors
from community.services.duplicates import DuplicateCheck, duplicates_of
from community.services.rate_limits import submission_limited
from community.services.slugs import unique_slug
from community.translation import language_columns, translated_fields

from .authors import author_names, people_for, set_authors
from .fields import PENDING, assign, author_user, check_keys, record_submitted
from .validation import full_clean, funding_deadline, raise_duplicates, save, validate_unique

# Which submit function serves which model (the REST API looks them up here); filled by @_serves.
SUBMIT_SERVICES: dict[type[models.Model], Callable[..., models.Model]] = {}


def _serves(name: str):
    """Register a kind's submit function, behind the submission budget and in one transaction."""

    def register(service: Callable) -> Callable:
        limited = submission_limited(transaction.atomic(service))
        SUBMIT_SERVICES[KIND[name].model] = limited
        return limited

    return register


def record_submission(item: models.Model, *, user, m2m: dict, confirm: bool, check=None, extra=None) -> None:
    note = ""
    if confirm and check is not None and check.similar:
        # The moderator sees what the submitter was warned about and chose to submit anyway.
        note = _("Submitted despite similar items: %(items)s") % {
            "items": "; ".join(f"“{other}” (#{other.pk})" for other in check.similar)
        }
    record_submitted(item, user=user, m2m=m2m, extra=extra, note=note)


def title_text(item: models.Model, field: str) -> str:
    """The item's title in whichever language it was written (English first for a title stored per
    language, such as a guide's written only in Chinese): what its slug is made from."""
    columns = (
        [column for column, _code in language_columns(field)]
        if field in translated_fields(type(item))
        else []
    )
    return next((value for name in (*columns, field) if (value := getattr(item, name, None))), "")


def kind_submit(
    kind: Kind,
    *,
    data: dict,
    user,
    confirm: bool,
    fixed: dict | None = None,
    extra_errors: dict[str, list] | None = None,
    after: Callable[[models.Model], dict] | None = None,
) -> models.Model:
    """Build, validate, check for duplicates (the kind's declared check) and save a pending item of
    `kind` from `data`, then record it. `fixed`: values set beside the contributor's; `after(item)`
    adds what the kind keeps elsewhere (a paper's authors) and returns it for the history. The
    caller's transaction covers it all."""
    data = dict(data)
    check_keys(data, (*kind.fields, *kind.aliases), model=kind.model)
    item = kind.model(status=PENDING, created_by=author_user(user), **(fixed or {}))
    m2m, errors = assign(item, data, fields=kind.fields)
    for name, messages in (extra_errors or {}).items():
        add_errors(errors, name, messages)
    if kind.prepare is not None:
        kind.prepare(item)
    item.slug = unique_slug(
        kind.model, title_text(item, kind.title_field) or str(kind.model._meta.verbose_name)
    )
    full_clean(item, errors, check=kind.check)
    found: DuplicateCheck = duplicates_of(kind, item)
    raise_duplicates(found, field=kind.title_field, confirm=confirm)
    validate_unique(item)
    save(item)
    for name, related in m2m.items():
        getattr(item, name).set(related)
    extra = after(item) if after is not None else None
    record_submission(item, user=user, m2m=m2m, confirm=confirm, check=found, extra=extra)
    return item


@_serves("paper")
def paper_submit(*, data: dict, user, confirm: bool = False) -> Paper:
    """A pending paper with its authors in order (`authors`: a list of names, or text with one name
    per line). Each name is matched to the person of exactly that name, else a pending person is
    created; approving the paper publishes them with it."""
    data = dict(data)
    names, author_errors = author_names(data.pop("authors", None), required=True)

    def authors(paper):
        note = _("Named as an author of the submitted paper “%(title)s”.") % {"title": paper.title}
        set_authors(paper, people_for(names, user=user, status=PENDING, note=note))
        return {"authors": [None, names]}

    errors = {"authors": author_errors} if author_errors else None
    return kind_submit(
        KIND["paper"], data=data, user=user, confirm=confirm, extra_errors=errors, after=authors
    )


@_serves("venue")
def venue_submit(*, data: dict, user, confirm: bool = False, kind: str = Venue.Kind.JOURNAL) -> Venue:
    """A pending venue (a journal unless `kind`, the argument or a key of `data`, says conference);
    names are unique, case-insensitively."""
    data = dict(data)
    kind = data.pop("kind", None) or kind
    if kind not in Venue.Kind.values:
        raise ValidationError(
            {"kind": [ValidationError(_("Choose conference or journal."), code="invalid_choice")]}
        )
    return kind_submit(KIND["venue"], data=data, user=user, confirm=confirm, fixed={"kind": kind})


@submission_limited
def journal_submit(*, data: dict, user, confirm: bool = False) -> Venue:
    return venue_submit(data=data, user=user, confirm=confirm, kind=Venue.Kind.JOURNAL)


@_serves("job")
def job_submit(*, data: dict, user, confirm: bool = False):
    data = dict(data)
    data.setdefault("posted_on", timezone.now().date())
    return kind_submit(KIND["job"], data=data, user=user, confirm=confirm)


@_serves("funding")
def funding_submit(*, data: dict, user, confirm: bool = False):
    """A pending funding opportunity; its deadline may be given as `deadline_local` (the date-time as
    announced) plus `deadline_timezone`, and is stored as the UTC instant."""
    data = dict(data)
    errors = funding_deadline(data)
    return kind_submit(KIND["funding"], data=data, user=user, confirm=confirm, extra_errors=errors)


def _plain(name: str) -> Callable:
    """The submit function of a kind that needs nothing beyond its registry entry."""

    def submit(*, data: dict, user, confirm: bool = False):
        return kind_submit(KIND[name], data=data, user=user, confirm=confirm)

    submit.__name__ = submit.__qualname__ = f"{name}_submit"
    submit.__doc__ = f"A pending {name}: the fields, duplicate check and rules of its registry entry."
    return _serves(name)(submit)


project_submit = _plain("project")
organization_submit = _plain("organization")
channel_submit = _plain("channel")
topic_submit = _plain("topic")
guide_submit = _plain("guide")
person_submit = _plain("person")


@submission_limited
def item_submit(*, model: type[models.Model], data: dict, user, confirm: bool = False) -> models.Model:
    """Submit an item of any kind: the function above that serves `model`."""
    try:
        service = SUBMIT_SERVICES[model]
    except KeyError as exc:
        raise ValidationError(_("This kind of item cannot be submitted."), code="not_submittable") from exc
    return service(data=data, user=user, confirm=confirm)
