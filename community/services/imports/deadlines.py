"""Importing a deadline tracker's YAML, of either tracker (ai-deadlines or ccf-deadlines, told apart by
content: community.importers.ccf_deadlines): editions matched by the tracker's id (or venue and year),
their venues by dblp key, then by normalised short name (created as conferences when new), their
deadlines by kind and label; a ccf-deadlines conference file also sets the venue's ranks, field and
dblp key, and an acceptance-rate file its acceptance rates (one row per venue and year).

A deadline another source already gives at the same instant under another label is not stored twice
(the report says so); one that disagrees is kept beside it and the report names both."""

import datetime as dt
import re
from typing import IO, Any
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from community.importers.ccf_deadlines import AcceptanceRateRecord, VenueRecord, read_tracker_file
from community.importers.deadlines import MAX_FILE_CHARS, EditionRecord
from community.models import AcceptanceRate, Deadline, Edition, Provenance, Report, Topic, Venue
from community.sources import SOURCES

from .report import ImportReport, RecordError, RecordResult
from .writer import REJECTED, Writer, budgeted_import, read_upload, truncate, web_address

NOTE_MAX = Deadline._meta.get_field("note").max_length
# Two sources' times for one deadline this close are the same deadline written differently.
SAME_DEADLINE = dt.timedelta(minutes=1)


def deadlines_import(
    *,
    text: str | None = None,
    stream: IO | None = None,
    source: str = "deadlines",
    user=None,
    pending: bool = False,
    ip: str | None = None,
    revision: str = "",
) -> ImportReport:
    """Import the editions (and their venues and deadlines) of a deadline-tracker YAML file.

    Every venue, edition, deadline and acceptance rate it writes or finds keeps a Provenance row: the
    tracker (told by the file's layout), the file (`source`, from the tracker's own folders on) and
    `revision` (the tracker's commit, or the date the file was fetched), with the tracker's licence."""
    layout = ["ai-deadlines"]

    def records():
        layout[0], items = read_tracker_file(read_upload(text=text, stream=stream, limit=MAX_FILE_CHARS))
        return items

    def write(report, items):
        tracker = "ai-deadlines" if layout[0] == "ai-deadlines" else "ccf-deadlines"
        writer = EditionWriter(report, user=user, pending=pending)
        writer.origin = {"source": tracker, "file": tracker_file_name(source), "revision": revision[:100]}
        writer.origin.update(TRACKERS[tracker])
        writer.editions(items)

    return budgeted_import(
        records,
        write,
        source=source,
        user=user,
        pending=pending,
        ip=ip,
    )


# What each tracker's licence asks pages to show (shared/data/deadlines/README.md), as community.sources
# declares it.
TRACKERS = {
    key: {"licence": SOURCES[key].licence, "attribution": SOURCES[key].attribution}
    for key in ("ai-deadlines", "ccf-deadlines")
}


def tracker_file_name(source: str) -> str:
    """The file as the tracker names it, so a rerun from another folder (or an upload) finds the same
    provenance: from `conference/` or `accept_rates/` on for ccf-deadlines, else the file's name."""
    path = source.replace("\\", "/")
    for folder in ("conference/", "accept_rates/"):
        if folder in path:
            return (folder + path.rsplit(folder, 1)[1])[:500]
    return path.rsplit("/", 1)[-1][:500]


