"""A paper's authors: an ordered list of names, each matched to a person or submitted as a new one."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from community.models import Authorship, Paper, Person
from community.services.slugs import unique_slug

from .fields import PUBLISHED, REJECTED, author_user, clean_text, record_submitted
from .validation import MAX_AUTHORS, save


def author_names(value: Any, *, required: bool = False) -> tuple[list[str], list]:
    """The ordered author list from a list of names or text with one name per line, and its errors
    (none given is one when `required`)."""
    names, errors = _author_names(value)
    if required and not names and not errors:
        errors = [ValidationError(_("Give at least one author, one name per line."), code="required")]
    return names, errors


def _author_names(value: Any) -> tuple[list[str], list]:
    if value in (None, ""):
        return [], []
    if isinstance(value, str):
        value = value.splitlines()
    names, errors, seen = [], [], set()
    for position, raw in enumerate(value, start=1):
        try:
            name = clean_text(str(raw))
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


def people_for(names: list[str], *, user, status: str, note: str) -> list[Person]:
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
            person = Person(
                name=name, slug=unique_slug(Person, name), status=status, created_by=author_user(user)
            )
            person.full_clean()
            save(person)
            record_submitted(person, user=user, note=note)
            existing[name] = person
        people.append(person)
    return people


def set_authors(paper: Paper, people: list[Person]) -> None:
    Authorship.objects.filter(paper=paper).delete()
    Authorship.objects.bulk_create(
        [Authorship(paper=paper, person=person, position=position) for position, person in enumerate(people)]
    )


def author_list(paper: Paper) -> list[str]:
    return list(
        Authorship.objects.filter(paper=paper).order_by("position").values_list("person__name", flat=True)
    )
