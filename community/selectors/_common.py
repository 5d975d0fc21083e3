"""Prefetch building blocks shared by the selector modules."""

import functools

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    BooleanField,
    ManyToManyField,
    ManyToManyRel,
    ManyToOneRel,
    Prefetch,
    QuerySet,
)
from django.db.models.expressions import RawSQL

from community.models import Authorship, ModerationStatus, Provenance, Topic

# How many related items a detail page lists before it links to the filtered list page instead.
RELATED_LIMIT = 50

PUBLISHED = ModerationStatus.PUBLISHED


# What a link to an item shows (its address and name, `public` checks its status): the columns a
# list row reads of a related item, where the rest (descriptions and biographies in each language,
# dates) would be decoded and set on every instance for nothing.
LINK_COLUMNS = ("slug", "status", "name")


def published_topics(lookup: str = "topics", *, links_only: bool = False) -> Prefetch:
    """The published topics, by name; `links_only`: only LINK_COLUMNS of each."""
    queryset = Topic.objects.published().order_by("name")
    return Prefetch(lookup, queryset=queryset.only(*LINK_COLUMNS) if links_only else queryset)


def ordered_authorships(
    lookup: str = "authorships", *, with_affiliation: bool = False, links_only: bool = False
) -> Prefetch:
    """Authorships in author-list order with their person, skipping people not (yet) published;
    `links_only`: of each person only LINK_COLUMNS (a list row's author links, the API's authors)."""
    related = ("person", "person__affiliation") if with_affiliation else ("person",)
    queryset = (
        Authorship.objects.filter(person__status=PUBLISHED).select_related(*related).order_by("position")
    )
    if links_only:
        queryset = queryset.only("paper", "person", "position", *(f"person__{name}" for name in LINK_COLUMNS))
    return Prefetch(lookup, queryset=queryset)


def item_sources(lookup: str = "provenance") -> Prefetch:
    """Which outside source(s) gave an item (`item.sources`: Provenance rows), shown beside its
    imported text and in the API; community.sources says what each source is called and its language."""
    return Prefetch(lookup, queryset=Provenance.objects.order_by("source", "file"), to_attr="sources")


def _relation(model, name: str):
    """The field of `model` named `name` and how its rows point at an item: (field, lookup on the
    related model's queryset, or None for a generic relation)."""
    field = model._meta.get_field(name)
    if isinstance(field, GenericRelation):
        return field, None
    if isinstance(field, ManyToManyField):
        return field, field.related_query_name()
    return field, field.field.name  # a reverse foreign key or a reverse many-to-many


def has_rows(model, relation: str) -> RawSQL:
    """Whether any row of `relation` (a reverse foreign key, a many-to-many in either direction or a
    generic relation of `model`) points at the outer item: one index probe of the link table, with no
    status filter (a relation whose rows are all unpublished still reads as present, and its query
    then finds nothing; it is never the other way round).

    Written as SQL once per relation: the same test as an `Exists()` subquery, which Django compiles
    anew for every query at about the cost of a query of its own (1.5 ms of CPU on the development
    machine), and the point of it is to save queries."""
    sql, params = _exists_sql(model, relation)
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (names from the models' metadata, values as parameters)


@functools.cache
def _exists_sql(model, relation: str) -> tuple[str, tuple]:
    quote = connection.ops.quote_name
    field = model._meta.get_field(relation)
    params: tuple = ()
    if isinstance(field, GenericRelation):
        rows = field.related_model._meta
        column = rows.get_field(field.object_id_field_name).column
        type_column = rows.get_field(field.content_type_field_name).column
        # The content type by its natural key, not an id kept in this process (a test database
        # flushed and migrated again numbers them anew).
        content_types = quote(ContentType._meta.db_table)
        extra = f" AND {quote(type_column)} = (SELECT id FROM {content_types} WHERE app_label = %s AND model = %s)"  # noqa: S608 (quoted table and column names, values as parameters)
        params = (model._meta.app_label, model._meta.model_name)
        table = rows.db_table
    elif isinstance(field, ManyToManyField):
        through = field.remote_field.through._meta
        table, column, extra = through.db_table, through.get_field(field.m2m_field_name()).column, ""
    elif isinstance(field, ManyToManyRel):
        through = field.through._meta
        table, column, extra = (
            through.db_table,
            through.get_field(field.field.m2m_reverse_field_name()).column,
            "",
        )
    else:
        table, column, extra = field.related_model._meta.db_table, field.field.column, ""
    outer = f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}"
    return f"EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(column)} = {outer}{extra})", params  # noqa: S608 (as above)


def one_with_relations(queryset: QuerySet, *, always: list[Prefetch], if_any: list[Prefetch], **lookup):
    """The item of `queryset` that `lookup` names (None when there is none) with its relations read
    as the Prefetch objects say (their queryset, `to_attr` or the manager's cache, so templates and
    serializers read them as prefetched): `always` ones with one query each, `if_any` ones only
    when the item has rows in them.

    For one item, Django's prefetch machinery costs more of the web process's CPU than the query it
    runs (about 3 ms against 2 on the development machine: `_prefetch_related_val` joins, per-row
    matching), and a prefetch that finds nothing, even of `none()`, is compiled all the same. Here
    each relation is one plain filtered query, and the item's own query says which `if_any`
    relations have rows (`has_rows`, one EXISTS each); an empty one is filled without a query."""
    flags = {f"has_{p.prefetch_through}": has_rows(queryset.model, p.prefetch_through) for p in if_any}
    item = next(iter(queryset.annotate(**flags).filter(**lookup)[:1]), None)
    if item is None:
        return None
    for prefetch in always:
        _fill(item, prefetch, _rows(item, prefetch))
    for prefetch in if_any:
        _fill(
            item, prefetch, _rows(item, prefetch) if getattr(item, f"has_{prefetch.prefetch_through}") else []
        )
    return item


def _rows(item, prefetch: Prefetch) -> list:
    field, lookup = _relation(type(item), prefetch.prefetch_through)
    if lookup is None:  # a generic relation
        content_type = ContentType.objects.get_for_model(item)
        lookup_kwargs = {field.content_type_field_name: content_type, field.object_id_field_name: item.pk}
    else:
        lookup_kwargs = {lookup: item.pk}
    rows = list(prefetch.queryset.filter(**lookup_kwargs))
    if isinstance(field, ManyToOneRel):
        for row in rows:  # as a prefetch does: each row knows its item without a query
            field.field.set_cached_value(row, item)
    return rows


def _fill(item, prefetch: Prefetch, rows: list) -> None:
    """Store `rows` where the prefetch would: its `to_attr`, else the related manager's cache (an
    evaluated queryset, which `.all()` then returns)."""
    if prefetch.to_attr:
        setattr(item, prefetch.to_attr, rows)
        return
    manager = getattr(item, prefetch.prefetch_through)
    cache_name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    done = prefetch.queryset.none()
    done._result_cache, done._prefetch_done = rows, True
    if not hasattr(item, "_prefetched_objects_cache"):
        item._prefetched_objects_cache = {}
    item._prefetched_objects_cache[cache_name] = done
