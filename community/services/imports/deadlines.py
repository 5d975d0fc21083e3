"""Importing a deadline tracker's YAML: editions matched by the tracker's id (or venue and year),
their venues by name (created as conferences when new), their deadlines by kind and label."""

from typing import IO, Any
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from community.importers import ParseFailure
from community.importers.deadlines import EditionRecord, parse_deadlines
from community.models import Deadline, Edition, Topic, Venue

from .report import ImportReport, Outcome, RecordError, RecordResult
from .writer import REJECTED, Writer, budgeted_import, read_upload, truncate, web_address

NOTE_MAX = Deadline._meta.get_field("note").max_length


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
    return budgeted_import(
        lambda: parse_deadlines(read_upload(text=text, stream=stream)),
        lambda report, records: EditionWriter(report, user=user, pending=pending).editions(records),
        source=source,
        user=user,
        pending=pending,
        ip=ip,
    )


class EditionWriter(Writer):
    def editions(self, records: list[EditionRecord | ParseFailure]) -> None:
        for record in records:
            self._one(record, self._edition)

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
        if web_address(record.link, "link", result):
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
                values["note"] = truncate(record.note, NOTE_MAX)
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
        if record.link and not venue.website and web_address(record.link, "link", None):
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
