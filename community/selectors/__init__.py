"""Reads that pages (and later the API) share, one module per family.

Every function returns a queryset of published items with its joins and prefetches chosen once, so a
page issues the same number of queries for one row as for a full page. Related items reached through
a prefetch are filtered to published too; a forward foreign key fetched with select_related may point
at an unpublished item, which templates check with the `public` filter.
"""
