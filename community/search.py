"""The text search behind the portal's /search/, the list pages' `q` and the API's `?search=`.

- On PostgreSQL, for the kinds in FULL_TEXT_FIELDS (the big tables): full-text search, config
  'english', over the stored column `search_vector` that migration 0007 adds (generated from
  `to_tsvector('english', coalesce(f1, '') || ' ' || coalesce(f2, '') ...)`, GIN-indexed); results
  ranked with `ts_rank` on the stored vectors, so ranking a frequent word reads them rather than
  recomputing one per match. The query is websearch syntax (quoted phrases, `-word`, `or`)
  OR, when the text uses none of that syntax, every word as a prefix (`atten` finds "attention"),
  both answerable from the index.
- Elsewhere (SQLite, the embedded default), for the small kinds and for text of one or two
  characters: a case-insensitive substring match, OR-ed over the fields.

On PostgreSQL a fragment matches at the start of a word only ("tention" finds nothing), where the
substring fallback would find it anywhere.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Expression, F, Q, QuerySet

SEARCH_CONFIG = "english"

# Model label -> the fields of its full-text vector, in order. These are the models' `search_fields`
# in community.filters, and the text of the stored vectors of migration 0007: change one, change all
# (with a migration; tests/community/test_search_postgres.py checks the planner uses the index).
FULL_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "community.Paper": ("title", "abstract"),
    "community.Project": ("name", "description"),
    "community.Person": ("name", "bio"),
    "community.JobPosting": ("title", "description", "location"),
    "community.FundingOpportunity": ("title", "description", "eligibility"),
}

# Shorter text is no word: "e" as a prefix would expand to thousands of lexemes, and a reader typing
# one or two letters means a fragment, so it gets the substring match (the papers list then stops
# at its first page of matches, read in list order from its index).
MIN_FULL_TEXT_LENGTH = 3

RANK = "search_rank"
_VECTOR = "search_vector"
_WORD = re.compile(r"\w+")
_WEBSEARCH_SYNTAX = re.compile(r'"|(^|\s)-\w|(^|\s)or(\s|$)', re.IGNORECASE)


def index_name(model_name: str) -> str:
    """The GIN index of a model's stored vector (e.g. `paper_search_vector_gin`)."""
    return f"{model_name.lower()}_search_vector_gin"


class StoredVector(Expression):
    """The `search_vector` column of the queried table (PostgreSQL only; not a model field, see
    migration 0007). Resolved at compile time against the query's own base table, so it is right in
    a subquery too."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(table)}.{connection.ops.quote_name(_VECTOR)}", []


def search_query(text: str) -> SearchQuery:
    """`text` as a tsquery: websearch syntax, OR-ed with all its words as prefixes when it has no syntax."""
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    words = _WORD.findall(text)
    if words and not _WEBSEARCH_SYNTAX.search(text):
        # \w+ words hold no tsquery operators, so the raw query is always well formed.
        prefixes = " & ".join(f"{word}:*" for word in words)
        query |= SearchQuery(prefixes, search_type="raw", config=SEARCH_CONFIG)
    return query


def uses_full_text(queryset: QuerySet, text: str) -> bool:
    """Whether `text_search(queryset, ..., text)` is full-text: PostgreSQL, an indexed kind and a
    text of at least MIN_FULL_TEXT_LENGTH characters."""
    return (
        connections[queryset.db].vendor == "postgresql"
        and queryset.model._meta.label in FULL_TEXT_FIELDS
        and len(text.strip()) >= MIN_FULL_TEXT_LENGTH
    )


def text_search(queryset: QuerySet, fields: tuple[str, ...], text: str, *, by_rank: bool) -> QuerySet:
    """Rows of `queryset` matching `text` in `fields`.

    Full-text (see the module docstring) where `uses_full_text`, with the rank annotated as
    `search_rank` and, if `by_rank`, ordered best first (then by pk); otherwise the substring match,
    ordering untouched. `fields` is the caller's list of fields (a FilterSet's `search_fields`); the
    full-text vector always covers FULL_TEXT_FIELDS, which is the same list for the indexed kinds.
    """
    if not uses_full_text(queryset, text):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": text})
        return queryset.filter(condition)
    query = search_query(text)
    queryset = (
        queryset.alias(**{_VECTOR: StoredVector()})
        .filter(**{_VECTOR: query})
        .annotate(**{RANK: SearchRank(F(_VECTOR), query)})
    )
    if by_rank:
        queryset = queryset.order_by(f"-{RANK}", "pk")
    return queryset
