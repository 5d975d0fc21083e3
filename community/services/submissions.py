"""Submissions, suggested edits and problem reports: the one write path for each.

Web forms and the REST API call these functions with plain data (a form's `cleaned_data`, a
serializer's `validated_data`): related items as instances or primary keys, dates as objects or ISO
text. Every check happens here, not in the caller, and a problem is a ValidationError whose
`error_dict` names the field, so a form can show it beside the field and the API can return it.

What a submission creates is *pending*: it reaches no public page before a moderator approves it
(community.services.moderation). A suggested edit changes nothing until then either.

Duplicates (community.services.duplicates): the same identifier as an existing item is refused with
`DuplicateItem` (code "duplicate", the existing item in `params["item"]` and in `.item`); a
near-identical title is held back with `NearDuplicate` (code "near_duplicate", the similar items in
`params["items"]` and `.items`) until the caller submits again with `confirm=True`.

Every public function here is `submission_limited` (community.services.rate_limits): it also takes
`ip=` (the client address; None from a command) and raises RateLimited when the user or the address
has used up the one submission budget, whichever path (form, API, import) the write came through.
"""

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as translation_language

from community.identifiers import normalize_arxiv_id, normalize_doi
from community.kinds import EDITABLE_FIELDS
from community.models import (
    Authorship,
    ChangeRecord,
    Channel,
    Deadline,
    Edition,
    EditSuggestion,
    FundingOpportunity,
    Guide,
    JobPosting,
    ModerationStatus,
    Organization,
    Paper,
    Person,
    Project,
    Report,
    Topic,
    Venue,
)
from community.models.venues import zone_for_label
from community.services.duplicates import (
    DuplicateCheck,
    named_duplicates,
    paper_duplicates,
    project_duplicates,
    similar_titles,
)
from community.services.history import field_values, history_record
from community.services.rate_limits import submission_limited
from community.services.slugs import unique_slug
from community.translation import translated_fields

PENDING = ModerationStatus.PENDING
PUBLISHED = ModerationStatus.PUBLISHED
REJECTED = ModerationStatus.REJECTED

MAX_AUTHORS = 500
MAX_DEADLINES = 12


def year_range() -> tuple[int, int]:
    """The years a paper or an edition may have: 1800 to five years from now (the form and the API's
    serializers state the same bounds from here)."""
    return 1800, timezone.now().year + 5
MAX_MESSAGE_LENGTH = 5000
_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")

# Keys a caller may send besides the editable fields: the deadline as a local time plus its zone.
_ALIASES: dict[type[models.Model], tuple[str, ...]] = {FundingOpportunity: ("deadline_local",)}


# --- errors -----------------------------------------------------------------------------------


class DuplicateItem(ValidationError):
    """Refused: `item` already has the identifier in `field` (arXiv id, DOI, repository, name)."""

    def __init__(self, *, field: str, item: models.Model):
        self.item = item
        self.field = field
        error = ValidationError(
            _("“%(item)s” is already in the catalogue with the same %(what)s."),
            code="duplicate",
            params={"item": item, "what": _field_label(type(item), field)},
        )
        super().__init__({field: [error]})


class NearDuplicate(ValidationError):
    """Held back: `items` have a near-identical title. Submitting again with confirm=True accepts it."""

    def __init__(self, *, field: str, items: Iterable[models.Model]):
        self.items = list(items)
        self.field = field
        error = ValidationError(
            _(
                "Items with a very similar title are already in the catalogue. Check them; if yours is a "
                "different one, confirm that and submit again."
            ),
            code="near_duplicate",
            params={"items": self.items},
        )
        super().__init__({field: [error]})


def _field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _add(errors: dict[str, list], field: str, messages: Iterable) -> None:
    errors.setdefault(field, []).extend(messages)


