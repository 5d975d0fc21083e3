"""Stored full-text vectors for the Papers with Code archive's kinds (issue 14): Task, Dataset, Method
and Result are searched on PostgreSQL as papers and projects are (community/search.py), through a
generated `search_vector` column, config 'english', GIN-indexed. Their text is English (the archive's),
so they have no bigram vector: a search with Chinese characters takes the substring match there.
SQLite has no stored vectors: nothing to do there.
"""

from django.db import migrations

# Frozen copy of community.search.FULL_TEXT_FIELDS for these kinds.
COLUMNS = {
    "task": ("name", "description"),
    "dataset": ("name", "full_name", "description"),
    "method": ("name", "full_name", "description"),
    "result": ("model_name", "paper_title"),
}


def _add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    for model_name, columns in COLUMNS.items():
        table = quote(apps.get_model("community", model_name)._meta.db_table)
        text = " || ' ' || ".join(f"coalesce({quote(column)}, '')" for column in columns)
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {text})) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {model_name}_search_vector_gin ON {table} USING gin (search_vector)"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in COLUMNS:
        table = schema_editor.quote_name(apps.get_model("community", model_name)._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")  # its index goes with it


class Migration(migrations.Migration):
    dependencies = [("community", "0017_pwcpaper_proceeding")]

    operations = [migrations.RunPython(_add, _drop, elidable=False)]
