"""The bigram vectors (`search_cjk`, PostgreSQL only) are computed only for rows whose text holds
Chinese, Japanese or Korean characters; other rows store an empty vector.

Why: `search_cjk` is read only for a query that holds CJK characters (community.search: such a query
always has at least one CJK bigram or prefix term, AND-ed with the rest), so a row without CJK text
can never match it, whatever its vector holds. Until now every row paid for a second full parse of
its text ('simple' over the bigram text, as costly as the English vector) and a second set of GIN
entries: on the Papers with Code import (issue 14) that was about half of PostgreSQL's CPU per paper.
Searches find exactly what they found before. A generated column cannot change its expression in
place: each is dropped and added again, its GIN index with it. SQLite has no stored vectors.
"""

from django.db import migrations

# Frozen copy of community.search.CJK_FIELDS (as migration 0012 in the squashed 0001 made them).
CJK_FIELDS = {
    "paper": ("title", "abstract"),
    "project": ("name", "description_en", "description_zh_hans"),
    "person": ("name", "bio_en", "bio_zh_hans"),
    "jobposting": ("title", "description_en", "description_zh_hans", "location"),
    "fundingopportunity": (
        "title",
        "description_en",
        "description_zh_hans",
        "eligibility_en",
        "eligibility_zh_hans",
    ),
}
# The same class as community.search.CJK_RUN and dc_search_bigrams.
CJK_CLASS = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"


def _rebuild(only_cjk: bool):
    def rebuild(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        for model_name, columns in CJK_FIELDS.items():
            table = quote(apps.get_model("community", model_name)._meta.db_table)
            text = " || ' ' || ".join(f"coalesce({quote(column)}, '')" for column in columns)
            vector = f"to_tsvector('simple'::regconfig, dc_search_bigrams({text}))"
            if only_cjk:
                vector = f"CASE WHEN ({text}) ~ '{CJK_CLASS}' THEN {vector} ELSE ''::tsvector END"
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_cjk")
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN search_cjk tsvector GENERATED ALWAYS AS ({vector}) STORED"
            )
            schema_editor.execute(
                f"CREATE INDEX {model_name}_search_cjk_gin ON {table} USING gin (search_cjk)"
            )

    return rebuild


class Migration(migrations.Migration):
    dependencies = [("community", "0015_catalogue_provenance_leaderboards_stats_sync")]

    operations = [migrations.RunPython(_rebuild(True), _rebuild(False), elidable=False)]
