"""The text search behind the portal's /search/, the list pages' `q` and the API's `?search=`.

- On PostgreSQL, for the kinds in FULL_TEXT_FIELDS (the big tables): full-text search, config
  'english', over the stored column `search_vector` that migration 0007 adds (generated from
  `to_tsvector('english', coalesce(f1, '') || ' ' || coalesce(f2, '') ...)`, GIN-indexed); results
  ranked with `ts_rank` on the stored vectors, so ranking a frequent word reads them rather than
  recomputing one per match. The query is websearch syntax (quoted phrases, `-word`, `or`)
  OR, when the text uses none of that syntax, every word as a prefix (`atten` finds "attention"),
  both answerable from the index.
- On PostgreSQL, for the same kinds, text with Chinese (Japanese, Korean) characters: the default
  parser does not split words written without spaces, so these tables also store `search_cjk`
  (migration 0012): each CJK run cut into overlapping bigrams, the rest as words, config 'simple',
  over every language's column, GIN-indexed. The query is cut the same way: each CJK run its
  bigrams in sequence (`卷积神经` is `'卷积' <-> '积神' <-> '神经'`), each other word a prefix.
- Elsewhere (SQLite, the embedded default), for the small kinds and for text of one or two
  characters: a case-insensitive substring match, OR-ed over the fields, and for a field stored
  per language (community/translation.py) over every language's column, so a reader on either
  site finds an item by its English or its Chinese text (Chinese needs no word splitting here).

On PostgreSQL a fragment matches at the start of a word only ("tention" finds nothing), where the
substring fallback would find it anywhere.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Expression, F, Q, QuerySet
from modeltranslation.utils import build_localized_fieldname

from community.translation import translated_fields

SEARCH_CONFIG = "english"

# Model label -> the fields of its full-text vector, in order. These are the models' `search_fields`
# in community.filters, and the text of the stored vectors of migration 0007, where a field stored
# per language is read from its English column (migration 0020: `description_en`, since the original
# column holds whichever language was saved last): change one, change all (with a migration;
# tests/community/test_search_postgres.py checks the planner uses the index).
FULL_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "community.Paper": ("title", "abstract"),
    "community.Project": ("name", "description"),
    "community.Person": ("name", "bio"),
    "community.JobPosting": ("title", "description", "location"),
    "community.FundingOpportunity": ("title", "description", "eligibility"),
    # The archive's kinds (migration 0018): English text only, so no bigram vector (CJK_FIELDS).
    "community.Task": ("name", "description"),
    "community.Dataset": ("name", "full_name", "description"),
    "community.Method": ("name", "full_name", "description"),
    "community.Result": ("model_name", "paper_title"),
}

# Shorter text is no word: "e" as a prefix would expand to thousands of lexemes, and a reader typing
# one or two letters means a fragment, so it gets the substring match (the papers list then stops
# at its first page of matches, read in list order from its index).
MIN_FULL_TEXT_LENGTH = 3

# Model label -> the columns of its bigram vector `search_cjk` (migration 0012 holds a frozen copy):
# FULL_TEXT_FIELDS with each translated field as its per-language columns.
CJK_FIELDS: dict[str, tuple[str, ...]] = {
    "community.Paper": ("title", "abstract"),
    "community.Project": ("name", "description_en", "description_zh_hans"),
    "community.Person": ("name", "bio_en", "bio_zh_hans"),
    "community.JobPosting": ("title", "description_en", "description_zh_hans", "location"),
    "community.FundingOpportunity": (
        "title",
        "description_en",
        "description_zh_hans",
        "eligibility_en",
        "eligibility_zh_hans",
    ),
}
CJK_CONFIG = "simple"
# Kana, CJK extension A, CJK unified ideographs, compatibility ideographs, Hangul syllables: the
# class migration 0012's dc_search_bigrams cuts into bigrams.
CJK_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")

RANK = "search_rank"
# A ranked search ranks at most this many matches (and one more, which tells there are more): the
# first the GIN index yields, in no particular order. The best of them come first, which for a word
# that matches thousands of items is a sample, not the whole catalogue's best.
RANK_CANDIDATES = 1000
_VECTOR = "search_vector"
_CJK_VECTOR = "search_cjk"
_WORD = re.compile(r"\w+")
_WEBSEARCH_SYNTAX = re.compile(r'"|(^|\s)-\w|(^|\s)or(\s|$)', re.IGNORECASE)


def index_name(model_name: str) -> str:
    """The GIN index of a model's stored vector (e.g. `paper_search_vector_gin`)."""
    return f"{model_name.lower()}_search_vector_gin"


class StoredVector(Expression):
    """The `search_vector` column of the queried table (PostgreSQL only; not a model field, see
    migration 0007), or another stored vector (`search_cjk`, migration 0012). Resolved at compile
    time against the query's own base table, so it is right in a subquery too."""

    output_field = SearchVectorField()

    def __init__(self, column: str = _VECTOR):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(table)}.{connection.ops.quote_name(self.column)}", []


