"""Stored full-text vectors on PostgreSQL, replacing the functional GIN indexes of migration 0005.

A functional index finds the matches, but ranking them (`ts_rank`) needs each match's vector, and
with only an expression index PostgreSQL recomputes `to_tsvector` for every matching row: ~80 µs a
paper, 0.3-0.4 s for a word that 12 000 of 100 000 papers contain. A generated, stored column holds
the vector once per row (PostgreSQL keeps it up to date on every write), so ranking reads it:
~20 ms for the same word (benchmarks/RESULTS.md).

The column is not a model field: SQLite (the embedded default) has no tsvector, and a GeneratedField
would fail there. community.search reads it through an expression of its own on PostgreSQL only;
INSERTs from Django never name it, which is what a generated column wants. pg_dump and pg_restore
handle generated columns (their values are recomputed on restore).
"""

from django.db import migrations

# Frozen copy of community.search.FULL_TEXT_FIELDS at the time of this migration.
FULL_TEXT_FIELDS = {
    "paper": ("title", "abstract"),
    "project": ("name", "description"),
    "person": ("name", "bio"),
    "jobposting": ("title", "description", "location"),
    "fundingopportunity": ("title", "description", "eligibility"),
}
COLUMN = "search_vector"


def _tables(apps, schema_editor):
    quote = schema_editor.quote_name
    for model_name, fields in FULL_TEXT_FIELDS.items():
        table = apps.get_model("community", model_name)._meta.db_table
        # The same text as the expression of 0005 (fields joined by spaces, NULL as empty), with
        # the config as a regconfig literal: to_tsvector(regconfig, text) is immutable, as a
        # generated column requires.
        text = " || ' ' || ".join(f"coalesce({quote(field)}, '')" for field in fields)
        yield model_name, quote(table), f"to_tsvector('english'::regconfig, {text})"


def add_stored_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, table, expression in _tables(apps, schema_editor):
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {model_name}_search_vector_gin ON {table} USING gin ({COLUMN})")
        schema_editor.execute(f"DROP INDEX IF EXISTS {model_name}_fts_gin")


def drop_stored_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, table, expression in _tables(apps, schema_editor):
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {COLUMN}")
        schema_editor.execute(f"CREATE INDEX {model_name}_fts_gin ON {table} USING gin (({expression}))")


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0006_closed_jobs_and_calls"),
    ]

    operations = [
        migrations.RunPython(add_stored_vectors, drop_stored_vectors, elidable=False),
    ]
