"""This round's catalogue schema in one migration (issue 13: one migration per change that lands, not
one per working step): per-field moderator edits (`FieldEdit`); the Papers with Code archive's kinds
(Task, Dataset, Method, Result, PaperCode, PwcPaper) and its import jobs; stored catalogue statistics
(`Topic.papers_per_year`, `Project.paper_count`); the venue-ordered papers index; the deadline
sources' conditional-GET state (`SourceFetch`).

And, on PostgreSQL only, the stored English full-text vectors (`search_vector`) now read each
translated text's English column (`description_en`, `bio_en`, `eligibility_en`) instead of the
original column, which modeltranslation fills with whichever language was saved last: a description
written in Chinese after its English text had taken the English words out of English search. The
Chinese text is searched through `search_cjk`, which already read every language's column. A
generated column cannot change its expression in place: each is dropped and added again (its GIN
index goes with it and is made again). SQLite has no stored vectors: nothing to do there.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

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
    dependencies = [
        # The old name, which the squashed 0001 replaces: a database part-way through the old
        # migrations is then refused with Django's own message instead of re-running 0001.
        ("community", "0014_import_provenance"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Dataset",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending review"),
                            ("published", "Published"),
                            ("rejected", "Rejected"),
                        ],
                        db_index=True,
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(db_index=True, max_length=300, verbose_name="name")),
                ("full_name", models.CharField(blank=True, max_length=300, verbose_name="full name")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("homepage", models.URLField(blank=True, max_length=500, verbose_name="homepage")),
                (
                    "pwc_url",
                    models.URLField(blank=True, max_length=500, verbose_name="Papers with Code page"),
                ),
                ("introduced_date", models.DateField(blank=True, null=True, verbose_name="introduced")),
                ("modalities", models.JSONField(blank=True, default=list, verbose_name="modalities")),
                ("languages", models.JSONField(blank=True, default=list, verbose_name="languages")),
                (
                    "num_papers",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="papers using it"),
                ),
                ("data_loaders", models.JSONField(blank=True, default=list, verbose_name="data loaders")),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="FieldEdit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                ("field", models.CharField(max_length=100, verbose_name="field")),
                ("edited_at", models.DateTimeField(verbose_name="edited at")),
            ],
            options={
                "verbose_name": "field edited by a moderator",
                "verbose_name_plural": "fields edited by moderators",
                "ordering": ["content_type", "object_id", "field"],
            },
        ),
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file_name", models.CharField(max_length=255, verbose_name="file")),
                ("path", models.CharField(editable=False, max_length=1000, verbose_name="stored at")),
                (
                    "origin",
                    models.CharField(
                        choices=[("upload", "uploaded"), ("folder", "import folder")],
                        max_length=10,
                        verbose_name="origin",
                    ),
                ),
                ("revision", models.CharField(blank=True, max_length=100, verbose_name="dump date")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="started")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="running since")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "queued"),
                            ("running", "running"),
                            ("done", "done"),
                            ("failed", "failed"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("done", models.BigIntegerField(default=0, verbose_name="done")),
                ("total", models.BigIntegerField(default=0, verbose_name="of")),
                ("progress_at", models.DateTimeField(blank=True, null=True, verbose_name="progress written")),
                (
                    "checkpoint",
                    models.BigIntegerField(
                        default=0, help_text="a failed job resumes after this row", verbose_name="rows stored"
                    ),
                ),
                ("kind", models.CharField(blank=True, max_length=40, verbose_name="kind of file")),
                ("counts", models.JSONField(blank=True, default=dict, verbose_name="counts")),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("error", models.TextField(blank=True, verbose_name="error")),
                (
                    "report_path",
                    models.CharField(blank=True, editable=False, max_length=1000, verbose_name="report file"),
                ),
            ],
            options={
                "verbose_name": "archive import",
                "verbose_name_plural": "archive imports",
                "ordering": ["-created_at", "-pk"],
                "permissions": [("import_pwc", "Can import files of the Papers with Code archive")],
            },
        ),
        migrations.CreateModel(
            name="Method",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending review"),
                            ("published", "Published"),
                            ("rejected", "Rejected"),
                        ],
                        db_index=True,
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(db_index=True, max_length=300, verbose_name="name")),
                ("full_name", models.CharField(blank=True, max_length=300, verbose_name="full name")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                (
                    "pwc_url",
                    models.URLField(blank=True, max_length=500, verbose_name="Papers with Code page"),
                ),
                (
                    "introduced_year",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="introduced in"),
                ),
                ("source_url", models.URLField(blank=True, max_length=500, verbose_name="source")),
                ("source_title", models.CharField(blank=True, max_length=400, verbose_name="source title")),
                (
                    "code_snippet_url",
                    models.URLField(blank=True, max_length=500, verbose_name="code snippet"),
                ),
                (
                    "num_papers",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="papers using it"),
                ),
                ("collections", models.JSONField(blank=True, default=list, verbose_name="collections")),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="PaperCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("is_official", models.BooleanField(default=False, verbose_name="official")),
                ("framework", models.CharField(blank=True, max_length=60, verbose_name="framework")),
                (
                    "mentioned_in_paper",
                    models.BooleanField(default=False, verbose_name="mentioned in the paper"),
                ),
                (
                    "mentioned_in_github",
                    models.BooleanField(default=False, verbose_name="mentioned in the repository"),
                ),
            ],
            options={
                "ordering": ["paper", "-is_official", "pk"],
            },
        ),
        migrations.CreateModel(
            name="PwcPaper",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(max_length=500, unique=True, verbose_name="Papers with Code page")),
                ("created_by_archive", models.BooleanField(default=True)),
            ],
            options={
                "verbose_name": "Papers with Code page",
                "verbose_name_plural": "Papers with Code pages",
            },
        ),
        migrations.CreateModel(
            name="Result",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("paper_title", models.CharField(blank=True, max_length=400, verbose_name="paper title")),
                ("paper_url", models.URLField(blank=True, max_length=500, verbose_name="paper link")),
                ("paper_date", models.DateField(blank=True, null=True, verbose_name="paper date")),
                ("model_name", models.CharField(max_length=300, verbose_name="model")),
                ("metric", models.CharField(max_length=200, verbose_name="metric")),
                (
                    "value",
                    models.DecimalField(
                        blank=True, decimal_places=10, max_digits=30, null=True, verbose_name="value"
                    ),
                ),
                ("value_text", models.CharField(blank=True, max_length=100, verbose_name="value as written")),
                (
                    "higher_is_better",
                    models.BooleanField(
                        blank=True,
                        help_text="Empty: decided by the metric's name. Set it when the metric table is wrong.",
                        null=True,
                        verbose_name="higher is better",
                    ),
                ),
                (
                    "uses_additional_data",
                    models.BooleanField(default=False, verbose_name="extra training data"),
                ),
                ("code_links", models.JSONField(blank=True, default=list, verbose_name="code links")),
                ("model_links", models.JSONField(blank=True, default=list, verbose_name="model links")),
                ("source", models.CharField(blank=True, max_length=64, verbose_name="source")),
                ("row_key", models.CharField(editable=False, max_length=40)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["task", "dataset", "metric", "-value", "paper_date", "pk"],
            },
        ),
        migrations.CreateModel(
            name="SourceFetch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(max_length=500, unique=True, verbose_name="address")),
                ("etag", models.CharField(blank=True, max_length=300, verbose_name="ETag")),
                ("last_modified", models.CharField(blank=True, max_length=100, verbose_name="Last-Modified")),
                ("checked_at", models.DateTimeField(blank=True, null=True, verbose_name="last asked")),
                ("changed_at", models.DateTimeField(blank=True, null=True, verbose_name="last changed")),
                ("revision", models.CharField(blank=True, max_length=100, verbose_name="revision")),
                ("file_hashes", models.JSONField(blank=True, default=dict, verbose_name="file hashes")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
            ],
            options={
                "verbose_name": "synced deadline source",
                "verbose_name_plural": "synced deadline sources",
                "ordering": ["url"],
            },
        ),
        migrations.CreateModel(
            name="Task",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending review"),
                            ("published", "Published"),
                            ("rejected", "Rejected"),
                        ],
                        db_index=True,
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(max_length=300, unique=True, verbose_name="name")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("area", models.CharField(blank=True, max_length=100, verbose_name="area")),
                (
                    "pwc_url",
                    models.URLField(blank=True, max_length=500, verbose_name="Papers with Code page"),
                ),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="project",
            name="paper_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="papers linking it"),
        ),
        migrations.AddField(
            model_name="topic",
            name="papers_per_year",
            field=models.JSONField(blank=True, default=list, editable=False, verbose_name="papers per year"),
        ),
        migrations.AddIndex(
            model_name="paper",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["venue", "-year", "title", "id"],
                name="paper_venue_order_idx",
            ),
        ),
        migrations.AddField(
            model_name="dataset",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for items loaded by the seed data or an importer.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="dataset",
            name="variant_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="variants",
                to="community.dataset",
            ),
        ),
        migrations.AddField(
            model_name="fieldedit",
            name="content_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype"
            ),
        ),
        migrations.AddField(
            model_name="fieldedit",
            name="edited_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="method",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for items loaded by the seed data or an importer.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="method",
            name="paper",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="methods_introduced",
                to="community.paper",
            ),
        ),
        migrations.AddField(
            model_name="method",
            name="papers",
            field=models.ManyToManyField(blank=True, related_name="methods", to="community.paper"),
        ),
        migrations.AddField(
            model_name="papercode",
            name="paper",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="code", to="community.paper"
            ),
        ),
        migrations.AddField(
            model_name="papercode",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="paper_code", to="community.project"
            ),
        ),
        migrations.AddField(
            model_name="pwcpaper",
            name="paper",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="pwc", to="community.paper"
            ),
        ),
        migrations.AddField(
            model_name="result",
            name="dataset",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="results", to="community.dataset"
            ),
        ),
        migrations.AddField(
            model_name="result",
            name="paper",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="claimed_results",
                to="community.paper",
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for items loaded by the seed data or an importer.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="papers",
            field=models.ManyToManyField(blank=True, related_name="tasks", to="community.paper"),
        ),
        migrations.AddField(
            model_name="task",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="subtasks",
                to="community.task",
            ),
        ),
        migrations.AddField(
            model_name="result",
            name="task",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="results", to="community.task"
            ),
        ),
        migrations.AddField(
            model_name="dataset",
            name="tasks",
            field=models.ManyToManyField(blank=True, related_name="datasets", to="community.task"),
        ),
        migrations.AddConstraint(
            model_name="fieldedit",
            constraint=models.UniqueConstraint(
                fields=("content_type", "object_id", "field"), name="fieldedit_unique_item_field"
            ),
        ),
        migrations.AddIndex(
            model_name="importjob",
            index=models.Index(fields=["status"], name="importjob_status"),
        ),
        migrations.AddConstraint(
            model_name="papercode",
            constraint=models.UniqueConstraint(fields=("paper", "project"), name="papercode_unique_pair"),
        ),
        migrations.AddIndex(
            model_name="result",
            index=models.Index(fields=["task", "dataset", "metric", "value"], name="result_leaderboard"),
        ),
        migrations.AddConstraint(
            model_name="result",
            constraint=models.UniqueConstraint(
                fields=("task", "dataset", "metric", "row_key"), name="result_unique_row"
            ),
        ),
        migrations.RunPython(_rebuild(ENGLISH_COLUMNS), _rebuild(ORIGINAL_COLUMNS)),
    ]