def has_cjk(text: str) -> bool:
    """Whether `text` holds Chinese, Japanese or Korean characters (searched by bigrams)."""
    return CJK_RUN.search(text) is not None


def cjk_query(text: str) -> SearchQuery | None:
    """`text` as a tsquery on the bigram vector: each CJK run its bigrams in sequence (a run of one
    character: a prefix of the bigrams it starts), AND-ed with the other words as prefixes. None
    when nothing is left to search for."""
    terms = []
    for run in CJK_RUN.findall(text):
        pieces = [run[i : i + 2] for i in range(len(run) - 1)] or [run]
        terms.append(" <-> ".join(f"'{piece}'" for piece in pieces) + (":*" if len(run) == 1 else ""))
    # \w+ words hold no quote, backslash or tsquery operator, so the raw query is always well formed;
    # the 'simple' config lower-cases the stored words, so the query's are lower-cased too.
    terms += [f"'{word.lower()}':*" for word in _WORD.findall(CJK_RUN.sub(" ", text))]
    if not terms:
        return None
    return SearchQuery(" & ".join(f"({term})" for term in terms), search_type="raw", config=CJK_CONFIG)


def searched_columns(model, fields: tuple[str, ...]) -> tuple[str, ...]:
    """`fields` with each field stored per language replaced by its columns in every language
    (`description` -> `description_en`, `description_zh_hans`): modeltranslation would otherwise
    read a lookup on `description` as the active language's column only."""
    translated = set(translated_fields(model))
    columns: list[str] = []
    for field in fields:
        if field in translated:
            columns += [build_localized_fieldname(field, code) for code, _name in settings.LANGUAGES]
        else:
            columns.append(field)
    return tuple(columns)


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
    text of at least MIN_FULL_TEXT_LENGTH characters (two, for text with CJK characters: two
    characters there are a word, and a bigram of the index; only the kinds that store the bigram
    vector, CJK_FIELDS, the others take the substring match)."""
    if connections[queryset.db].vendor != "postgresql":
        return False
    text = text.strip()
    label = queryset.model._meta.label
    if has_cjk(text):  # searched in the bigram vector, which only the kinds of CJK_FIELDS store
        return label in CJK_FIELDS and len(text) >= 2
    return label in FULL_TEXT_FIELDS and len(text) >= MIN_FULL_TEXT_LENGTH


# The substring fallback's words (each one more set of LIKEs over every searched column).
MAX_SUBSTRING_WORDS = 8


def text_search(
    queryset: QuerySet, fields: tuple[str, ...], text: str, *, by_rank: bool, candidates: int | None = None
) -> QuerySet:
    """Rows of `queryset` matching `text` in `fields`.

    Full-text (see the module docstring) where `uses_full_text`, with the rank annotated as
    `search_rank` and, if `by_rank`, ordered best first (then by pk); otherwise the substring match,
    ordering untouched. A ranked search ranks RANK_CANDIDATES + 1 matches at most, so it is the last
    filter applied (the others narrow the candidates); `candidates` lowers that bound for a caller
    that shows a handful of the best (the site search). `fields` is the caller's list of fields (a FilterSet's `search_fields`); the
    full-text vector always covers FULL_TEXT_FIELDS, which is the same list for the indexed kinds.
    """
    if not uses_full_text(queryset, text):
        # Every word somewhere, as the full-text search asks: "fused kernels" finds "Fused attention
        # kernels" (a text with no spaces, such as a Chinese phrase, is one word).
        columns = searched_columns(queryset.model, fields)
        for word in text.split()[:MAX_SUBSTRING_WORDS] or [text]:
            condition = Q()
            for field in columns:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset
    # A text with CJK characters is searched in the bigram vector, whose words are the same
    # whatever the language; the English vector would hold a whole Chinese sentence as one word.
    cjk = cjk_query(text) if has_cjk(text) else None
    column, query = (_CJK_VECTOR, cjk) if cjk is not None else (_VECTOR, search_query(text))
    matches = queryset.alias(**{column: StoredVector(column)}).filter(**{column: query})
    if not by_rank:
        return matches.annotate(**{RANK: SearchRank(F(column), query)})
    # Ranked: the first RANK_CANDIDATES + 1 matches the index finds (a frequent word matches one
    # paper in eight: ranking all of them cost 25 ms and more at 100k), best first. The count of a
    # list stops there too (common.paging reads `count_cap`): "more than 1,000 results".
    bound = min(candidates or RANK_CANDIDATES, RANK_CANDIDATES)
    ranked = (
        queryset.alias(**{column: StoredVector(column)})
        .filter(pk__in=matches.order_by().values("pk")[: bound + 1])
        .annotate(**{RANK: SearchRank(F(column), query)})
        .order_by(f"-{RANK}", "pk")
    )
    ranked.query.count_cap = bound
    # common.paging reads the ranking once, as keys, and a page's rows by key from these rows.
    ranked.query.ranked_from = queryset
    return ranked
