"""The filters of the task, dataset, method and result lists (issue 14), built like community.filters
(which the portal's other lists and the API use): related items by slug (a slug that names nothing
published is a form error, so a 400), `q` through community.search, orderings ending on the key."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy as _

from community import models as catalogue
from community.filters import SearchFilterSet, StableOrderingFilter, _name_ordering


def _published(model):
    return lambda request=None: model.objects.published()


def _slug_filter(model, label, empty_label, field_name=None):
    """A published item by slug, typed rather than picked: the archive has thousands of tasks, which
    a select would list on every page."""
    return filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=_published(model),
        to_field_name="slug",
        label=label,
        empty_label=empty_label,
        widget=forms.TextInput(attrs={"placeholder": _("slug")}),
    )


def _introduced_ordering(introduced: str) -> StableOrderingFilter:
    """By name, by when it was introduced (`introduced`: its date or year), or by papers using it."""
    return StableOrderingFilter(
        fields=(("name", "name"), (introduced, "introduced"), ("num_papers", "papers")),
        field_labels={"name": _("Name"), introduced: _("Introduced"), "num_papers": _("Papers using it")},
        label=_("Sort by"),
    )


class TaskFilter(SearchFilterSet):
    search_fields = ("name", "description")

    area = filters.CharFilter(field_name="area", lookup_expr="iexact", label=_("Area"), max_length=100)
    parent = _slug_filter(catalogue.Task, _("Part of"), _("Any task"))
    ordering = _name_ordering()

    class Meta:
        model = catalogue.Task
        fields = ["q", "area", "parent"]


class DatasetFilter(SearchFilterSet):
    search_fields = ("name", "full_name", "description")

    task = _slug_filter(catalogue.Task, _("Task"), _("Any task"), field_name="tasks")
    ordering = _introduced_ordering("introduced_date")

    class Meta:
        model = catalogue.Dataset
        fields = ["q", "task"]


class MethodFilter(SearchFilterSet):
    search_fields = ("name", "full_name", "description")

    ordering = _introduced_ordering("introduced_year")

    class Meta:
        model = catalogue.Method
        fields = ["q"]


class ResultFilter(SearchFilterSet):
    """The API's claimed results: by task, dataset, metric (its exact name) and paper."""

    search_fields = ("model_name", "paper_title")

    task = _slug_filter(catalogue.Task, _("Task"), _("Any task"))
    dataset = _slug_filter(catalogue.Dataset, _("Dataset"), _("Any dataset"))
    metric = filters.CharFilter(field_name="metric", label=_("Metric"), max_length=200)
    paper = _slug_filter(catalogue.Paper, _("Paper"), _("Any paper"))
    ordering = StableOrderingFilter(
        fields=(("value", "value"), ("paper_date", "date"), ("model_name", "model")),
        field_labels={"value": _("Value"), "paper_date": _("Paper date"), "model_name": _("Model")},
        label=_("Sort by"),
    )

    class Meta:
        model = catalogue.Result
        fields = ["q", "task", "dataset", "metric", "paper"]
