"""Filters of the sweep and run lists (the training app's pages have no FilterSets to reuse)."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from community.filters import IntegerFilter, StableOrderingFilter
from training.models import Benchmark, Device, RunState, Sweep, TrainingRun


class SweepFilter(filters.FilterSet):
    benchmark = filters.ModelChoiceFilter(
        queryset=Benchmark.objects.all(), to_field_name="slug", label=_("Benchmark (slug)")
    )
    state = filters.ChoiceFilter(choices=RunState.choices, label=_("State"))
    device = filters.ChoiceFilter(choices=Device.choices, label=_("Device"))
    published = filters.BooleanFilter(label=_("Published (only staff see unpublished sweeps)"))
    ordering = StableOrderingFilter(
        fields=(("created_at", "created"), ("finished_at", "finished"), ("published_at", "published")),
        label=_("Sort by"),
    )

    class Meta:
        model = Sweep
        fields = ["benchmark", "state", "device", "published"]


class RunFilter(filters.FilterSet):
    sweep = IntegerFilter(field_name="sweep_id", label=_("Sweep id"), min_value=1, max_value=2**63 - 1)
    benchmark = filters.ModelChoiceFilter(
        field_name="sweep__benchmark",
        queryset=Benchmark.objects.all(),
        to_field_name="slug",
        label=_("Benchmark (slug)"),
    )
    state = filters.ChoiceFilter(choices=RunState.choices, label=_("State"))
    ordering = StableOrderingFilter(
        fields=(("queued_at", "queued"), ("finished_at", "finished"), ("seed", "seed")),
        label=_("Sort by"),
    )

    class Meta:
        model = TrainingRun
        fields = ["sweep", "benchmark", "state"]
