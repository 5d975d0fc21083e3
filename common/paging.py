"""Pagination whose cost does not grow with the table: a capped count and a narrow deep page.

Django's Paginator counts every matching row (`COUNT(*)`) on every page and reads a deep page with
`OFFSET`, fetching and dropping every whole row before it. At 100,000 papers those two cost more than
the rest of a list page (benchmarks/RESULTS.md, issue 18). `CappedPaginator` instead:

- counts at most `cap + 1` rows (`SELECT COUNT(*) FROM (... LIMIT cap + 1)`), kept in the cache
  per query and `version` (the caller's: the catalogue's version, so a write makes it stale); past
  the cap the page says "10,000+" (`capped`) and shows no last page number;
- reads a page as `WHERE pk IN (SELECT pk ... ORDER BY ... OFFSET n LIMIT size)`: the skipped rows
  are read from the ordering index alone (an index-only scan), the page's rows fetched by key,
  in one query like before;
- when capped, serves any page that has rows (`?page=N` links beyond the cap keep working), and
  tells whether there is a next page by reading one row more than it shows.

A queryset may lower its own cap by setting `query.count_cap` (community.search does for a ranked
full-text search, which ranks a bounded set of candidates: counting further would mean nothing).
Such a short ranking is read once as keys, best first, and kept like a count (`ranked_keys`): its
length is the count and a page is its slice, the rows fetched by key from `query.ranked_from` (the
queryset the ranking was drawn from, which the search sets). Counting the candidates and then
ranking them for the page found them twice, about 10 ms of PostgreSQL each for a frequent word at
100k papers; the next pages of a search found them again each time.
"""

import hashlib
import math

from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000
COUNT_CACHE_SECONDS = 300


def count_cap(object_list, default: int | None = None) -> int:
    """The cap of `object_list`: its query's `count_cap` when lower, else `default` (COUNT_CAP)."""
    default = default or COUNT_CAP
    query = getattr(object_list, "query", None)
    return min(default, getattr(query, "count_cap", default))


class CappedPage(Page):
    """A page of a CappedPaginator: `has_next` from the row read beyond it when the count is capped."""

    more = False

    def has_next(self) -> bool:
        return self.more if self.paginator.capped else super().has_next()

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class CappedPaginator(Paginator):
    """A Paginator with a capped, cached count and narrow deep pages (see the module docstring)."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, version=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = count_cap(object_list, cap)
        self.version = version

    @cached_property
    def count(self) -> int:
        """min(rows, cap + 1): more than `cap` means "more than `cap`" (`capped`)."""
        if not isinstance(self.object_list, QuerySet):
            return min(len(self.object_list), self.cap + 1)
        if self.ranked_keys is not None:
            return len(self.ranked_keys)
        key = self._cache_key("count")
        counted = cache.get(key) if key else None
        if counted is None:
            counted = self.object_list.order_by()[: self.cap + 1].count()
            if key:
                cache.set(key, counted, COUNT_CACHE_SECONDS)
        return counted

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        """The pages of the counted rows (of the first `cap` when capped: there may be more)."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, math.ceil(min(self.count, self.cap) / self.per_page))

    def exact_num_pages(self) -> int:
        """Every page, counted in full (for `?page=last`, which asks for it)."""
        total = self.object_list.count() if isinstance(self.object_list, QuerySet) else len(self.object_list)
        return max(1, math.ceil(total / self.per_page))

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number  # past the counted pages: `page` finds out whether it has rows

    def page(self, number) -> CappedPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.capped:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return CappedPage(self._window(bottom, top), number, self)
        rows = list(self._window(bottom, bottom + self.per_page + 1))
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        page = CappedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def _get_page(self, *args, **kwargs) -> CappedPage:
        return CappedPage(*args, **kwargs)

    @cached_property
    def ranked_keys(self) -> list | None:
        """The keys of a short ranking (a queryset with `query.ranked_from`), best first, at most
        `cap + 1` of them, kept in the cache per query and version; None for any other list."""
        rows = self.object_list
        if not isinstance(rows, QuerySet) or getattr(rows.query, "ranked_from", None) is None:
            return None
        key = self._cache_key("ranked")
        keys = cache.get(key) if key else None
        if keys is None:
            keys = list(rows.values_list("pk", flat=True)[: self.cap + 1])
            if key:
                cache.set(key, keys, COUNT_CACHE_SECONDS)
        return keys

    def _window(self, bottom: int, top: int):
        """Rows bottom..top in order; past the first page, the skipped rows are read as keys only."""
        rows = self.object_list
        if self.ranked_keys is not None:
            # The ranking is read already: this page's rows by key, from the rows it ranked (every
            # filter but the search's, and their joins and related rows), put back in its order.
            keys = self.ranked_keys[bottom:top]
            by_key = {row.pk: row for row in rows.query.ranked_from.filter(pk__in=keys).order_by()}
            return [by_key[key] for key in keys if key in by_key]
        # A queryset with its own cap (a ranked search) is short already, and its candidates are the
        # first the index yields: read twice in one query, two plans could yield different ones.
        if not isinstance(rows, QuerySet) or bottom == 0 or hasattr(rows.query, "count_cap"):
            return rows[bottom:top]
        return rows.filter(pk__in=rows.values("pk")[bottom:top])

    def _cache_key(self, what: str) -> str | None:
        """Where a count or a ranking (`what`) of this query is kept under the version."""
        if self.version is None:
            return None
        try:
            sql, params = self.object_list.query.sql_with_params()
        except Exception:  # noqa: BLE001 (an empty result: EmptyResultSet; nothing worth caching)
            return None
        digest = hashlib.sha256(f"{sql}|{params!r}|{self.cap}".encode()).hexdigest()
        version = self.version() if callable(self.version) else self.version
        return f"{what}:{version}:{digest}"
