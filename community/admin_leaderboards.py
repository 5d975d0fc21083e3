"""Admin of the Papers with Code archive's kinds (issue 14): tasks, datasets, methods, claimed results
and a paper's code. Imported, not submitted, so no moderation actions; every change form records the
fields a moderator set (RecordsFieldEdits), which a later import leaves alone, a result's ranking
direction (`higher_is_better`) included. Imported by CommunityConfig.ready (community.admin cannot
import it back: the app's modules import one way)."""

from django.contrib import admin

from . import models as catalogue
from .admin import RecordsFieldEdits


class ImportedItemAdmin(RecordsFieldEdits):
    """A task, dataset or method: searched by name, full name and description, filtered by status."""

    list_filter = ("status",)
    search_fields = ("name", "full_name", "description")
    readonly_fields = ("created_by", "created_at", "updated_at")
    list_per_page = 50


@admin.register(catalogue.Task)
class TaskAdmin(ImportedItemAdmin):
    list_display = ("name", "area", "parent", "status")
    list_select_related = ("parent",)
    list_filter = ("status", "area")
    search_fields = ("name", "description")
    autocomplete_fields = ("parent", "papers")


@admin.register(catalogue.Dataset)
class DatasetAdmin(ImportedItemAdmin):
    list_display = ("name", "full_name", "variant_of", "introduced_date", "status")
    list_select_related = ("variant_of",)
    autocomplete_fields = ("variant_of", "tasks")


@admin.register(catalogue.Method)
class MethodAdmin(ImportedItemAdmin):
    list_display = ("name", "full_name", "introduced_year", "status")
    autocomplete_fields = ("paper", "papers")


@admin.register(catalogue.Result)
class ResultAdmin(RecordsFieldEdits):
    """A claimed result. `higher_is_better` empty: the metric table decides (community.metrics);
    set it where the table is wrong for this metric."""

    list_display = (
        "model_name",
        "metric",
        "value_text",
        "value",
        "higher_is_better",
        "task",
        "dataset",
        "paper_date",
        "uses_additional_data",
    )
    list_select_related = ("task", "dataset")
    list_filter = ("higher_is_better", "uses_additional_data", "source")
    search_fields = ("model_name", "paper_title", "metric", "task__name", "dataset__name")
    autocomplete_fields = ("task", "dataset", "paper")
    readonly_fields = ("row_key", "source", "created_at", "updated_at")
    list_per_page = 50


@admin.register(catalogue.PaperCode)
class PaperCodeAdmin(RecordsFieldEdits):
    list_display = ("paper", "project", "is_official", "framework")
    list_select_related = ("paper", "project")
    list_filter = ("is_official", "framework")
    search_fields = ("paper__title", "project__name", "project__repository_url")
    autocomplete_fields = ("paper", "project")
    list_per_page = 50
