"""Bulk writing for the Papers with Code import (issue 14): a batch of items of one model is matched,
compared and written with a handful of queries, whatever its size.

`Store.sync(model, items)` creates the new items (bulk_create, slugs found in bulk), updates the
matched ones whose values differ (bulk_update; a field a moderator set by hand is left alone and
named in the report), records the history of each change (ChangeRecord, action "imported") and the
source of every item it was given (Provenance, bulk, once per item and file). A value the archive
leaves empty never empties a field, and an item the catalogue had before the archive (`fill_only`)
only has its empty fields filled, so a re-import of the same file changes nothing.
"""

import uuid
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from community.models import ChangeRecord, ModerationStatus, Provenance
from community.models.base import CatalogueItem
from community.services.field_edits import protected_fields
from community.services.slugs import base_slug

SOURCE = "pwc-archive"
LICENCE = "CC BY-SA 4.0"
ATTRIBUTION = "Papers with Code archive"


def protected_fields_of(model: type[models.Model], ids: list[int]) -> dict[int, set[str]]:
    """The fields a moderator set by hand, per item: the one place the import asks
    (community.services.field_edits, the site's per-field protection)."""
    return protected_fields(model, ids)


@dataclass
class Item:
    """One item a batch gives: the existing row when one matched (`obj`), the values the archive
    gives it, the text its slug is made from, and the record it comes from."""

    key: Hashable
    values: dict[str, Any]
    ref: str
    obj: models.Model | None = None
    slug_text: str = ""
    fill_only: bool = False
    changes: dict[str, list] = field(default_factory=dict)  # other changes (a paper's author list)
    outcome: str = ""


@dataclass
class Counts:
    """What one import did, per kind of item: created, updated, unchanged, rejected."""

    by_kind: dict[str, Counter] = field(default_factory=dict)

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        self.by_kind.setdefault(kind, Counter())[outcome] += n

    def rows(self) -> list[tuple[str, int, int, int, int]]:
        return [
            (kind, c["created"], c["updated"], c["unchanged"], c["rejected"])
            for kind, c in sorted(self.by_kind.items())
        ]


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _same(current: Any, new: Any) -> bool:
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is new
        return Decimal(current) == Decimal(new)
    if isinstance(current, list | tuple) and isinstance(new, list | tuple):
        return list(current) == list(new)
    return current == new


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


