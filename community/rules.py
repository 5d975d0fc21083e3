"""Rules on a catalogue item's values beyond what its model's fields state, for new and edited items
alike: how a value is tidied before validation (`prepare_*`) and what is checked once the values are
converted (`*_check(item, errors)`, adding to `errors`, {field: [ValidationError]}).

The kind registry (community.kinds) names each kind's rules; the submission services run them.
They read only the item itself (and, for a topic, its parents), never write.
"""

import contextlib
import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from community.identifiers import normalize_arxiv_id, normalize_doi

_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def add_errors(errors: dict[str, list], field: str, messages: Iterable) -> None:
    errors.setdefault(field, []).extend(messages)


def year_range() -> tuple[int, int]:
    """The years a paper or an edition may have: 1800 to five years from now (the form and the API's
    serializers state the same bounds from here)."""
    return 1800, timezone.now().year + 5


def year_check(item, errors) -> None:
    year = getattr(item, "year", None)
    first, last = year_range()
    if isinstance(year, int) and not first <= year <= last:
        message = _("Give a year between 1800 and five years from now.")
        add_errors(errors, "year", [ValidationError(message, code="year")])


def _dates_in_order(item, errors, *, first: str, last: str, message) -> None:
    start, end = getattr(item, first), getattr(item, last)
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start and last not in errors:
        add_errors(errors, last, [ValidationError(message, code="order")])


def job_check(job, errors) -> None:
    message = _("The closing date is before the posting date.")
    _dates_in_order(job, errors, first="posted_on", last="closes_on", message=message)


def edition_check(edition, errors) -> None:
    year_check(edition, errors)
    message = _("The last day is before the first day.")
    _dates_in_order(edition, errors, first="start_date", last="end_date", message=message)


def prepare_person(person) -> None:
    # "https://orcid.org/0000-...-009x" -> "0000-...-009X", before the length check.
    if isinstance(person.orcid, str):
        orcid = person.orcid.strip().upper()
        for prefix in ("HTTPS://ORCID.ORG/", "HTTP://ORCID.ORG/", "ORCID.ORG/"):
            orcid = orcid.removeprefix(prefix)
        person.orcid = orcid


def person_check(person, errors) -> None:
    if person.orcid and "orcid" not in errors and not _ORCID.match(person.orcid):
        message = _("An ORCID iD looks like 0000-0002-1825-0097.")
        add_errors(errors, "orcid", [ValidationError(message, code="orcid")])


def topic_check(topic, errors) -> None:
    # A topic under itself (directly or further down) would make the taxonomy a loop; a new topic
    # has no place in the taxonomy yet, so only an edit can make one.
    if topic.pk is None:
        return
    parent, seen = topic.parent, set()
    while parent is not None and parent.pk not in seen and "parent" not in errors:
        if topic.pk and parent.pk == topic.pk:
            add_errors(
                errors, "parent", [ValidationError(_("A topic cannot sit under itself."), code="loop")]
            )
        seen.add(parent.pk)
        parent = parent.parent


def prepare_paper(paper) -> None:
    # A paper given only its edition belongs to that edition's venue.
    if paper.edition_id and not paper.venue_id:
        paper.venue = paper.edition.venue
    # Identifiers are normalised before the length check, so a pasted arXiv or doi.org address fits;
    # one that is not an identifier is left as typed for Paper.clean() to report.
    for field, normalize in (("arxiv_id", normalize_arxiv_id), ("doi", normalize_doi)):
        with contextlib.suppress(ValueError, TypeError):
            setattr(paper, field, normalize(getattr(paper, field)))
