"""The community app's schema as migrations 0001-0014 left it, in one migration (squashed).

Made with `squashmigrations community 0014` and then written out from the final model state, as
Django's "Squashing migrations" documentation describes. `replaces` names the fourteen old
migrations: a database that applied all of them records this one as applied and migrates on from
it; a new database runs only this. A database that applied some of them but not all cannot take it:
it must first be migrated at commit ee720dd, which still has the old files (README, "Upgrading").

Left out, because each only rewrote rows that a database already held, and a new database holds
none (a database that has them ran the old migrations already):
- 0004 and 0010 copied the English text of guides, topics and descriptions into the new `_en`
  columns;
- 0008 took the last review date of older guides from their history;
- 0009 dropped the plain-text tokens of rest_framework.authtoken (a new database never had them).
0005's functional GIN indexes are left out too: 0007 replaced them with stored vectors.

Kept, in their final form: the Moderators group (0003), which every database needs, and the
PostgreSQL full-text columns (0007, `search_vector`) and CJK bigram columns with their function
(0012, `search_cjk`, `dc_search_bigrams`), generated stored columns that are no model fields.
SQLite (the embedded default) has no tsvector: there they do nothing, as before.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODERATORS = "Moderators"

# Frozen copy of community.search.FULL_TEXT_FIELDS and CJK_FIELDS at the time of migration 0014.
FULL_TEXT_FIELDS = {
    "paper": ("title", "abstract"),
    "project": ("name", "description"),
    "person": ("name", "bio"),
    "jobposting": ("title", "description", "location"),
    "fundingopportunity": ("title", "description", "eligibility"),
}
CJK_FIELDS = {
    "paper": ("title", "abstract"),
    "project": ("name", "description_en", "description_zh_hans"),
    "person": ("name", "bio_en", "bio_zh_hans"),
    "jobposting": ("title", "description_en", "description_zh_hans", "location"),
    "fundingopportunity": ("title", "description_en", "description_zh_hans", "eligibility_en", "eligibility_zh_hans"),
}
FUNCTION = "dc_search_bigrams"
# Kana, CJK extension A, CJK unified ideographs, compatibility ideographs, Hangul syllables: the
# same class as community.search.CJK_RUN.
CJK_CLASS = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"

# The text's non-CJK part as it is, then the overlapping bigrams of its CJK runs (a run of one
# character kept as it is). IMMUTABLE (only immutable built-ins, no setting read), as a generated
# column requires.
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


def create_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=MODERATORS)


def remove_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MODERATORS).delete()


def _vectors(apps, schema_editor):
    """(table, column, index, expression) of every stored vector: `search_vector` ('english', the
    fields joined by spaces, NULL as empty) and `search_cjk` ('simple' over the bigram text)."""
    quote = schema_editor.quote_name
    for column, config, fields_of, wrap in (
        ("search_vector", "english", FULL_TEXT_FIELDS, "{}"),
        ("search_cjk", "simple", CJK_FIELDS, FUNCTION + "({})"),
    ):
        for model_name, fields in fields_of.items():
            table = quote(apps.get_model("community", model_name)._meta.db_table)
            text = " || ' ' || ".join(f"coalesce({quote(field)}, '')" for field in fields)
            expression = f"to_tsvector('{config}'::regconfig, {wrap.format(text)})"
            yield table, column, f"{model_name}_{column}_gin", expression


def add_search_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    for table, column, index, expression in _vectors(apps, schema_editor):
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} tsvector GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin ({column})")


def drop_search_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, _index, _expression in _vectors(apps, schema_editor):
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    schema_editor.execute(f"DROP FUNCTION {FUNCTION}(text)")


class Migration(migrations.Migration):
    replaces = [
        ("community", "0001_initial"),
        ("community", "0002_moderation"),
        ("community", "0003_moderators_group"),
        ("community", "0004_guides_per_language_similar_papers_timeline"),
        ("community", "0005_search_indexes"),
        ("community", "0006_closed_jobs_and_calls"),
        ("community", "0007_stored_search_vectors"),
        ("community", "0008_guide_reviews"),
        ("community", "0009_api_tokens_hashed"),
        ("community", "0010_catalogue_descriptions_per_language"),
        ("community", "0011_funding_rolling_blog_and_workshop_kinds"),
        ("community", "0012_cjk_bigram_search"),
        ("community", "0013_venue_ranks_and_acceptance_rates"),
        ("community", "0014_import_provenance"),
    ]

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("knox", "0009_extend_authtoken_field"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiTokenInfo',
            fields=[
                ('token', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='info', serialize=False, to=settings.KNOX_TOKEN_MODEL, verbose_name='token')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('last_used', models.DateTimeField(blank=True, null=True, verbose_name='last used')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
            },
        ),
        migrations.CreateModel(
            name='Edition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('start_date', models.DateField(blank=True, null=True, verbose_name='first day')),
                ('end_date', models.DateField(blank=True, null=True, verbose_name='last day')),
                ('city', models.CharField(blank=True, max_length=100, verbose_name='city')),
                ('country', models.CharField(blank=True, max_length=100, verbose_name='country')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('external_id', models.CharField(blank=True, help_text='The id a deadline tracker uses, e.g. neurips27', max_length=100, verbose_name='external id')),
                ('call_closed_at', models.DateTimeField(blank=True, db_index=True, help_text='Set by the hourly job to the last paper deadline once every paper deadline has passed. Clear it if a paper deadline is extended afterwards.', null=True, verbose_name='call for papers closed at')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-year', 'venue__name'],
            },
        ),
        migrations.CreateModel(
            name='EditSuggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('approved', 'Approved'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('changes', models.JSONField(help_text='{field: proposed value}')),
                ('language', models.CharField(blank=True, help_text='The language of the translated fields it changes; empty when it changes none.', max_length=10, verbose_name='language')),
                ('comment', models.TextField(blank=True, verbose_name='why')),
                ('reason', models.TextField(blank=True, verbose_name="moderator's reason")),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='edit_suggestions', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('kind', models.CharField(choices=[('research_lab', 'Research lab / university'), ('company', 'Company'), ('government', 'Government body'), ('nonprofit', 'Non-profit'), ('education', 'Education provider'), ('open_source', 'Open-source community')], db_index=True, max_length=20, verbose_name='kind')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                ('country', models.CharField(blank=True, max_length=100, verbose_name='country')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Paper',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('title', models.CharField(max_length=400, verbose_name='title')),
                ('abstract', models.TextField(blank=True, verbose_name='abstract')),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='year')),
                ('volume', models.CharField(blank=True, max_length=20, verbose_name='volume')),
                ('issue', models.CharField(blank=True, max_length=20, verbose_name='issue')),
                ('pages', models.CharField(blank=True, max_length=30, verbose_name='pages')),
                ('arxiv_id', models.CharField(blank=True, help_text='e.g. 1706.03762', max_length=32, verbose_name='arXiv id')),
                ('doi', models.CharField(blank=True, help_text='e.g. 10.1038/nature14236', max_length=200, verbose_name='DOI')),
                ('url', models.URLField(blank=True, verbose_name='paper link')),
                ('pdf_url', models.URLField(blank=True, verbose_name='PDF link')),
                ('code_url', models.URLField(blank=True, verbose_name='code link')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('edition', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='papers', to='community.edition')),
            ],
            options={
                'ordering': ['-year', 'title'],
            },
        ),
        migrations.CreateModel(
            name='Authorship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('paper', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='authorships', to='community.paper')),
            ],
            options={
                'ordering': ['paper', 'position'],
            },
        ),
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('name', models.CharField(db_index=True, max_length=200, verbose_name='name')),
                ('homepage', models.URLField(blank=True, verbose_name='homepage')),
                ('orcid', models.CharField(blank=True, max_length=19, verbose_name='ORCID')),
                ('bio', models.TextField(blank=True, verbose_name='short biography')),
                ('bio_en', models.TextField(blank=True, null=True, verbose_name='short biography')),
                ('bio_zh_hans', models.TextField(blank=True, null=True, verbose_name='short biography')),
                ('affiliation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='people', to='community.organization')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'people',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='paper',
            name='authors',
            field=models.ManyToManyField(blank=True, related_name='papers', through='community.Authorship', to='community.person'),
        ),
        migrations.AddField(
            model_name='authorship',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='authorships', to='community.person'),
        ),
        migrations.CreateModel(
            name='Project',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                ('kind', models.CharField(choices=[('framework', 'Framework'), ('library', 'Library'), ('dataset', 'Dataset'), ('tool', 'Tool')], db_index=True, max_length=12, verbose_name='kind')),
                ('repository_url', models.URLField(unique=True, verbose_name='repository')),
                ('homepage', models.URLField(blank=True, verbose_name='homepage')),
                ('license', models.CharField(blank=True, max_length=100, verbose_name='licence')),
                ('language', models.CharField(blank=True, max_length=60, verbose_name='main language')),
                ('stars', models.PositiveIntegerField(blank=True, null=True)),
                ('forks', models.PositiveIntegerField(blank=True, null=True)),
                ('last_activity_at', models.DateTimeField(blank=True, null=True)),
                ('stats_fetched_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='projects', to='community.organization')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='paper',
            name='projects',
            field=models.ManyToManyField(blank=True, related_name='papers', to='community.project'),
        ),
        migrations.CreateModel(
            name='Provenance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('source', models.CharField(help_text='e.g. ccf-deadlines, ai-deadlines', max_length=64, verbose_name='source')),
                ('file', models.CharField(max_length=500, verbose_name='file or URL')),
                ('revision', models.CharField(blank=True, help_text='a commit, or a fetch date', max_length=100, verbose_name='revision')),
                ('licence', models.CharField(blank=True, max_length=100, verbose_name='licence')),
                ('attribution', models.CharField(blank=True, max_length=300, verbose_name='attribution')),
                ('first_imported_at', models.DateTimeField(auto_now_add=True, verbose_name='first imported')),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
            ],
            options={
                'ordering': ['source', 'file'],
            },
        ),
        migrations.CreateModel(
            name='Report',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('approved', 'Approved'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('reason', models.CharField(choices=[('wrong', 'Wrong or outdated information'), ('duplicate', 'Duplicate of another item'), ('broken_link', 'Broken link'), ('spam', 'Spam or advertising'), ('offensive', 'Offensive content'), ('other', 'Something else')], max_length=16)),
                ('message', models.TextField(blank=True, verbose_name='details')),
                ('resolution', models.TextField(blank=True, verbose_name="moderator's note")),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('reported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reports', to=settings.AUTH_USER_MODEL)),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='SimilarPaper',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.FloatField(verbose_name='cosine similarity')),
                ('rank', models.PositiveSmallIntegerField()),
                ('paper', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='similar_links', to='community.paper')),
                ('similar', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='community.paper')),
            ],
            options={
                'ordering': ['paper', 'rank'],
            },
        ),
        migrations.CreateModel(
            name='TimelineEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('year', models.PositiveSmallIntegerField(db_index=True, verbose_name='year')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('text', models.CharField(max_length=300, verbose_name='what happened')),
                ('text_en', models.CharField(max_length=300, null=True, verbose_name='what happened')),
                ('text_zh_hans', models.CharField(max_length=300, null=True, verbose_name='what happened')),
                ('paper', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='timeline_events', to='community.paper')),
                ('project', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='timeline_events', to='community.project')),
            ],
            options={
                'verbose_name': 'timeline event',
                'verbose_name_plural': 'timeline events',
                'ordering': ['year', 'position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Topic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('name_en', models.CharField(max_length=100, null=True, unique=True, verbose_name='name')),
                ('name_zh_hans', models.CharField(max_length=100, null=True, unique=True, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='children', to='community.topic')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='project',
            name='topics',
            field=models.ManyToManyField(blank=True, related_name='projects', to='community.topic'),
        ),
        migrations.AddField(
            model_name='paper',
            name='topics',
            field=models.ManyToManyField(blank=True, related_name='papers', to='community.topic'),
        ),
        migrations.AddField(
            model_name='organization',
            name='topics',
            field=models.ManyToManyField(blank=True, related_name='organizations', to='community.topic'),
        ),
        migrations.CreateModel(
            name='JobPosting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                ('kind', models.CharField(choices=[('full_time', 'Full-time'), ('part_time', 'Part-time'), ('internship', 'Internship'), ('phd', 'PhD position'), ('postdoc', 'Postdoc'), ('faculty', 'Faculty'), ('contract', 'Contract')], db_index=True, max_length=12, verbose_name='kind')),
                ('location', models.CharField(blank=True, max_length=200, verbose_name='location')),
                ('remote', models.BooleanField(default=False, verbose_name='remote possible')),
                ('apply_url', models.URLField(verbose_name='where to apply')),
                ('posted_on', models.DateField(verbose_name='posted on')),
                ('closes_on', models.DateField(blank=True, null=True, verbose_name='closes on')),
                ('closed_at', models.DateTimeField(blank=True, db_index=True, help_text='When the posting stopped taking applications: set by the hourly job once the closing date has passed, or by a moderator when the position is filled. Clear it to reopen the posting.', null=True, verbose_name='closed at')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to='community.organization')),
                ('topics', models.ManyToManyField(blank=True, related_name='jobs', to='community.topic')),
            ],
            options={
                'ordering': ['-posted_on', 'title'],
            },
        ),
        migrations.CreateModel(
            name='FundingOpportunity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                ('kind', models.CharField(choices=[('grant', 'Grant'), ('fellowship', 'Fellowship'), ('compute', 'Compute credits'), ('prize', 'Prize')], db_index=True, max_length=12, verbose_name='kind')),
                ('amount_min', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='smallest amount')),
                ('amount_max', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='largest amount')),
                ('currency', models.CharField(blank=True, help_text='ISO 4217, e.g. USD', max_length=3, verbose_name='currency')),
                ('deadline', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='deadline (UTC)')),
                ('rolling', models.BooleanField(default=False, help_text='Tick when the call takes applications all year round. A call with no deadline that is not rolling shows “date not announced” and is not listed as open.', verbose_name='rolling (no deadline)')),
                ('deadline_timezone', models.CharField(default='UTC', max_length=64, verbose_name='announced timezone')),
                ('closed_at', models.DateTimeField(blank=True, db_index=True, help_text='When the call stopped taking applications: set by the hourly job once the deadline has passed, or by a moderator. Clear it to reopen the call.', null=True, verbose_name='closed at')),
                ('eligibility', models.TextField(blank=True, verbose_name='who can apply')),
                ('eligibility_en', models.TextField(blank=True, null=True, verbose_name='who can apply')),
                ('eligibility_zh_hans', models.TextField(blank=True, null=True, verbose_name='who can apply')),
                ('url', models.URLField(verbose_name='details')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('funder', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='funding', to='community.organization')),
                ('topics', models.ManyToManyField(blank=True, related_name='funding', to='community.topic')),
            ],
            options={
                'verbose_name_plural': 'funding opportunities',
                'ordering': ['deadline', 'title'],
            },
        ),
        migrations.CreateModel(
            name='Channel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('kind', models.CharField(choices=[('forum', 'Forum'), ('social', 'Social network'), ('job_board', 'Job board'), ('mailing_list', 'Mailing list'), ('chat', 'Chat'), ('blog', 'Blog')], db_index=True, max_length=16, verbose_name='kind')),
                ('url', models.URLField(verbose_name='address')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('topics', models.ManyToManyField(blank=True, related_name='channels', to='community.topic')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Venue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('name', models.CharField(help_text='e.g. NeurIPS, JMLR', max_length=100, unique=True, verbose_name='short name')),
                ('full_name', models.CharField(blank=True, max_length=300, verbose_name='full name')),
                ('kind', models.CharField(choices=[('conference', 'Conference'), ('journal', 'Journal'), ('workshop', 'Workshop')], db_index=True, max_length=12, verbose_name='kind')),
                ('publisher', models.CharField(blank=True, max_length=200, verbose_name='publisher')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                ('ccf_rank', models.CharField(blank=True, choices=[('A', 'A'), ('B', 'B'), ('C', 'C'), ('N', 'not ranked')], max_length=1, verbose_name='CCF rank')),
                ('core_rank', models.CharField(blank=True, choices=[('A*', 'A*'), ('A', 'A'), ('B', 'B'), ('C', 'C'), ('N', 'not ranked')], max_length=2, verbose_name='CORE rank')),
                ('thcpl_rank', models.CharField(blank=True, choices=[('A', 'A'), ('B', 'B'), ('N', 'not ranked')], max_length=1, verbose_name='THCPL rank')),
                ('ccf_field', models.CharField(blank=True, choices=[('AI', 'Artificial intelligence'), ('CG', 'Computer graphics and multimedia'), ('CT', 'Computing theory'), ('DB', 'Databases, data mining and information retrieval'), ('DS', 'Computer architecture, parallel and distributed computing, storage'), ('HI', 'Human-computer interaction and ubiquitous computing'), ('MX', 'Interdisciplinary, combined and emerging areas'), ('NW', 'Computer networks'), ('SC', 'Network and information security'), ('SE', 'Software engineering, systems software and programming languages')], max_length=2, verbose_name='CCF field')),
                ('dblp_key', models.CharField(blank=True, db_index=True, help_text='e.g. emnlp for dblp.org/db/conf/emnlp', max_length=100, verbose_name='dblp key')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('topics', models.ManyToManyField(blank=True, related_name='venues', to='community.topic')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='paper',
            name='venue',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='papers', to='community.venue'),
        ),
        migrations.CreateModel(
            name='Guide',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('status', models.CharField(choices=[('pending', 'Pending review'), ('published', 'Published'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=16)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('title_en', models.CharField(max_length=200, null=True, verbose_name='title')),
                ('title_zh_hans', models.CharField(max_length=200, null=True, verbose_name='title')),
                ('summary', models.CharField(blank=True, max_length=400, verbose_name='summary')),
                ('summary_en', models.CharField(blank=True, max_length=400, null=True, verbose_name='summary')),
                ('summary_zh_hans', models.CharField(blank=True, max_length=400, null=True, verbose_name='summary')),
                ('body', models.TextField(verbose_name='body (Markdown)')),
                ('body_en', models.TextField(null=True, verbose_name='body (Markdown)')),
                ('body_zh_hans', models.TextField(null=True, verbose_name='body (Markdown)')),
                ('order', models.PositiveSmallIntegerField(default=0, help_text='Guides are listed by this number, lowest first.', verbose_name='reading order')),
                ('benchmark', models.SlugField(blank=True, help_text='Slug of a training benchmark whose live leaderboard the guide shows, e.g. mnist1d-cnn.', max_length=80, verbose_name='reference benchmark')),
                ('reviewed_on', models.DateField(blank=True, help_text='Set when a moderator approves the guide or an edit of it, or marks it reviewed.', null=True, verbose_name='last reviewed')),
                ('channels', models.ManyToManyField(blank=True, related_name='guides', to='community.channel')),
                ('created_by', models.ForeignKey(blank=True, help_text='Empty for items loaded by the seed data or an importer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organizations', models.ManyToManyField(blank=True, related_name='guides', to='community.organization')),
                ('papers', models.ManyToManyField(blank=True, related_name='guides', to='community.paper')),
                ('projects', models.ManyToManyField(blank=True, related_name='guides', to='community.project')),
                ('topics', models.ManyToManyField(blank=True, related_name='guides', to='community.topic')),
                ('venues', models.ManyToManyField(blank=True, related_name='guides', to='community.venue')),
            ],
            options={
                'ordering': ['order', 'title'],
            },
        ),
        migrations.AddField(
            model_name='edition',
            name='venue',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='editions', to='community.venue'),
        ),
        migrations.CreateModel(
            name='Deadline',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('abstract', 'Abstract'), ('paper', 'Paper'), ('supplementary', 'Supplementary material'), ('rebuttal', 'Rebuttal'), ('notification', 'Notification'), ('camera_ready', 'Camera-ready'), ('other', 'Other')], max_length=16, verbose_name='kind')),
                ('label', models.CharField(blank=True, help_text='e.g. special issue title', max_length=200, verbose_name='label')),
                ('due_at', models.DateTimeField(db_index=True, verbose_name='due (UTC)')),
                ('timezone_label', models.CharField(default='AoE', max_length=64, verbose_name='announced timezone')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('edition', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deadlines', to='community.edition')),
                ('venue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deadlines', to='community.venue')),
            ],
            options={
                'ordering': ['due_at'],
            },
        ),
        migrations.CreateModel(
            name='AcceptanceRate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('submitted', models.PositiveIntegerField(blank=True, null=True, verbose_name='submitted')),
                ('accepted', models.PositiveIntegerField(blank=True, null=True, verbose_name='accepted')),
                ('rate', models.FloatField(blank=True, help_text='a fraction, 0 to 1', null=True, verbose_name='acceptance rate')),
                ('source_url', models.URLField(blank=True, max_length=500, verbose_name='source')),
                ('venue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acceptance_rates', to='community.venue')),
            ],
            options={
                'ordering': ['venue', 'year'],
            },
        ),
        migrations.CreateModel(
            name='ChangeRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('action', models.CharField(choices=[('submitted', 'Submitted'), ('created', 'Created'), ('imported', 'Imported'), ('updated', 'Updated'), ('edit_applied', 'Suggested edit applied'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('merged', 'Merged'), ('reviewed', 'Marked as reviewed')], max_length=16)),
                ('changes', models.JSONField(blank=True, default=dict, help_text='{field: [old, new]}')),
                ('note', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['content_type', 'object_id', 'created_at'], name='change_item_idx')],
            },
        ),
        migrations.AddConstraint(
            model_name='authorship',
            constraint=models.UniqueConstraint(fields=('paper', 'position'), name='authorship_unique_position'),
        ),
        migrations.AddConstraint(
            model_name='authorship',
            constraint=models.UniqueConstraint(fields=('paper', 'person'), name='authorship_unique_person'),
        ),
        migrations.AddIndex(
            model_name='provenance',
            index=models.Index(fields=['content_type', 'object_id'], name='provenance_item'),
        ),
        migrations.AddConstraint(
            model_name='provenance',
            constraint=models.UniqueConstraint(fields=('content_type', 'object_id', 'source', 'file'), name='provenance_unique_item_source_file'),
        ),
        migrations.AddConstraint(
            model_name='similarpaper',
            constraint=models.UniqueConstraint(fields=('paper', 'rank'), name='similarpaper_unique_rank'),
        ),
        migrations.AddConstraint(
            model_name='similarpaper',
            constraint=models.UniqueConstraint(fields=('paper', 'similar'), name='similarpaper_unique_pair'),
        ),
        migrations.AddConstraint(
            model_name='similarpaper',
            constraint=models.CheckConstraint(condition=models.Q(('paper', models.F('similar')), _negated=True), name='similarpaper_not_self'),
        ),
        migrations.AddConstraint(
            model_name='timelineevent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('paper__isnull', False), ('project__isnull', True)), models.Q(('paper__isnull', True), ('project__isnull', False)), _connector='OR'), name='timelineevent_one_target'),
        ),
        migrations.AddIndex(
            model_name='paper',
            index=models.Index(condition=models.Q(('status', 'published')), fields=['-year', 'title', 'id'], name='paper_published_order_idx'),
        ),
        migrations.AddIndex(
            model_name='paper',
            index=models.Index(condition=models.Q(('status', 'published')), fields=['-created_at', '-id'], name='paper_published_latest_idx'),
        ),
        migrations.AddConstraint(
            model_name='paper',
            constraint=models.UniqueConstraint(condition=models.Q(('arxiv_id', ''), _negated=True), fields=('arxiv_id',), name='paper_unique_arxiv'),
        ),
        migrations.AddConstraint(
            model_name='paper',
            constraint=models.UniqueConstraint(condition=models.Q(('doi', ''), _negated=True), fields=('doi',), name='paper_unique_doi'),
        ),
        migrations.AddConstraint(
            model_name='edition',
            constraint=models.UniqueConstraint(fields=('venue', 'year'), name='edition_unique_venue_year'),
        ),
        migrations.AddConstraint(
            model_name='edition',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('start_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='edition_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='deadline',
            constraint=models.UniqueConstraint(fields=('venue', 'edition', 'kind', 'label'), name='deadline_unique_kind'),
        ),
        migrations.AddConstraint(
            model_name='acceptancerate',
            constraint=models.UniqueConstraint(fields=('venue', 'year'), name='acceptance_rate_unique_venue_year'),
        ),
        migrations.AddConstraint(
            model_name='acceptancerate',
            constraint=models.CheckConstraint(condition=models.Q(('rate__isnull', True), models.Q(('rate__gte', 0), ('rate__lte', 1)), _connector='OR'), name='acceptance_rate_in_0_1'),
        ),
        migrations.RunPython(create_moderators_group, remove_moderators_group),
        migrations.RunPython(add_search_vectors, drop_search_vectors, elidable=False),
    ]