class Store:
    def __init__(self, *, file: str, revision: str = "", status: str = ModerationStatus.PUBLISHED) -> None:
        self.origin = {"source": SOURCE, "file": file[:500], "revision": revision[:100]}
        self.status = status
        self.kept: list[tuple[str, str]] = []  # (ref, field) a moderator's edit kept
        self.note = f"{SOURCE}: {file}"[:1000]
        self._content_types: dict[type, ContentType] = {}
        # Item ids per model whose Provenance row for this file and revision this import has written
        # or found: an author of many papers is asked about once, not once per batch. A failed batch
        # ends the import (pwc_import), so nothing it wrote is remembered past its rollback.
        self._recorded: dict[type, set[int]] = {}

    def content_type(self, model: type[models.Model]) -> ContentType:
        if model not in self._content_types:
            self._content_types[model] = ContentType.objects.get_for_model(model)
        return self._content_types[model]

    # --- the one write path ---------------------------------------------------------------------

    def sync(self, model: type[models.Model], items: list[Item]) -> list[Item]:
        """Write `items` of `model`; each item's `outcome` and `obj` are set on return."""
        now = timezone.now()
        existing = [item for item in items if item.obj is not None]
        protected = protected_fields_of(model, [item.obj.pk for item in existing]) if existing else {}
        changed_fields: set[str] = set()
        updated: list[Item] = []
        for item in existing:
            changes = self._apply(model, item, protected.get(item.obj.pk, set()))
            item.changes = {**changes, **item.changes}
            changed_fields.update(changes)
            item.outcome = "updated" if item.changes else "unchanged"
            if changes:
                updated.append(item)
        new = [item for item in items if item.obj is None]
        if new:
            slugs = self.slugs(model, [item.slug_text for item in new]) if _has_slug(model) else None
            for index, item in enumerate(new):
                extra = {"slug": slugs[index], "status": self.status} if slugs else {}
                item.obj = model(**_fit(model, item.values), **extra)
                item.outcome = "created"
            create_rows(model, [item.obj for item in new])
        if updated:
            for item in updated:
                if hasattr(item.obj, "updated_at"):
                    item.obj.updated_at = now
            fields = sorted(changed_fields | ({"updated_at"} if _has(model, "updated_at") else set()))
            update_rows(model, [item.obj for item in updated], fields)
        self.history(model, [item for item in existing if item.changes])
        self.provenance(model, [item.obj.pk for item in existing])
        self.provenance(model, [item.obj.pk for item in new], new=True)
        return items

    def _apply(self, model: type[models.Model], item: Item, protected: set[str]) -> dict[str, list]:
        changes: dict[str, list] = {}
        obj = item.obj
        for name, value in _fit(model, item.values).items():
            if _empty(value):
                continue
            attname = model._meta.get_field(name).attname
            current = getattr(obj, attname)
            if item.fill_only and not _empty(current):
                continue
            if _same(current, value):
                continue
            if name in protected:
                self.kept.append((item.ref, name))
                continue
            changes[name] = [_plain(current), _plain(value)]
            setattr(obj, attname, value)
        return changes

    # --- what every write records ---------------------------------------------------------------

    def history(self, model: type[models.Model], items: list[Item]) -> None:
        if not items:
            return
        content_type = self.content_type(model)
        ChangeRecord.objects.bulk_create(
            [
                ChangeRecord(
                    content_type=content_type,
                    object_id=item.obj.pk,
                    action=ChangeRecord.Action.IMPORTED,
                    changes=item.changes,
                    note=f"{self.note}: {item.ref}"[:1000],
                )
                for item in items
            ],
            batch_size=1000,
        )

    def provenance(self, model: type[models.Model], ids, *, new: bool = False) -> None:
        """One Provenance row per item and file: a rerun finds it (one query), and only a new revision
        (dump date) changes it. `new`: items this import has just created, which have none yet."""
        recorded = self._recorded.setdefault(model, set())
        ids = set(ids) - recorded
        if not ids:
            return
        recorded.update(ids)
        content_type = self.content_type(model)
        revision = self.origin["revision"]
        if not new:
            mine = Provenance.objects.filter(
                content_type=content_type, source=SOURCE, file=self.origin["file"], object_id__in=ids
            )
            stale = []
            for object_id, old in mine.values_list("object_id", "revision"):
                ids.discard(object_id)
                if revision and old != revision:
                    stale.append(object_id)
            if stale:
                mine.filter(object_id__in=stale).update(revision=revision)
        now = timezone.now()
        insert_rows(
            Provenance,
            ("content_type_id", "object_id", "source", "file", "revision", "licence", "attribution",
             "first_imported_at"),
            [(content_type.pk, pk, SOURCE, self.origin["file"], revision, LICENCE, ATTRIBUTION, now)
             for pk in sorted(ids)],
        )  # fmt: skip

    def slugs(self, model: type[models.Model], texts: list[str]) -> list[str]:
        """A free slug for each text (`base`, else `base-2` ... `base-9`, else `base-<random>`), one or
        two queries per batch however many items it has."""
        max_length = model._meta.get_field("slug").max_length
        bases = [base_slug(model, text)[:max_length].rstrip("-") or "item" for text in texts]
        taken = set(model.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
        # The numbered forms only of the bases already taken or repeated in the batch: most are not.
        repeated = {base for base, n in Counter(bases).items() if n > 1 or base in taken}
        if repeated:
            numbered = {_suffixed(base, n, max_length) for base in repeated for n in range(2, 10)}
            taken.update(model.objects.filter(slug__in=numbered).values_list("slug", flat=True))
        chosen: list[str] = []
        for base in bases:
            # Most bases are free: their numbered forms are made only for a base already taken.
            forms = (_suffixed(base, n, max_length) for n in range(2, 10)) if base in taken else ()
            slug = next((option for option in (base, *forms) if option not in taken), None)
            if slug is None:
                slug = _suffixed(base, uuid.uuid4().hex[:10], max_length)
            taken.add(slug)
            chosen.append(slug)
        return chosen


def insert_rows(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows no other row conflicts with: COPY on PostgreSQL (the bulk of an import's rows:
    authorships, provenance, links), bulk_create elsewhere. `columns` are column names (attnames)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, columns, rows)
        return
    model.objects.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
    )