def _merge(errors: dict[str, list], exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, items in exc.error_dict.items():
            _add(errors, field, items)
    else:
        _add(errors, NON_FIELD_ERRORS, exc.error_list)


# --- plain values in, model values out --------------------------------------------------------


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _clean_text(value: Any) -> Any:
    """Strip text and normalise line ends (a browser sends \\r\\n); refuse NUL, which PostgreSQL cannot store."""
    if not isinstance(value, str):
        return value
    if "\x00" in value:
        raise ValidationError(_("Null characters are not allowed."), code="null_characters_not_allowed")
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


# A model's name inside a message ("Choose a published venue."): the English is its verbose name,
# translated here rather than with verbose_name on the models, which would also change the slugs
# services/slugs.py derives from that name and need migrations.
MODEL_NAMES = {
    "paper": pgettext_lazy("model name", "paper"),
    "papers": pgettext_lazy("model name", "papers"),
    "project": pgettext_lazy("model name", "project"),
    "projects": pgettext_lazy("model name", "projects"),
    "venue": pgettext_lazy("model name", "venue"),
    "venues": pgettext_lazy("model name", "venues"),
    "edition": pgettext_lazy("model name", "edition"),
    "editions": pgettext_lazy("model name", "editions"),
    "organization": pgettext_lazy("model name", "organization"),
    "organizations": pgettext_lazy("model name", "organizations"),
    "person": pgettext_lazy("model name", "person"),
    "people": pgettext_lazy("model name", "people"),
    "topic": pgettext_lazy("model name", "topic"),
    "topics": pgettext_lazy("model name", "topics"),
}


def _model_name(model: type[models.Model], *, plural: bool = False) -> str:
    name = str(model._meta.verbose_name_plural if plural else model._meta.verbose_name)
    return str(MODEL_NAMES.get(name, name))


def _published(model: type[models.Model], value: Any) -> models.Model | None:
    """The published `model` item `value` names (an instance or a primary key); '' and None: None."""
    if value in (None, ""):
        return None
    if isinstance(value, model) and value.pk and value.status == PUBLISHED:
        return value
    pk = value.pk if isinstance(value, models.Model) else value
    try:
        return model.objects.published().get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError(
            _("Choose a published %(model)s."),
            code="invalid_choice",
            params={"model": _model_name(model)},
        ) from exc


def _published_many(model: type[models.Model], values: Any, *, kept: set = frozenset()) -> list[models.Model]:
    """The items `values` names (instances or primary keys): published ones, or ones in `kept`."""
    if values in (None, ""):
        return []
    if isinstance(values, str | int | models.Model):
        values = [values]
    chosen, pks = [], []
    for value in values:
        if isinstance(value, model) and value.pk and value.status == PUBLISHED:
            chosen.append(value)
        else:
            pks.append(value.pk if isinstance(value, models.Model) else value)
    if pks:
        try:
            found = model.objects.filter(Q(status=PUBLISHED) | Q(pk__in=kept)).in_bulk(pks)
        except (ValueError, TypeError) as exc:
            raise ValidationError(_("Give the ids of published items."), code="invalid_choice") from exc
        missing = [str(pk) for pk in pks if _as_pk(pk) not in found]
        if missing:
            raise ValidationError(
                _("These are not published %(model)s: %(missing)s."),
                code="invalid_choice",
                params={"model": _model_name(model, plural=True), "missing": ", ".join(missing)},
            )
        chosen.extend(found[_as_pk(pk)] for pk in pks)
    unique = {item.pk: item for item in chosen}
    return list(unique.values())


def _as_pk(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _assign(item: models.Model, data: dict, *, fields: Iterable[str]) -> tuple[dict, dict[str, list]]:
    """Set `data`'s values for `fields` on `item` (in memory). Returns (many-to-many values, errors)."""
    errors: dict[str, list] = {}
    m2m: dict[str, list[models.Model]] = {}
    for name in fields:
        if name not in data or name == "authors":
            continue
        value = data[name]
        field = item._meta.get_field(name)
        try:
            if field.many_to_many:
                # Links an existing item already has may stay even if they are not published (yet):
                # only what is added must be.
                kept = set(getattr(item, name).values_list("pk", flat=True)) if item.pk else set()
                m2m[name] = _published_many(field.related_model, value, kept=kept)
            elif field.many_to_one:
                current = getattr(item, field.attname)
                if item.pk and current is not None and _as_pk(getattr(value, "pk", value)) == current:
                    continue  # unchanged, whatever its status
                setattr(item, name, _published(field.related_model, value))
            else:
                value = _clean_text(value)
                if value is None and field.empty_strings_allowed and not field.null:
                    value = ""
                setattr(item, field.attname, value)
        except ValidationError as exc:
            _add(errors, name, exc.error_list)
    return m2m, errors


def _check_keys(data: dict, allowed: Iterable[str]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(
            {key: [ValidationError(_("Unknown field."), code="unknown")] for key in unknown}
        )


def _full_clean(
    item: models.Model, errors: dict[str, list], *, check=None, exclude: Iterable[str] = ()
) -> None:
    """Field validation and the model's clean(), then `check(item, errors)` on the converted values;
    raises every error found. Uniqueness comes later, after the duplicate check, whose answer (with a
    link to the existing item) is more useful than "already exists"."""
    try:
        item.full_clean(exclude=[*errors, *exclude], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _merge(errors, exc)
    if check is not None:
        check(item, errors)
    if errors:
        raise ValidationError(errors)


def _validate_unique(item: models.Model) -> None:
    errors: dict[str, list] = {}
    for check in (item.validate_unique, item.validate_constraints):
        try:
            check()
        except ValidationError as exc:
            _merge(errors, exc)
    if errors:
        raise ValidationError(errors)


def _save(item: models.Model, **kwargs) -> None:
    # Two submissions of the same identifier at the same moment both pass the checks above; the
    # database's unique constraint then refuses the second, which is told so instead of a 500.
    try:
        with transaction.atomic():
            item.save(**kwargs)
    except IntegrityError as exc:
        raise ValidationError(
            _("Someone saved the same item a moment ago. Reload the page and check before submitting again."),
            code="conflict",
        ) from exc


def _raise_duplicates(check: DuplicateCheck, *, field: str, confirm: bool) -> None:
    if check.exact is not None:
        raise DuplicateItem(field=check.exact_field, item=check.exact)
    if check.similar and not confirm:
        raise NearDuplicate(field=field, items=check.similar)


def _to_utc(value: Any, label: str) -> dt.datetime | None:
    """A local date-time in the zone `label` names -> the aware UTC instant. An aware value is already
    an instant and is only converted. Raises ValueError (bad time) or LookupError (bad zone)."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is None:
            raise ValueError(value)
        value = parsed
    if not isinstance(value, dt.datetime):
        raise ValueError(value)
    if timezone.is_aware(value):
        return value.astimezone(dt.UTC)
    try:
        zone = zone_for_label(label)
    except Exception as exc:
        raise LookupError(label) from exc
    return value.replace(tzinfo=zone).astimezone(dt.UTC)


def _zone_error() -> ValidationError:
    return ValidationError(
        _("Unknown time zone: use AoE, UTC, UTC+8, UTC-5 or an IANA name such as Europe/Berlin."),
        code="invalid_timezone",
    )


def _funding_deadline(data: dict) -> dict[str, list]:
    """Turn `deadline_local` + `deadline_timezone` into the stored `deadline` (UTC)."""
    errors: dict[str, list] = {}
    if "deadline_local" not in data:
        return errors
    local = data.pop("deadline_local")
    label = (data.get("deadline_timezone") or "UTC").strip()
    data["deadline_timezone"] = label
    try:
        data["deadline"] = _to_utc(local, label)
    except LookupError:
        _add(errors, "deadline_timezone", [_zone_error()])
    except ValueError:
        _add(errors, "deadline_local", [ValidationError(_("Enter a date and time."), code="invalid")])
    return errors


def _history_snapshot(item: models.Model, m2m: dict | None = None) -> dict[str, list]:
    """{field: [None, value]} for a new item. No creator: who submitted is the record's user, which
    is removed (not kept as text) when the account is deleted."""
    values = field_values(item)
    values.pop("created_by", None)
    changes = {name: [None, value] for name, value in values.items() if value not in (None, "")}
    for name, related in (m2m or {}).items():
        if related:
            changes[name] = [None, sorted(obj.pk for obj in related)]
    return changes


# --- people named as authors ------------------------------------------------------------------


def _author_names(value: Any) -> tuple[list[str], list]:
    """The ordered author list from a list of names or text with one name per line."""
    if value in (None, ""):
        return [], []
    if isinstance(value, str):
        value = value.splitlines()
    names, errors, seen = [], [], set()
    for position, raw in enumerate(value, start=1):
        try:
            name = _clean_text(str(raw))
        except ValidationError as exc:
            errors.extend(exc.error_list)
            continue
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > Person._meta.get_field("name").max_length:
            errors.append(
                ValidationError(
                    _("Author %(number)s: a name is at most 200 characters."),
                    code="max_length",
                    params={"number": position},
                )
            )
        elif name in seen:
            errors.append(
                ValidationError(_("“%(name)s” is listed twice."), code="repeated", params={"name": name})
            )
        seen.add(name)
        names.append(name)
    if len(names) > MAX_AUTHORS:
        errors.append(ValidationError(_("At most 500 authors."), code="max_authors"))
    return names, errors


def _people_for(names: list[str], *, user, status: str, note: str) -> list[Person]:
    """A Person per name, in order: the existing person of exactly that name (published first), else a
    new one with `status`. Rejected people never match: a refused entry must not come back."""
    existing: dict[str, Person] = {}
    candidates = (
        Person.objects.exclude(status=REJECTED)
        .filter(name__in=names)
        .order_by(
            Case(When(status=PUBLISHED, then=Value(0)), default=Value(1), output_field=IntegerField()), "pk"
        )
    )
    for person in candidates:
        existing.setdefault(person.name, person)
    people = []
    for name in names:
        person = existing.get(name)
        if person is None:
            person = Person(name=name, slug=unique_slug(Person, name), status=status, created_by=_user(user))
            person.full_clean()
            _save(person)
            history_record(
                item=person,
                user=user,
                action=ChangeRecord.Action.SUBMITTED,
                changes=_history_snapshot(person),
                note=note,
            )
            existing[name] = person
        people.append(person)
    return people


def _set_authors(paper: Paper, people: list[Person]) -> None:
    Authorship.objects.filter(paper=paper).delete()
    Authorship.objects.bulk_create(
        [Authorship(paper=paper, person=person, position=position) for position, person in enumerate(people)]
    )


def _author_list(paper: Paper) -> list[str]:
    return list(
        Authorship.objects.filter(paper=paper).order_by("position").values_list("person__name", flat=True)
    )


# --- submitting new items ---------------------------------------------------------------------


def _new_item(
    model: type[models.Model],
    *,
    data: dict,
    user,
    confirm: bool,
    slug_from: Callable[[models.Model], str],
    duplicates: Callable[[models.Model], DuplicateCheck] | None,
    title_field: str,
    fixed: dict | None = None,
    extra_errors: dict[str, list] | None = None,
    prepare: Callable[[models.Model], None] | None = None,
    check: Callable[[models.Model, dict[str, list]], None] | None = None,
) -> tuple[models.Model, dict]:
    """Build, validate and save a pending `model` item from `data`; returns it and its m2m values
    (set already). The caller's transaction also covers what it adds afterwards."""
    data = dict(data)
    fields = EDITABLE_FIELDS[model]
    _check_keys(data, (*fields, *_ALIASES.get(model, ())))
    item = model(status=PENDING, created_by=_user(user), **(fixed or {}))
    m2m, errors = _assign(item, data, fields=fields)
    for name, messages in (extra_errors or {}).items():
        _add(errors, name, messages)
    if prepare is not None:
        prepare(item)
    item.slug = unique_slug(model, slug_from(item) or str(model._meta.verbose_name))
    _full_clean(item, errors, check=check)
    if duplicates is not None:
        _raise_duplicates(duplicates(item), field=title_field, confirm=confirm)
    _validate_unique(item)
    _save(item)
    for name, related in m2m.items():
        getattr(item, name).set(related)
    return item, m2m


def _record_submission(item: models.Model, *, user, m2m: dict, confirm: bool, check=None, extra=None) -> None:
    note = ""
    if confirm and check is not None and check.similar:
        # The moderator sees what the submitter was warned about and chose to submit anyway.
        note = _("Submitted despite similar items: %(items)s") % {
            "items": "; ".join(f"“{other}” (#{other.pk})" for other in check.similar)
        }
    changes = _history_snapshot(item, m2m)
    changes.update(extra or {})
    history_record(item=item, user=user, action=ChangeRecord.Action.SUBMITTED, changes=changes, note=note)


def _year_check(item, errors):
    year = getattr(item, "year", None)
    first, last = year_range()
    if isinstance(year, int) and not first <= year <= last:
        _add(
            errors,
            "year",
            [ValidationError(_("Give a year between 1800 and five years from now."), code="year")],
        )


def _dates_in_order(item, errors, *, first: str, last: str, message) -> None:
    start, end = getattr(item, first), getattr(item, last)
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start and last not in errors:
        _add(errors, last, [ValidationError(message, code="order")])


def _closes_after_posted(job, errors):
    _dates_in_order(
        job,
        errors,
        first="posted_on",
        last="closes_on",
        message=_("The closing date is before the posting date."),
    )


def _edition_dates(edition, errors):
    _year_check(edition, errors)
    _dates_in_order(
        edition,
        errors,
        first="start_date",
        last="end_date",
        message=_("The last day is before the first day."),
    )


def _prepare_person(person: Person) -> None:
    # "https://orcid.org/0000-...-009x" -> "0000-...-009X", before the length check.
    if isinstance(person.orcid, str):
        orcid = person.orcid.strip().upper()
        for prefix in ("HTTPS://ORCID.ORG/", "HTTP://ORCID.ORG/", "ORCID.ORG/"):
            orcid = orcid.removeprefix(prefix)
        person.orcid = orcid


def _orcid_check(person, errors):
    if person.orcid and "orcid" not in errors and not _ORCID.match(person.orcid):
        _add(
            errors,
            "orcid",
            [ValidationError(_("An ORCID iD looks like 0000-0002-1825-0097."), code="orcid")],
        )


def _topic_parent_check(topic, errors):
    # A topic under itself (directly or further down) would make the taxonomy a loop.
    parent, seen = topic.parent, set()
    while parent is not None and parent.pk not in seen and "parent" not in errors:
        if topic.pk and parent.pk == topic.pk:
            _add(errors, "parent", [ValidationError(_("A topic cannot sit under itself."), code="loop")])
        seen.add(parent.pk)
        parent = parent.parent


# Checks beyond the model's own, run on new and edited items alike.
_CHECKS: dict[type[models.Model], Callable] = {
    Topic: _topic_parent_check,
    Paper: _year_check,
    Edition: _edition_dates,
    JobPosting: _closes_after_posted,
    Person: _orcid_check,
}


def _prepare_paper(paper: Paper) -> None:
    # A paper given only its edition belongs to that edition's venue.
    if paper.edition_id and not paper.venue_id:
        paper.venue = paper.edition.venue
    # Identifiers are normalised before the length check, so a pasted arXiv or doi.org address fits;
    # one that is not an identifier is left as typed for Paper.clean() to report.
    for field, normalize in (("arxiv_id", normalize_arxiv_id), ("doi", normalize_doi)):
        with contextlib.suppress(ValueError, TypeError):
            setattr(paper, field, normalize(getattr(paper, field)))


# Normalisation before validation, for new and edited items alike.
_PREPARE: dict[type[models.Model], Callable] = {Paper: _prepare_paper, Person: _prepare_person}


@submission_limited
@transaction.atomic
def paper_submit(*, data: dict, user, confirm: bool = False) -> Paper:
    """A pending paper with its authors in order (`authors`: a list of names, or text with one name
    per line). Each name is matched to the person of exactly that name, else a pending person is
    created; approving the paper publishes them with it."""
    data = dict(data)
    names, author_errors = _author_names(data.pop("authors", None))
    if not names and not author_errors:
        author_errors = [ValidationError(_("Give at least one author, one name per line."), code="required")]
    found: dict[str, DuplicateCheck] = {}

    def duplicates(paper):
        found["check"] = paper_duplicates(title=paper.title, arxiv_id=paper.arxiv_id, doi=paper.doi)
        return found["check"]

    paper, m2m = _new_item(
        Paper,
        data=data,
        user=user,
        confirm=confirm,
        slug_from=lambda p: p.title,
        duplicates=duplicates,
        title_field="title",
        extra_errors={"authors": author_errors} if author_errors else None,
        prepare=_prepare_paper,
        check=_year_check,
    )
    people = _people_for(
        names,
        user=user,
        status=PENDING,
        note=_("Named as an author of the submitted paper “%(title)s”.") % {"title": paper.title},
    )
    _set_authors(paper, people)
    _record_submission(
        paper, user=user, m2m=m2m, confirm=confirm, check=found.get("check"), extra={"authors": [None, names]}
    )
    return paper


@submission_limited
@transaction.atomic
def project_submit(*, data: dict, user, confirm: bool = False) -> Project:
    found = {}

    def duplicates(project):
        found["check"] = project_duplicates(name=project.name, repository_url=project.repository_url)
        return found["check"]

    project, m2m = _new_item(
        Project,
        data=data,
        user=user,
        confirm=confirm,
        slug_from=lambda p: p.name,
        duplicates=duplicates,
        title_field="name",
    )
    _record_submission(project, user=user, m2m=m2m, confirm=confirm, check=found.get("check"))
    return project


def _named_submit(model, *, data, user, confirm, fixed=None):
    found = {}

    def duplicates(item):
        found["check"] = named_duplicates(model, name=item.name)
        return found["check"]

    item, m2m = _new_item(
        model,
        data=data,
        user=user,
        confirm=confirm,
        slug_from=lambda i: i.name,
        duplicates=duplicates,
        title_field="name",
        fixed=fixed,
    )
    _record_submission(item, user=user, m2m=m2m, confirm=confirm, check=found.get("check"))
    return item


@submission_limited
@transaction.atomic
def venue_submit(*, data: dict, user, confirm: bool = False, kind: str = Venue.Kind.JOURNAL) -> Venue:
    """A pending venue (a journal unless `kind`, the argument or a key of `data`, says conference);
    names are unique, case-insensitively."""
    data = dict(data)
    kind = data.pop("kind", None) or kind
    if kind not in Venue.Kind.values:
        raise ValidationError(
            {"kind": [ValidationError(_("Choose conference or journal."), code="invalid_choice")]}
        )
    return _named_submit(Venue, data=data, user=user, confirm=confirm, fixed={"kind": kind})


@submission_limited
def journal_submit(*, data: dict, user, confirm: bool = False) -> Venue:
    return venue_submit(data=data, user=user, confirm=confirm, kind=Venue.Kind.JOURNAL)


@submission_limited
@transaction.atomic
def organization_submit(*, data: dict, user, confirm: bool = False) -> Organization:
    return _named_submit(Organization, data=data, user=user, confirm=confirm)


@submission_limited
@transaction.atomic
def channel_submit(*, data: dict, user, confirm: bool = False) -> Channel:
    return _named_submit(Channel, data=data, user=user, confirm=confirm)


@submission_limited
@transaction.atomic
def topic_submit(*, data: dict, user, confirm: bool = False) -> Topic:
    return _named_submit(Topic, data=data, user=user, confirm=confirm)


def _similar_with(model, title_field, same: str | None):
    """Near-identical titles, among items of the same organisation when `same` names that field (job
    titles such as "Research scientist" repeat across employers)."""

    def duplicates(item):
        similar = similar_titles(model, getattr(item, title_field), field_name=title_field)
        if same:
            similar = [
                other for other in similar if getattr(other, f"{same}_id") == getattr(item, f"{same}_id")
            ]
        return DuplicateCheck(similar=similar)

    return duplicates


def _titled_submit(model, *, data, user, confirm, same=None, check=None, extra_errors=None):
    found = {}
    similar = _similar_with(model, "title", same)

    def duplicates(item):
        found["check"] = similar(item)
        return found["check"]

    item, m2m = _new_item(
        model,
        data=data,
        user=user,
        confirm=confirm,
        slug_from=lambda i: i.title,
        duplicates=duplicates,
        title_field="title",
        check=check,
        extra_errors=extra_errors,
    )
    _record_submission(item, user=user, m2m=m2m, confirm=confirm, check=found.get("check"))
    return item


@submission_limited
@transaction.atomic
def job_submit(*, data: dict, user, confirm: bool = False) -> JobPosting:
    data = dict(data)
    data.setdefault("posted_on", timezone.now().date())
    return _titled_submit(
        JobPosting, data=data, user=user, confirm=confirm, same="organization", check=_closes_after_posted
    )


@submission_limited
@transaction.atomic
def funding_submit(*, data: dict, user, confirm: bool = False) -> FundingOpportunity:
    """A pending funding opportunity; its deadline may be given as `deadline_local` (the date-time as
    announced) plus `deadline_timezone`, and is stored as the UTC instant."""
    data = dict(data)
    errors = _funding_deadline(data)
    return _titled_submit(
        FundingOpportunity, data=data, user=user, confirm=confirm, same="funder", extra_errors=errors
    )


@submission_limited
@transaction.atomic
def guide_submit(*, data: dict, user, confirm: bool = False) -> Guide:
    return _titled_submit(Guide, data=data, user=user, confirm=confirm)


@submission_limited
@transaction.atomic
def person_submit(*, data: dict, user, confirm: bool = False) -> Person:
    """A pending person; an ORCID iD someone already has is refused, a near-identical name is held back
    (people do share names: confirming submits anyway)."""
    found = {}

    def duplicates(person):
        if person.orcid:
            same = Person.objects.exclude(status=REJECTED).filter(orcid=person.orcid).first()
            if same:
                return DuplicateCheck(exact=same, exact_field="orcid")
        found["check"] = DuplicateCheck(similar=similar_titles(Person, person.name, field_name="name"))
        return found["check"]

    person, m2m = _new_item(
        Person,
        data=data,
        user=user,
        confirm=confirm,
        slug_from=lambda p: p.name,
        duplicates=duplicates,
        title_field="name",
        prepare=_prepare_person,
        check=_orcid_check,
    )
    _record_submission(person, user=user, m2m=m2m, confirm=confirm, check=found.get("check"))
    return person


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
            kind = _clean_text(row.get("kind") or "")
            label = _clean_text(row.get("label") or "")
            note = _clean_text(row.get("note") or "")
            zone = _clean_text(row.get("timezone_label") or "AoE")
        except ValidationError as exc:
            errors.extend(exc.error_list)
            continue
        if kind not in Deadline.Kind.values:
            problems.append(_("choose a kind of deadline"))
        if len(label) > 200 or len(note) > 300 or len(zone) > 64:
            problems.append(_("the label is at most 200 characters, the note 300"))
        due_at = None
        try:
            due_at = _to_utc(row.get("due_local", row.get("due_at")), zone)
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


@submission_limited
@transaction.atomic
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
    _check_keys(data, EDITABLE_FIELDS[Edition])
    errors: dict[str, list] = {}
    if deadline_errors:
        _add(errors, "deadlines", deadline_errors)
    try:
        new_name, new_full_name = _clean_text(new_name), _clean_text(new_full_name)
    except ValidationError as exc:
        _add(errors, "new_venue_name", exc.error_list)
        new_name = new_full_name = ""

    venue = None
    if venue_value not in (None, "") and new_name:
        _add(
            errors,
            "venue",
            [ValidationError(_("Choose a conference or name a new one, not both."), code="both")],
        )
    elif venue_value not in (None, ""):
        try:
            venue = _published(Venue, venue_value)
        except ValidationError as exc:
            _add(errors, "venue", exc.error_list)
    elif new_name:
        existing = named_duplicates(Venue, name=new_name).exact
        if existing is not None:
            raise DuplicateItem(field="new_venue_name", item=existing)
        venue = Venue(
            name=new_name,
            full_name=new_full_name,
            kind=Venue.Kind.CONFERENCE,
            status=PENDING,
            created_by=_user(user),
            slug=unique_slug(Venue, new_name),
        )
        try:
            venue.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                _add(errors, "new_venue_full_name" if field == "full_name" else "new_venue_name", messages)
    else:
        _add(
            errors,
            "venue",
            [ValidationError(_("Choose the conference, or name a new one."), code="required")],
        )

    edition = Edition(status=PENDING, created_by=_user(user))
    _m2m, assign_errors = _assign(edition, data, fields=EDITABLE_FIELDS[Edition])
    for name, messages in assign_errors.items():
        _add(errors, name, messages)
    # The venue and slug are checked once the venue is known (a new one is saved first, below).
    _full_clean(edition, errors, check=_edition_dates, exclude=("venue", "slug"))
    if venue.pk is not None:
        same = Edition.objects.exclude(status=REJECTED).filter(venue=venue, year=edition.year).first()
        if same is not None:
            raise DuplicateItem(field="year", item=same)
    else:
        _validate_unique(venue)
        _save(venue)
        history_record(
            item=venue,
            user=user,
            action=ChangeRecord.Action.SUBMITTED,
            changes=_history_snapshot(venue),
            note=_("Created with a submitted edition."),
        )
    edition.venue = venue
    edition.slug = unique_slug(Edition, f"{venue.name} {edition.year}")
    edition.full_clean()
    _save(edition)

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
    _record_submission(edition, user=user, m2m={}, confirm=confirm, extra=extra)
    return edition


# Which submit function serves which model (the REST API looks them up here).
SUBMIT_SERVICES: dict[type[models.Model], Callable[..., models.Model]] = {
    Paper: paper_submit,
    Project: project_submit,
    Venue: venue_submit,
    Edition: edition_submit,
    JobPosting: job_submit,
    FundingOpportunity: funding_submit,
    Channel: channel_submit,
    Organization: organization_submit,
    Person: person_submit,
    Guide: guide_submit,
    Topic: topic_submit,
}


@submission_limited
def item_submit(*, model: type[models.Model], data: dict, user, confirm: bool = False) -> models.Model:
    """Submit an item of any kind: the per-model function above for `model`."""
    try:
        service = SUBMIT_SERVICES[model]
    except KeyError as exc:
        raise ValidationError(_("This kind of item cannot be submitted."), code="not_submittable") from exc
    return service(data=data, user=user, confirm=confirm)


# --- suggested edits --------------------------------------------------------------------------


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
    fields = EDITABLE_FIELDS.get(model)
    if fields is None:
        raise ValidationError(_("This kind of item cannot be edited here."), code="not_editable")
    data = dict(changes)
    _check_keys(data, (*fields, *_ALIASES.get(model, ())))
    errors = _funding_deadline(data) if model is FundingOpportunity else {}
    before = _raw_values(item)
    before_plain = field_values(item)
    m2m, assign_errors = _assign(item, data, fields=fields)
    for name, messages in assign_errors.items():
        _add(errors, name, messages)
    names = None
    if "authors" in data:
        names, author_errors = _author_names(data["authors"])
        if not names and not author_errors:
            author_errors = [
                ValidationError(_("Give at least one author, one name per line."), code="required")
            ]
        if author_errors:
            _add(errors, "authors", author_errors)
    if model in _PREPARE:
        _PREPARE[model](item)
    _full_clean(item, errors, check=_CHECKS.get(model))
    # An identifier another item already has is refused with a link, as for a new submission.
    if isinstance(item, Paper):
        exact = paper_duplicates(title="", arxiv_id=item.arxiv_id, doi=item.doi, exclude_pk=item.pk)
    elif isinstance(item, Project):
        exact = project_duplicates(name="", repository_url=item.repository_url, exclude_pk=item.pk)
    elif model in (Venue, Organization, Channel, Topic):
        exact = named_duplicates(model, name=item.name, exclude_pk=item.pk)
    else:
        exact = DuplicateCheck()
    if exact.exact is not None:
        raise DuplicateItem(field=exact.exact_field, item=exact.exact)
    _validate_unique(item)

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
    for name, related in m2m.items():
        old = _m2m_pks(item, name)
        new = sorted(obj.pk for obj in related)
        if old != new:
            proposed[name] = new
            diff[name] = [old, new]
    if names is not None and isinstance(item, Paper):
        old_names = _author_list(item)
        if old_names != names:
            proposed["authors"] = names
            diff["authors"] = [old_names, names]
    return proposed, diff


def item_changes_save(*, item: models.Model, proposed: dict, user, author_status: str) -> None:
    """Save an item that item_changes_apply validated, with its many-to-many values and authors."""
    _save(item)
    for name, value in proposed.items():
        if name == "authors":
            people = _people_for(
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
            _set_authors(item, people)
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
    if model not in EDITABLE_FIELDS:
        raise ValidationError(_("This kind of item cannot be edited here."), code="not_editable")
    fresh = model.objects.filter(pk=item.pk).first()
    if fresh is None or fresh.status != PUBLISHED:
        raise ValidationError(_("Only published items can be edited."), code="not_published")
    errors: dict[str, list] = {}
    try:
        comment = _clean_text(comment or "")
    except ValidationError as exc:
        _add(errors, "comment", exc.error_list)
    if len(comment or "") > MAX_MESSAGE_LENGTH:
        _add(errors, "comment", [ValidationError(_("At most 5000 characters."), code="max_length")])
    if errors:
        raise ValidationError(errors)
    proposed, _diff = item_changes_apply(item=fresh, changes=changes)
    if not proposed:
        raise ValidationError(_("Nothing was changed: edit at least one field."), code="no_changes")
    translated = set(translated_fields(model)) & set(proposed)
    suggestion = EditSuggestion(
        content_type=ContentType.objects.get_for_model(model),
        object_id=fresh.pk,
        submitted_by=_user(user),
        changes=proposed,
        language=translation_language() if translated else "",
        comment=comment,
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


# --- problem reports --------------------------------------------------------------------------


@submission_limited
@transaction.atomic
def report_create(*, item: models.Model, reason: str, message: str = "", user) -> Report:
    """Report a problem with a published item (wrong facts, duplicate, dead link, spam...)."""
    if not getattr(item, "pk", None) or getattr(item, "status", None) != PUBLISHED:
        raise ValidationError(_("Only published items can be reported."), code="not_published")
    errors: dict[str, list] = {}
    try:
        message = _clean_text(message or "")
    except ValidationError as exc:
        _add(errors, "message", exc.error_list)
        message = ""
    if len(message) > MAX_MESSAGE_LENGTH:
        _add(errors, "message", [ValidationError(_("At most 5000 characters."), code="max_length")])
    report = Report(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        reported_by=_user(user),
        reason=reason or "",
        message=message,
    )
    try:
        report.full_clean(exclude=list(errors))
    except ValidationError as exc:
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)
    report.save()
    return report
