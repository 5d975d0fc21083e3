"""Writing imported records: BibTeX files, arXiv ids and deadline-tracker YAML.

One service per format; the management commands and the moderators' upload page call them. The
readers in `community.importers` turn the input into plain records; here each record is matched
against the catalogue and written in its own savepoint, so a record that fails leaves nothing behind
(no half-made paper, no orphan author) and the records around it are still written.

Idempotent: a record is matched by what identifies it (a paper's DOI, then its arXiv id, then its
normalised title and year; an edition's tracker id), and a row is only saved when a field the record
states differs, so a second run reports every record unchanged and moves no `updated_at`. A field
the record leaves empty is left as it is. Imported items are published at once (`pending=True`
leaves new ones for the moderation queue); `status` and `created_by` of existing items are never
touched. Each created or changed item gets an "imported" entry in its history, by the uploading
moderator or, from a command, by nobody.

An import that leaves its items for the moderation queue (`pending=True`) by a user is a submission:
it is refused with RateLimited when the user or the address (`ip`) has spent the one submission
budget (community.services.rate_limits), and spends one unit when it wrote anything (one file or one
list of ids, however many records: a moderator's batch is one request to the queue). Imports that
publish at once, and those from a command (no user, no address), are not limited.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy

from community.identifiers import normalize_title
from community.importers import ImportFileError, PaperRecord, ParseFailure
from community.importers.arxiv import fetch_arxiv
from community.importers.bibtex import parse_bibtex
from community.importers.deadlines import EditionRecord, parse_deadlines
from community.models import (
    Authorship,
    ChangeRecord,
    Deadline,
    Edition,
    ModerationStatus,
    Paper,
    Person,
    Topic,
    Venue,
)
from community.services.history import diff_values, field_values, history_record
from community.services.rate_limits import submission_rate_check, submission_rate_hit
from community.services.similar import similar_papers_refresh_later
from community.services.slugs import base_slug, unique_slug

REJECTED = ModerationStatus.REJECTED
NOTE_MAX = Deadline._meta.get_field("note").max_length
_URL = URLValidator(schemes=["http", "https"])
URL_MAX = Paper._meta.get_field("url").max_length


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """The outcome in the reader's language, for the upload page's report."""
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {
    Outcome.CREATED: pgettext_lazy("import outcome", "created"),
    Outcome.UPDATED: pgettext_lazy("import outcome", "updated"),
    Outcome.UNCHANGED: pgettext_lazy("import outcome", "unchanged"),
    Outcome.FAILED: pgettext_lazy("import outcome", "failed"),
}


@dataclass
class RecordResult:
    """What happened to one record. `reason` says why it failed; `notes` what else to know."""

    ref: str
    outcome: Outcome
    title: str = ""
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    item: models.Model | None = None


@dataclass
class ImportReport:
    """One line per record, in input order."""

    source: str
    results: list[RecordResult] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome.value: self.count(outcome) for outcome in Outcome}

    @property
    def failed(self) -> int:
        return self.count(Outcome.FAILED)

    def summary(self) -> str:
        counts = ", ".join(f"{n} {outcome}" for outcome, n in self.counts.items())
        return f"{self.source}: {counts}"

    def lines(self) -> list[str]:
        lines = []
        for result in self.results:
            text = f"{result.outcome.value:<9}  {result.ref}"
            if result.title:
                text += f": {result.title}"
            if result.reason:
                text += f" — {result.reason}"
            lines.extend([text, *(f"{'':<11}note: {note}" for note in result.notes)])
        return lines


class RecordError(Exception):
    """A record that cannot be written as it is; the message says why and what to do."""


# --- the services --------------------------------------------------------------------------------


def bibtex_import(
    *,
    text: str | None = None,
    stream: IO | None = None,
    source: str = "BibTeX",
    user=None,
    pending: bool = False,
    ip: str | None = None,
) -> ImportReport:
    """Import every entry of a BibTeX file (given as `text` or a `stream` of bytes or text)."""
    _check_budget(user=user, ip=ip, pending=pending)
    report = ImportReport(source=source)
    try:
        records = parse_bibtex(_read(text=text, stream=stream))
    except ImportFileError as exc:
        report.results.append(RecordResult(ref=source, outcome=Outcome.FAILED, reason=str(exc)))
        return report
    _Writer(report, user=user, pending=pending).papers(records)
    _spend_budget(report, user=user, ip=ip, pending=pending)
    return report


def arxiv_import(
    *,
    ids: Iterable[str],
    user=None,
    pending: bool = False,
    client=None,
    source: str = "arXiv",
    ip: str | None = None,
) -> ImportReport:
    """Import the papers with these arXiv ids from the arXiv API (`client`: an `arxiv.Client`)."""
    _check_budget(user=user, ip=ip, pending=pending)
    report = ImportReport(source=source)
    _Writer(report, user=user, pending=pending).papers(fetch_arxiv(ids, client=client))
    _spend_budget(report, user=user, ip=ip, pending=pending)
    return report


def deadlines_import(
    *,
    text: str | None = None,
    stream: IO | None = None,
    source: str = "deadlines",
    user=None,
    pending: bool = False,
    ip: str | None = None,
) -> ImportReport:
    """Import the editions (and their venues and deadlines) of a deadline-tracker YAML file."""
    _check_budget(user=user, ip=ip, pending=pending)
    report = ImportReport(source=source)
    try:
        records = parse_deadlines(_read(text=text, stream=stream))
    except ImportFileError as exc:
        report.results.append(RecordResult(ref=source, outcome=Outcome.FAILED, reason=str(exc)))
        return report
    _Writer(report, user=user, pending=pending).editions(records)
    _spend_budget(report, user=user, ip=ip, pending=pending)
    return report


def _check_budget(*, user, ip: str | None, pending: bool) -> None:
    if pending:
        submission_rate_check(user=user, ip=ip)


def _spend_budget(report: ImportReport, *, user, ip: str | None, pending: bool) -> None:
    if pending and (report.count(Outcome.CREATED) or report.count(Outcome.UPDATED)):
        submission_rate_hit(user=user, ip=ip)


def _read(*, text: str | None, stream: IO | None) -> str:
    if (text is None) == (stream is None):
        raise TypeError("give exactly one of text and stream")
    data = text if text is not None else stream.read()
    if isinstance(data, bytes):
        try:
            # utf-8-sig: editors on Windows start files with a byte-order mark.
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                gettext("the file is not UTF-8 text (byte %(position)s); save it as UTF-8 and try again.")
                % {"position": exc.start}
            ) from exc
    # NUL is never part of BibTeX or YAML text, and PostgreSQL refuses it in any text column.
    return data.replace("\x00", "")


def describe_validation_error(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


# --- writing -------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, report: ImportReport, *, user, pending: bool) -> None:
        self.report = report
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.status = ModerationStatus.PENDING if pending else ModerationStatus.PUBLISHED
        # normalised name -> person pks, oldest first; built on first use (one query per import).
        self._people: dict[str, list[int]] | None = None
        self._people_added: list[tuple[str, int]] = []  # this record's new people, until it commits
        self._venues: dict[str, Venue | None] = {}

    def papers(self, records: list[PaperRecord | ParseFailure]) -> None:
        for record in records:
            self._one(record, self._paper)
        written = (Outcome.CREATED, Outcome.UPDATED)
        if self.status == ModerationStatus.PUBLISHED and any(
            r.outcome in written for r in self.report.results
        ):
            # Published at once, so their similar papers are recomputed (on a worker, after commit).
            similar_papers_refresh_later()

    def editions(self, records: list[EditionRecord | ParseFailure]) -> None:
        for record in records:
            self._one(record, self._edition)

    def _one(self, record, write: Callable[[Any, RecordResult], None]) -> None:
        if isinstance(record, ParseFailure):
            self.report.results.append(
                RecordResult(ref=record.ref, outcome=Outcome.FAILED, reason=record.reason)
            )
            return
        result = RecordResult(ref=record.ref, outcome=Outcome.UNCHANGED, notes=list(record.notes))
        self._people_added = []
        try:
            with transaction.atomic():
                write(record, result)
        except ValidationError as exc:
            result.outcome, result.reason, result.item = Outcome.FAILED, describe_validation_error(exc), None
        except (RecordError, DatabaseError, ValueError) as exc:
            result.outcome, result.reason, result.item = Outcome.FAILED, str(exc), None
        else:
            # Only people whose record committed stay matchable; a rolled-back one no longer exists.
            if self._people is not None:
                for key, pk in self._people_added:
                    self._people[key].append(pk)
        self.report.results.append(result)

    def _save(self, obj: models.Model, values: dict[str, Any], *, created: bool) -> dict[str, list]:
        """Set `values`, validate, and save only when something differs; returns {field: [old, new]}."""
        before = {} if created else field_values(obj)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.full_clean()  # also normalises what the model normalises (DOI case), before comparing
        changes = diff_values(before, field_values(obj))
        if created or changes:
            obj.save()
        return changes

    def _history(self, item: models.Model, changes: dict, *, ref: str) -> None:
        history_record(
            item=item,
            user=self.user,
            action=ChangeRecord.Action.IMPORTED,
            changes=changes,
            note=f"{self.report.source}: {ref}"[:1000],
        )

    def _new(self, model: type[models.Model], slug_text: str, **values) -> models.Model:
        # Imported rows have no creator (see CatalogueItem.created_by); the history names the moderator.
        return model(slug=unique_slug(model, slug_text), status=self.status, created_by=None, **values)

    # --- papers ----------------------------------------------------------------------------------

    def _paper(self, record: PaperRecord, result: RecordResult) -> None:
        paper = self._find_paper(record)
        created = paper is None
        values: dict[str, Any] = {"title": record.title, "year": record.year}
        for name in ("abstract", "arxiv_id", "doi", "volume", "issue", "pages"):
            if getattr(record, name):
                values[name] = getattr(record, name)
        for name in ("url", "pdf_url"):
            if _web_address(getattr(record, name), name, result):
                values[name] = getattr(record, name)
        venue = self._venue_for_paper(record.venue_name)
        if venue is not None:
            values["venue"] = venue
            edition = Edition.objects.filter(venue=venue, year=record.year).first()
            if edition is not None:
                values["edition"] = edition
            elif paper is not None and paper.edition_id and paper.edition.venue_id != venue.pk:
                values["edition"] = None
        elif record.venue_name:
            result.notes.append(
                gettext("no venue in the catalogue is called “%(venue)s”: imported without a venue")
                % {"venue": record.venue_name}
            )

        if created:
            paper = self._new(Paper, record.title)
        changes = self._save(paper, values, created=created)
        if record.authors:
            before = [] if created else [a.person.name for a in paper.authorships.select_related("person")]
            people = self._people_for(record.authors, result)
            if created or [a.person_id for a in paper.authorships.all()] != [p.pk for p in people]:
                # Positions are unique per paper, so reordering in place would collide: replace the list.
                paper.authorships.all().delete()
                for position, person in enumerate(people):
                    authorship = Authorship(paper=paper, person=person, position=position)
                    authorship.full_clean()
                    authorship.save()
                changes["authors"] = [before, [p.name for p in people]]
        result.title, result.item = str(paper), paper
        if created:
            result.outcome = Outcome.CREATED
        elif changes:
            result.outcome = Outcome.UPDATED
        if created or changes:
            self._history(paper, changes, ref=record.ref)

    def _find_paper(self, record: PaperRecord) -> Paper | None:
        matches: dict[int, Paper] = {}
        for name in ("doi", "arxiv_id"):
            value = getattr(record, name)
            if value:
                found = Paper.objects.filter(**{name: value}).first()
                if found is not None:
                    matches[found.pk] = found
        if len(matches) > 1:
            first, second = matches.values()
            raise RecordError(
                gettext(
                    "its DOI matches “%(first)s” but its arXiv id matches “%(second)s”; merge those two papers first."
                )
                % {"first": first, "second": second}
            )
        paper = next(iter(matches.values()), None)
        if paper is None:
            paper = self._find_by_title(record)
        if paper is not None and paper.status == REJECTED:
            raise RecordError(
                gettext("it matches “%(paper)s”, which moderators rejected; not imported.") % {"paper": paper}
            )
        return paper

    def _find_by_title(self, record: PaperRecord) -> Paper | None:
        wanted = normalize_title(record.title)
        candidates = (
            Paper.objects.filter(year=record.year).order_by("pk").only("pk", "title", "doi", "arxiv_id")
        )
        for candidate in candidates:
            if normalize_title(candidate.title) != wanted:
                continue
            # Same title, another identifier: another paper that happens to share the title.
            if any(getattr(record, n) and getattr(candidate, n) for n in ("doi", "arxiv_id")):
                continue
            return Paper.objects.get(pk=candidate.pk)
        return None

    def _venue_for_paper(self, text: str) -> Venue | None:
        """The venue a booktitle or journal names: by short or full name, case-insensitively, also
        without "Proceedings of (the)" or as the abbreviation in trailing parentheses."""
        if not text:
            return None
        if text not in self._venues:
            candidates = [text]
            stripped = text
            for prefix in ("proceedings of the ", "proceedings of "):
                if stripped.lower().startswith(prefix):
                    stripped = stripped[len(prefix) :]
                    candidates.append(stripped)
            if stripped.endswith(")") and "(" in stripped:
                head, _, abbreviation = stripped[:-1].rpartition("(")
                candidates += [abbreviation.strip(), head.strip()]
            venue = None
            for candidate in filter(None, candidates):
                venue = (
                    Venue.objects.exclude(status=REJECTED)
                    .filter(Q(name__iexact=candidate) | Q(full_name__iexact=candidate))
                    .order_by("pk")
                    .first()
                )
                if venue is not None:
                    break
            self._venues[text] = venue
        return self._venues[text]

    def _people_for(self, names: tuple[str, ...], result: RecordResult) -> list[Person]:
        """A person per author name: an existing one with the same normalised name, else a new one.

        Two authors of one paper with the same name are two people: the second takes the next
        person of that name, so a rerun finds the same two.
        """
        if self._people is None:
            self._people = defaultdict(list)
            for pk, name in Person.objects.exclude(status=REJECTED).order_by("pk").values_list("pk", "name"):
                self._people[base_slug(Person, name)].append(pk)
        used: dict[str, int] = defaultdict(int)
        chosen: list[Person | int] = []
        for name in names:
            key = base_slug(Person, name)
            known = self._people[key] + [pk for k, pk in self._people_added if k == key]
            index = used[key]
            used[key] += 1
            if index < len(known):
                chosen.append(known[index])
                if len(known) > 1 and index == 0:
                    result.notes.append(
                        gettext("%(count)s people are called %(name)s: linked the first")
                        % {"count": len(known), "name": name}
                    )
                continue
            person = self._new(Person, name, name=name)
            self._history(person, self._save(person, {}, created=True), ref=result.ref)
            self._people_added.append((key, person.pk))
            chosen.append(person)
        existing = Person.objects.in_bulk([c for c in chosen if isinstance(c, int)])
        return [existing[c] if isinstance(c, int) else c for c in chosen]

    # --- editions and deadlines ------------------------------------------------------------------

    def _edition(self, record: EditionRecord, result: RecordResult) -> None:
        venue, venue_created, venue_changes = self._venue_for_edition(record, result)
        edition = Edition.objects.filter(external_id=record.external_id).select_related("venue").first()
        if edition is None and not venue_created:
            # An edition entered by hand (or by the seed) without the tracker's id: adopt it.
            edition = Edition.objects.filter(venue=venue, year=record.year).first()
        if edition is not None and edition.venue_id != venue.pk:
            raise RecordError(
                gettext(
                    "the catalogue has the edition %(edition)s under %(venue)s, "
                    "not %(other)s; correct the title or the edition."
                )
                % {"edition": record.external_id, "venue": edition.venue.name, "other": venue.name}
            )
        if edition is not None and edition.status == REJECTED:
            raise RecordError(
                gettext("moderators rejected the edition %(edition)s; not imported.") % {"edition": edition}
            )
        created = edition is None
        if created:
            edition = self._new(Edition, f"{venue.slug}-{record.year}", venue=venue)
        values: dict[str, Any] = {"year": record.year, "external_id": record.external_id}
        for name, value in (
            ("start_date", record.start_date),
            ("end_date", record.end_date),
            ("city", record.city),
            ("country", record.country),
        ):
            if value:
                values[name] = value
        if _web_address(record.link, "link", result):
            values["website"] = record.link
        if edition.call_closed_at is not None and any(
            wanted.kind == Deadline.Kind.PAPER and wanted.due_at >= timezone.now()
            for wanted in record.deadlines
        ):
            # The tracker moved a paper deadline past now (an extension): the call is open again.
            # community.services.expiry closes it once more when that deadline has passed.
            values["call_closed_at"] = None
        edition_changes = self._save(edition, values, created=created)

        existing = {} if created else {(d.kind, d.label): d for d in edition.deadlines.all()}
        for wanted in record.deadlines:
            deadline = existing.get((wanted.kind, wanted.label))
            is_new = deadline is None
            if is_new:
                deadline = Deadline(venue=venue, edition=edition, kind=wanted.kind, label=wanted.label)
            values = {"due_at": wanted.due_at, "timezone_label": wanted.timezone_label}
            if record.note:
                values["note"] = _truncate(record.note, NOTE_MAX)
            deadline_changes = self._save(deadline, values, created=is_new)
            name = f"deadline {wanted.kind}{' (' + wanted.label + ')' if wanted.label else ''}"
            if is_new:
                edition_changes[name] = [None, f"{wanted.due_at.isoformat()} {wanted.timezone_label}"]
            elif deadline_changes:
                edition_changes[name] = [
                    {k: old for k, (old, _) in deadline_changes.items()},
                    {k: new for k, (_, new) in deadline_changes.items()},
                ]

        result.title, result.item = str(edition), edition
        if created:
            result.outcome = Outcome.CREATED
        elif edition_changes or venue_changes:
            result.outcome = Outcome.UPDATED
        if created or edition_changes:
            self._history(edition, edition_changes, ref=record.ref)

    def _venue_for_edition(self, record: EditionRecord, result: RecordResult) -> tuple[Venue, bool, dict]:
        """The venue `title` names (case-insensitively), created as a conference when there is none;
        an existing venue only gets what it lacks (full name, website, topics from the tags)."""
        venue = Venue.objects.filter(name__iexact=record.venue_name).order_by("pk").first()
        if venue is not None and venue.status == REJECTED:
            raise RecordError(
                gettext("moderators rejected the venue %(venue)s; not imported.") % {"venue": venue.name}
            )
        created = venue is None
        values: dict[str, Any] = {}
        if created:
            venue = self._new(Venue, record.venue_name, name=record.venue_name, kind=Venue.Kind.CONFERENCE)
            result.notes.append(gettext("new venue %(venue)s") % {"venue": record.venue_name})
        if record.full_name and not venue.full_name:
            values["full_name"] = record.full_name
        if record.link and not venue.website and _web_address(record.link, "link", None):
            parts = urlsplit(record.link)
            if parts.scheme in ("http", "https") and parts.netloc:
                # The tracker's link is the edition's page; the venue gets the site it lives on.
                values["website"] = f"{parts.scheme}://{parts.netloc}/"
        changes = self._save(venue, values, created=created)

        if record.tags:
            topics = list(
                Topic.objects.exclude(status=REJECTED).filter(
                    Q(slug__in=record.tags) | Q(name__in=record.tags)
                )
            )
            found = {t.slug for t in topics} | {t.name for t in topics}
            unknown = [tag for tag in record.tags if tag not in found]
            if unknown:
                result.notes.append(
                    gettext("tags that name no topic: %(tags)s") % {"tags": ", ".join(unknown)}
                )
            have = set() if created else set(venue.topics.values_list("pk", flat=True))
            missing = [t for t in topics if t.pk not in have]
            if missing:
                venue.topics.add(*missing)
                changes["topics"] = [sorted(have), sorted(have | {t.pk for t in missing})]
        if created or changes:
            self._history(venue, changes, ref=record.ref)
        return venue, created, changes


def _web_address(value: str, name: str, result: RecordResult | None) -> bool:
    """Whether `value` is an http(s) address; a bad one is left out with a note rather than failing
    the whole record over a link."""
    if not value:
        return False
    try:
        if len(value) > URL_MAX:
            raise ValidationError("too long")
        _URL(value)
    except ValidationError:
        if result is not None:
            result.notes.append(
                gettext("%(field)s “%(value)s” is not a web address; left out")
                % {"field": name, "value": value}
            )
        return False
    return True


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
