"""API tokens move to django-rest-knox (hashed, expiring): a name and last use per token, and the
plain-text tokens of rest_framework.authtoken revoked by dropping their table (that app is no longer
installed; owners make new tokens on /account/tokens/, as the README says)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drop_plain_text_tokens(apps, schema_editor):
    # The app is gone from INSTALLED_APPS, so its model cannot be loaded here: drop the table directly,
    # if an older database has it (a new one never did).
    if "authtoken_token" in schema_editor.connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0008_guide_reviews"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiTokenInfo",
            fields=[
                (
                    "token",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="info",
                        serialize=False,
                        to=settings.KNOX_TOKEN_MODEL,
                        verbose_name="token",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("last_used", models.DateTimeField(blank=True, null=True, verbose_name="last used")),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
            },
        ),
        migrations.RunPython(drop_plain_text_tokens, migrations.RunPython.noop, elidable=True),
    ]
