"""The Moderators group: its members review submissions, edits and reports (community.permissions)."""

from django.db import migrations

MODERATORS = "Moderators"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=MODERATORS)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0002_moderation"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, remove_group)]
