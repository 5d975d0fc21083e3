"""The stored English full-text vectors (`search_vector`, PostgreSQL only) read each translated text's
English column (`description_en`, `bio_en`, `eligibility_en`) instead of the original column, which
modeltranslation fills with whichever language was saved last: a description written in Chinese
after its English text had taken the English words out of the English vector. The Chinese text is
searched through `search_cjk`, which already read every language's column.

A generated column cannot change its expression in place: each is dropped and added again (its GIN
index goes with it and is made again). SQLite has no stored vectors: nothing to do there."""

from django.db import migrations

# Frozen copy of community.search.FULL_TEXT_FIELDS as the English vector reads it from now on.
ENGLISH_COLUMNS = {
    "project": ("name", "description_en"),
    "person": ("name", "bio_en"),
    "jobposting": ("title", "description_en", "location"),
    "fundingopportunity": ("title", "description_en", "eligibility_en"),
}
# What 0007 (in the squashed 0001) made them read, for going back.
ORIGINAL_COLUMNS = {
    "project": ("name", "description"),
    "person": ("name", "bio"),
    "jobposting": ("title", "description", "location"),
    "fundingopportunity": ("title", "description", "eligibility"),
}


def _rebuild(columns_of):
    def rebuild(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        for model_name, columns in columns_of.items():
            table = quote(apps.get_model("community", model_name)._meta.db_table)
            text = " || ' ' || ".join(f"coalesce({quote(column)}, '')" for column in columns)
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {text})) STORED"
            )
            schema_editor.execute(
                f"CREATE INDEX {model_name}_search_vector_gin ON {table} USING gin (search_vector)"
            )

    return rebuild


class Migration(migrations.Migration):
    dependencies = [("community", "0019_paper_venue_order_index")]

    operations = [migrations.RunPython(_rebuild(ENGLISH_COLUMNS), _rebuild(ORIGINAL_COLUMNS))]