class EditionWriter(Writer):
    def editions(self, records: list) -> None:
        for record in records:
            if isinstance(record, VenueRecord):
                self._one(record, self._venue)
            elif isinstance(record, AcceptanceRateRecord):
                self._one(record, self._acceptance_rate)
            else:
                self._one(record, self._edition)

    def _venue(self, record: VenueRecord, result: RecordResult) -> None:
        """A ccf-deadlines conference: its ranks, field and dblp key are the tracker's to set; its full
        name only fills an empty one."""
        venue = _find_venue(record.name, record.dblp_key)
        created = venue is None
        if created:
            venue = self._new(Venue, record.name, name=record.name, kind=Venue.Kind.CONFERENCE)
            result.notes.append(gettext("new venue %(venue)s") % {"venue": record.name})
        values: dict[str, Any] = {
            name: getattr(record, name)
            for name in ("ccf_rank", "core_rank", "thcpl_rank", "ccf_field", "dblp_key")
            if getattr(record, name)
        }
        if record.full_name and not venue.full_name:
            values["full_name"] = record.full_name[: Venue._meta.get_field("full_name").max_length]
        changes = self._save(venue, values, created=created)
        result.title, result.item = venue.name, venue  # its provenance: Writer._one
        if self._outcome(result, created=created, changed=bool(changes)):
            self._history(venue, changes, ref=record.ref)

    def _acceptance_rate(self, record: AcceptanceRateRecord, result: RecordResult) -> None:
        venue = _find_venue(record.venue_name, "")
        if venue is None:
            raise RecordError(
                gettext("no venue %(venue)s in the catalogue; import its conference file first.")
                % {"venue": record.venue_name}
            )
        row = AcceptanceRate.objects.filter(venue=venue, year=record.year).first()
        created = row is None
        if created:
            row = AcceptanceRate(venue=venue, year=record.year)
        values: dict[str, Any] = {
            "submitted": record.submitted,
            "accepted": record.accepted,
            "rate": record.rate,
        }
        values = {name: value for name, value in values.items() if value is not None}
        if record.source and web_address(record.source, "source", result):
            values["source_url"] = record.source
        changes = self._save(row, values, created=created)
        self._provenance(row)
        result.title = f"{venue.name} {record.year}"
        if self._outcome(result, created=created, changed=bool(changes)):
            self._history(
                venue,
                {f"acceptance rate {record.year}": [None, values] if created else changes},
                ref=record.ref,
            )

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
        if edition.external_id and edition.external_id != record.external_id:
            # Found by venue and year, under the other tracker's id: keep that one, or each tracker's
            # rerun would rename the edition back.
            values["external_id"] = edition.external_id
        given = {
            "start_date": record.start_date,
            "end_date": record.end_date,
            "city": record.city,
            "country": record.country,
        }
        if web_address(record.link, "link", result):
            given["website"] = record.link
        values.update(self._place_and_dates(edition, given, created=created, result=result))
        if edition.call_closed_at is not None and any(
            wanted.kind == Deadline.Kind.PAPER and wanted.due_at >= timezone.now()
            for wanted in record.deadlines
        ):
            # The tracker moved a paper deadline past now (an extension): the call is open again.
            # community.services.expiry closes it once more when that deadline has passed.
            values["call_closed_at"] = None
        edition_changes = self._save(edition, values, created=created)

        existing = {} if created else {(d.kind, d.label): d for d in edition.deadlines.all()}
        own_labels = {(wanted.kind, wanted.label) for wanted in record.deadlines}
        others = [d for key, d in existing.items() if key not in own_labels]
        for wanted in record.deadlines:
            deadline = existing.get((wanted.kind, wanted.label))
            is_new = deadline is None
            same_kind = [d for d in others if d.kind == wanted.kind] if is_new else []
            twin = next((d for d in same_kind if abs(d.due_at - wanted.due_at) < SAME_DEADLINE), None)
            if twin is not None:
                # The other tracker gives this deadline already, under its own label: not twice, but
                # the row now has both sources. (23:59 and 23:59:59 are the same deadline.)
                self._provenance(twin)
                result.notes.append(
                    gettext(
                        "%(kind)s deadline %(label)s: already listed at the same time (to the minute); not added again."
                    )
                    % {"kind": wanted.kind, "label": repr(wanted.label)}
                )
                continue
            if same_kind:
                disagreement = gettext(
                    "%(kind)s deadline %(label)s (%(due)s) disagrees with %(others)s; both kept."
                ) % {
                    "kind": wanted.kind,
                    "label": repr(wanted.label),
                    "due": wanted.due_at.isoformat(),
                    "others": ", ".join(f"{d.label!r} ({d.due_at.isoformat()})" for d in same_kind),
                }
                result.notes.append(disagreement)
                # For the moderators' queue: once, when the second row is made (a rerun finds it).
                Report.objects.create(
                    content_type=ContentType.objects.get_for_model(edition),
                    object_id=edition.pk,
                    reported_by=self.user,
                    reason=Report.Reason.WRONG,
                    message=f"{self.report.source}: {disagreement}",
                )
            if is_new:
                deadline = Deadline(venue=venue, edition=edition, kind=wanted.kind, label=wanted.label)
            values = {"due_at": wanted.due_at, "timezone_label": wanted.timezone_label}
            if record.note:
                values["note"] = truncate(record.note, NOTE_MAX)
            if not is_new and self._given_by_another(deadline):
                # Both trackers name this deadline alike: the first one's stays (see _place_and_dates).
                values = self._fill_only(
                    deadline, values, result, same=abs(deadline.due_at - wanted.due_at) < SAME_DEADLINE
                )
            deadline_changes = self._save(deadline, values, created=is_new)
            self._provenance(deadline)
            name = f"deadline {wanted.kind}{' (' + wanted.label + ')' if wanted.label else ''}"
            if is_new:
                edition_changes[name] = [None, f"{wanted.due_at.isoformat()} {wanted.timezone_label}"]
            elif deadline_changes:
                edition_changes[name] = [
                    {k: old for k, (old, _) in deadline_changes.items()},
                    {k: new for k, (_, new) in deadline_changes.items()},
                ]

        result.title, result.item = str(edition), edition  # its provenance: Writer._one
        self._outcome(result, created=created, changed=bool(edition_changes or venue_changes))
        if created or edition_changes:
            self._history(edition, edition_changes, ref=record.ref)

    def _place_and_dates(self, edition: Edition, given: dict, *, created: bool, result: RecordResult) -> dict:
        """The edition's dates, place and website as this tracker gives them. When another tracker
        gives the edition too, each only fills what is empty (the report names a value it left), so
        importing both trackers' files again changes nothing instead of swapping their spellings."""
        given = {name: value for name, value in given.items() if value}
        if created or not self._given_by_another(edition):
            return given
        return self._fill_only(edition, given, result)

    def _given_by_another(self, item) -> bool:
        """Whether another tracker than this import's gives `item` too (a Provenance row says so)."""
        return bool(self.origin) and (
            Provenance.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk)
            .exclude(source=self.origin["source"])
            .exists()
        )

    def _fill_only(self, item, values: dict, result: RecordResult, *, same: bool = False) -> dict:
        """The values that fill an empty field of `item`; the report names each other value left out
        (`same`: a time equal to the minute, written in another zone, is not worth a note)."""
        kept = {name: value for name, value in values.items() if getattr(item, name) in (None, "")}
        for name, value in values.items():
            if name not in kept and getattr(item, name) != value and not same:
                result.notes.append(
                    gettext("%(field)s: another tracker gives %(kept)s; %(value)s left out.")
                    % {"field": name, "kept": repr(str(getattr(item, name))), "value": repr(str(value))}
                )
        return kept

    def _venue_for_edition(self, record: EditionRecord, result: RecordResult) -> tuple[Venue, bool, dict]:
        """The venue `title` names (case-insensitively), created as a conference when there is none;
        an existing venue only gets what it lacks (full name, website, topics from the tags)."""
        venue = _find_venue(record.venue_name, record.dblp_key)
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
        self._provenance(venue)
        return venue, created, changes


def _normalised(name: str) -> str:
    return re.sub(r"[\W_]+", "", name).casefold()


def _find_venue(name: str, dblp_key: str) -> Venue | None:
    """The venue with this dblp key; else the one whose short name is `name` ignoring case, spaces and
    punctuation ("CoRL" is "CORL", "ACL-IJCNLP" is "ACL IJCNLP")."""
    if dblp_key:
        venue = Venue.objects.filter(dblp_key=dblp_key).order_by("pk").first()
        if venue is not None:
            return venue
    venue = Venue.objects.filter(name__iexact=name).order_by("pk").first()
    if venue is not None:
        return venue
    wanted = _normalised(name)
    if not wanted:
        return None
    first = Venue.objects.filter(name__istartswith=name[:1]).order_by("pk").only("pk", "name")
    pk = next((v.pk for v in first if _normalised(v.name) == wanted), None)
    return Venue.objects.get(pk=pk) if pk is not None else None