def create_rows(model: type[models.Model], objs: list[models.Model]) -> None:
    """bulk_create, with each object's pk set. On PostgreSQL a large batch takes its ids from the
    table's sequence and goes in by COPY: most of an import's time is otherwise Django composing
    INSERT statements."""
    if connection.vendor != "postgresql" or len(objs) < 100:
        model.objects.bulk_create(objs, batch_size=1000)
        return
    table, pk = model._meta.db_table, model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    fields = model._meta.concrete_fields
    # auto_now(_add) columns take one timestamp for the batch, prepared once (Django's pre_save asks
    # the clock and converts per row and field: a third of the import's Python time on papers).
    now = timezone.now()
    stamped = {
        f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    prepared_now = {f.attname: f.get_db_prep_save(now, connection) for f in fields if f.attname in stamped}
    plain = [f for f in fields if f.attname not in stamped]
    # Text, numbers and booleans go to COPY as they are; other fields (dates, decimals, JSON, keys)
    # through their own conversion.
    direct = tuple(isinstance(f, _DIRECT) for f in plain)

    def rows():
        for obj, pk_value in zip(objs, ids, strict=True):
            obj.pk = pk_value
            for name in stamped:
                setattr(obj, name, now)
            values = dict(prepared_now)
            for f, as_is in zip(plain, direct, strict=True):
                value = getattr(obj, f.attname)
                values[f.attname] = value if as_is else f.get_db_prep_save(value, connection)
            yield tuple(values[f.attname] for f in fields)
            obj._state.adding, obj._state.db = False, connection.alias

    # Made as they are sent: the server works on the first rows while the next ones are prepared.
    _copy(model, tuple(f.attname for f in fields), rows())


def _copy(model: type[models.Model], columns: tuple[str, ...], rows) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(column).column) for column in columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


_DIRECT = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def update_rows(model: type[models.Model], objs: list[models.Model], names: list[str]) -> None:
    """bulk_update of `names`; on PostgreSQL a large batch is COPied into a staging table and written
    by one UPDATE ... FROM (bulk_update's CASE per row and column is slow past a few hundred rows)."""
    if connection.vendor != "postgresql" or len(objs) < 100:
        model.objects.bulk_update(objs, names, batch_size=500)
        return
    quote = connection.ops.quote_name
    fields = [model._meta.pk, *(model._meta.get_field(name) for name in names)]
    columns = [quote(field.column) for field in fields]
    table = quote(model._meta.db_table)
    # Only the model's own table and column names, quoted, are in the SQL; the values go by COPY.
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE pwc_staging ON COMMIT DROP AS SELECT {', '.join(columns)} FROM {table} WITH NO DATA"  # noqa: S608
        )
        with cursor.cursor.copy(f"COPY pwc_staging ({', '.join(columns)}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields])
        assignments = ", ".join(f"{column} = pwc_staging.{column}" for column in columns[1:])
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM pwc_staging WHERE {table}.{columns[0]} = pwc_staging.{columns[0]}"  # noqa: S608
        )
        cursor.execute("DROP TABLE pwc_staging")


def _suffixed(base: str, n, max_length: int) -> str:
    suffix = f"-{n}"
    return base[: max_length - len(suffix)].rstrip("-") + suffix


def _has(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _has_slug(model: type[models.Model]) -> bool:
    return issubclass(model, CatalogueItem)


def _fit(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Values as the columns hold them: text cut to its length; a web address too long for its column
    left out (a cut address would lead nowhere)."""
    fitted = {}
    for name, value in values.items():
        column = model._meta.get_field(name)
        limit = getattr(column, "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            if isinstance(column, models.URLField):
                continue
            value = value[:limit]
        fitted[name] = value
    return fitted
