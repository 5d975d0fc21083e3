"""Chinese (and other CJK) full-text search on PostgreSQL: a stored bigram vector per big table.

PostgreSQL's default text-search parser has no word breaker for scripts written without spaces: it
reads "卷积神经网络是一种模型" as one word, so no query for 卷积 can match it. Without a server
extension (zhparser and the like are not contrib modules; pg_trgm's trigrams drop non-ASCII
characters under some locales), the portable answer is bigrams: every run of CJK characters is cut
into its overlapping two-character pieces ("卷积 积神 神经 经网 网络 ..."), which the default parser
and the 'simple' config store as words. A query is cut the same way and its pieces must follow one
another (`'卷积' <-> '积神'`), so a query of two or more characters is answered from the index.

`dc_search_bigrams(text)` returns the text's non-CJK part as it is (its words are matched as
prefixes, 'simple' config: no stemming, no stop words) followed by the bigrams of its CJK runs; a
run of one character is kept as it is. It is IMMUTABLE (only immutable built-ins, no setting
read), as a generated column requires. The column `search_cjk` covers every language's column
of each translated field (description_en and description_zh_hans, ...): a reader on either site
finds an item by either text. Like `search_vector` (migration 0007) it is no model field; SQLite
has none (the substring fallback matches Chinese there as it is).
"""

from django.db import migrations

# Frozen copy of community.search.CJK_FIELDS at the time of this migration.
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
COLUMN = "search_cjk"
FUNCTION = "dc_search_bigrams"
# Kana, CJK extension A, CJK unified ideographs, compatibility ideographs, Hangul syllables: the
# same class as community.search.CJK_RUN.
CJK_CLASS = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"

CREATE_FUNCTION = rf"""
CREATE OR REPLACE FUNCTION {FUNCTION}(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT pg_catalog.regexp_replace(coalesce(t, ''), '{CJK_CLASS}+', ' ', 'g') || ' ' || coalesce((
    SELECT pg_catalog.string_agg(pg_catalog.substr(m.run[1], i, 2), ' ' ORDER BY m.n, i)
    FROM pg_catalog.regexp_matches(coalesce(t, ''), '{CJK_CLASS}+', 'g') WITH ORDINALITY AS m(run, n),
         pg_catalog.generate_series(1, greatest(pg_catalog.char_length(m.run[1]) - 1, 1)) AS i
), '')
$$
"""  # noqa: S608 (built from this module's constants only)


def _tables(apps, schema_editor):
    quote = schema_editor.quote_name
    for model_name, fields in CJK_FIELDS.items():
        table = apps.get_model("community", model_name)._meta.db_table
        text = " || ' ' || ".join(f"coalesce({quote(field)}, '')" for field in fields)
        yield model_name, quote(table), f"to_tsvector('simple'::regconfig, {FUNCTION}({text}))"


def add_bigram_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    for model_name, table, expression in _tables(apps, schema_editor):
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {model_name}_search_cjk_gin ON {table} USING gin ({COLUMN})")


def drop_bigram_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _model_name, table, _expression in _tables(apps, schema_editor):
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {COLUMN}")
    schema_editor.execute(f"DROP FUNCTION {FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0011_funding_rolling_blog_and_workshop_kinds"),
    ]

    operations = [
        migrations.RunPython(add_bigram_vectors, drop_bigram_vectors, elidable=False),
    ]
