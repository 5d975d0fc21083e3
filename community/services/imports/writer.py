"""What every import shares: the budget it spends, reading the upload, and the writer base that
saves each record in its own savepoint, changes only what differs and records the history."""

from collections.abc import Callable
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext

from community.importers import ImportFileError, ParseFailure
from community.models import ChangeRecord, ModerationStatus, Paper, Provenance
from community.services.field_edits import protected_fields, without_protected
from community.services.history import diff_values, field_values, history_record
from community.services.rate_limits import submission_rate_check, submission_rate_hit
from community.services.slugs import unique_slug

from .report import ImportReport, Outcome, RecordError, RecordResult, describe_validation_error

REJECTED = ModerationStatus.REJECTED
_URL = URLValidator(schemes=["http", "https"])
URL_MAX = Paper._meta.get_field("url").max_length


def budgeted_import(
    records: Callable[[], list],
    write: Callable[[ImportReport, list], None],
    *,
    source: str,
    user,
    pending,
    ip,
) -> ImportReport:
    """Read `records()` and `write(report, records)` them, within the submission budget when the
    import leaves its items pending (see the package); an unreadable file is the report's one failure."""
    if pending:
        submission_rate_check(user=user, ip=ip)
    report = ImportReport(source=source)
    try:
        items = records()
    except ImportFileError as exc:
        report.results.append(RecordResult(ref=source, outcome=Outcome.FAILED, reason=str(exc)))
        return report
    write(report, items)
    if pending and (report.count(Outcome.CREATED) or report.count(Outcome.UPDATED)):
        submission_rate_hit(user=user, ip=ip)
    return report


def read_upload(*, text: str | None, stream: IO | None, limit: int | None = None) -> str:
    """The upload as text. With `limit` (characters), a stream is read no further than a text of that
    many characters can be (4 bytes each in UTF-8): a shorter one is decoded and the reader, which
    knows its limit, then refuses it whole; one past that many bytes is refused here, unread."""
    if (text is None) == (stream is None):
        raise TypeError("give exactly one of text and stream")
    data = text if text is not None else stream.read(limit * 4 + 1 if limit else -1)
    if limit and isinstance(data, bytes) and len(data) > limit * 4:
        raise ImportFileError(
            gettext("the file is larger than %(limit)s characters, the most one import reads; split it.")
            % {"limit": f"{limit:,}"}
        )
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


class Writer:
    """Writes one import's records, each in its own savepoint, into `report` (see the package).

    `origin` (source, file, revision, licence, attribution), when the service sets it, is recorded as
    a Provenance row for each record's item (`result.item`), and by `_provenance` for other rows."""

    origin: dict[str, str] | None = None

    def __init__(self, report: ImportReport, *, user, pending: bool) -> None:
        self.report = report
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.status = ModerationStatus.PENDING if pending else ModerationStatus.PUBLISHED
        # model -> {id: fields a moderator set by hand}: one query per model for the whole import.
        self._protected: dict[type[models.Model], dict[int, set[str]]] = {}
        self._result: RecordResult | None = None  # the record being written, for _save's notes

    def _one(self, record, write: Callable[[Any, RecordResult], None]) -> None:
        if isinstance(record, ParseFailure):
            self.report.results.append(
                RecordResult(ref=record.ref, outcome=Outcome.FAILED, reason=record.reason)
            )
            return
        result = RecordResult(ref=record.ref, outcome=Outcome.UNCHANGED, notes=list(record.notes))
        self._result = result
        self._record_started()
        try:
            with transaction.atomic():
                write(record, result)
                if result.item is not None:
                    self._provenance(result.item)
        except ValidationError as exc:
            result.outcome, result.reason, result.item = Outcome.FAILED, describe_validation_error(exc), None
        except (RecordError, DatabaseError, ValueError) as exc:
            result.outcome, result.reason, result.item = Outcome.FAILED, str(exc), None
        else:
            self._record_committed()
        self.report.results.append(result)

    def _record_started(self) -> None:
        """Before a record's savepoint: forget what the previous record was about to add."""

    def _record_committed(self) -> None:
        """After a record's savepoint committed: keep what it added for the records after it."""

    def _save(self, obj: models.Model, values: dict[str, Any], *, created: bool) -> dict[str, list]:
        """Set `values`, validate, and save only when something differs; returns {field: [old, new]}.

        A field a moderator set by hand (community.services.field_edits) keeps the moderator's value;
        the record's report line names each such field the import would have changed."""
        before = {} if created else field_values(obj)
        if not created:
            values = self._unprotected(obj, values)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.full_clean()  # also normalises what the model normalises (DOI case), before comparing
        changes = diff_values(before, field_values(obj))
        if created or changes:
            obj.save()
        return changes

    def _protected_for(self, obj: models.Model) -> set[str]:
        """The fields of `obj` a moderator set by hand (community.services.field_edits)."""
        model = type(obj)
        if model not in self._protected:
            self._protected[model] = protected_fields(model)
        return self._protected[model].get(obj.pk, set())

    def _unprotected(self, obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
        protected = self._protected_for(obj)
        if not protected:
            return values
        values, kept = without_protected(obj, values, protected)
        self._kept(obj, kept)
        return values

    def _kept(self, obj: models.Model, names: list[str]) -> None:
        """Say in the record's report line that these fields of `obj` were left as a moderator set them."""
        if not names or self._result is None:
            return
        self._result.kept.extend(f"{obj._meta.model_name}.{name}" for name in names)
        self._result.notes.append(
            gettext("%(item)s: left %(fields)s as a moderator edited them (this import gives another value)")
            % {"item": f"{obj._meta.verbose_name} “{obj}”", "fields": ", ".join(names)}
        )

    def _provenance(self, item: models.Model) -> None:
        """Record that this import's file gives `item` (once: a rerun finds the row, and only a new
        revision changes it)."""
        if not self.origin:
            return
        row, created = Provenance.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            source=self.origin["source"],
            file=self.origin["file"][:500],
            defaults={k: v for k, v in self.origin.items() if k not in ("source", "file")},
        )
        if not created and self.origin.get("revision") and row.revision != self.origin["revision"]:
            row.revision = self.origin["revision"]
            row.save(update_fields=["revision"])

    @staticmethod
    def _outcome(result: RecordResult, *, created: bool, changed: bool) -> bool:
        """Give the record its outcome, created or updated (else it stays unchanged); whether it wrote
        anything."""
        if created:
            result.outcome = Outcome.CREATED
        elif changed:
            result.outcome = Outcome.UPDATED
        return created or changed

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


def web_address(value: str, name: str, result: RecordResult | None) -> bool:
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


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
