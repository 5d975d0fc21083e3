"""Indexes for search and the papers list at catalogue scale.

- `paper_published_order_idx` and `paper_published_latest_idx` (every database): the papers list's
  order and the home page's latest papers, published papers only.
- On PostgreSQL only, a functional GIN index per big kind on
  `to_tsvector('english', coalesce(field, '') || ' ' || ...)`, the expression community/search.py
  queries with. It is not in the models' Meta because SQLite cannot create it; a RunPython that does
  nothing elsewhere keeps `make run` and `make test` on SQLite working and `makemigrations` clean.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

# Frozen copy of community.search.FULL_TEXT_FIELDS at the time of this migration.
FULL_TEXT_FIELDS = {
    "paper": ("title", "abstract"),
    "project": ("name", "description"),
    "person": ("name", "bio"),
    "jobposting": ("title", "description", "location"),
    "fundingopportunity": ("title", "description", "eligibility"),
}


def _indexes(apps):
    for model_name, fields in FULL_TEXT_FIELDS.items():
        model = apps.get_model("community", model_name)
        yield model, GinIndex(SearchVector(*fields, config="english"), name=f"{model_name}_fts_gin")


def create_full_text_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def drop_full_text_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0004_guides_per_language_similar_papers_timeline"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="paper",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-year", "title", "id"],
                name="paper_published_order_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="paper",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["-created_at", "-id"],
                name="paper_published_latest_idx",
            ),
        ),
        migrations.RunPython(create_full_text_indexes, drop_full_text_indexes, elidable=False),
    ]
