"""Forms of the training app: starting reference runs from the admin, checking a benchmark edited
there, and the run ids of the compare page. Validation only; the writes are in training.services."""

from __future__ import annotations

import math

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Benchmark, Device
from .reference.errors import ConfigError
from .reference.registry import spec
from .selectors import MAX_COMPARE_RUNS
from .services.sweeps import MAX_SEEDS


class BenchmarkChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Benchmark) -> str:
        return f"{obj.name} ({obj.slug})"


class StartRunsForm(forms.Form):
    """Benchmarks x number of seeds x device: one sweep per chosen benchmark."""

    benchmarks = BenchmarkChoiceField(
        queryset=Benchmark.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Benchmarks"),
        help_text=_("One sweep is started for each benchmark ticked."),
    )
    seeds = forms.IntegerField(
        label=_("Seeds per benchmark"),
        min_value=1,
        max_value=MAX_SEEDS,
        initial=3,
        help_text=_("N runs per benchmark, with seeds 0 to N−1 (the seed changes only the initial weights)."),
    )
    device = forms.ChoiceField(
        label=_("Device"),
        choices=Device.choices,
        initial=Device.AUTO,
        help_text=_("CPU runs go to the cpu queue, GPU runs to the gpu queue."),
    )


# Paths under /results/ that come before a benchmark's `<slug>/` (see training/urls.py).
RESERVED_SLUGS = frozenset({"compare", "sweeps", "runs"})


class BenchmarkAdminForm(forms.ModelForm):
    """Refuses a config a worker could not train and targets the verdict could not check, so a
    mistake made in the admin shows here, not as a failed run or a broken leaderboard."""

    class Meta:
        model = Benchmark
        fields = (
            "slug",
            "name",
            "description",
            "config",
            "targets",
            "higher_is_better",
            "paper",
            "time_limit_s",
            "leaderboard_task",
            "leaderboard_dataset",
            "leaderboard_metric",
        )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("“%(slug)s” is a path of the results pages; choose another slug."), params={"slug": slug}
            )
        return slug

    def clean_config(self):
        config = self.cleaned_data["config"]
        try:
            spec(config)
        except ConfigError as exc:
            raise ValidationError(
                _("This run config cannot be trained: %(error)s"), params={"error": exc}
            ) from exc
        return config

    def clean(self):
        """A leaderboard is all three of task, dataset and metric (or none), and the metric is one of
        that leaderboard's columns."""
        cleaned = super().clean()
        link = [
            cleaned.get(name) for name in ("leaderboard_task", "leaderboard_dataset", "leaderboard_metric")
        ]
        if any(link) and not all(link):
            raise ValidationError(
                _("A leaderboard needs its task, its dataset and its metric (or none of them).")
            )
        if all(link):
            task, dataset, metric = link
            if not task.results.filter(dataset=dataset, metric=metric).exists():
                raise ValidationError(
                    _("The leaderboard of %(task)s on %(dataset)s has no metric “%(metric)s”."),
                    params={"task": task, "dataset": dataset, "metric": metric},
                )
        return cleaned

    def clean_targets(self):
        targets = self.cleaned_data["targets"]
        if not isinstance(targets, list):
            raise ValidationError(_("Targets must be a list of objects."))
        for index, target in enumerate(targets, start=1):
            problem = _target_problem(target)
            if problem:
                raise ValidationError(
                    _("Target %(index)s: %(problem)s"), params={"index": index, "problem": problem}
                )
        return targets


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _target_problem(target) -> str:
    if not isinstance(target, dict) or not isinstance(target.get("metric"), str) or not target["metric"]:
        return str(_('each target needs a "metric" name.'))
    if "minimum" in target:
        if not _number(target["minimum"]) or set(target) - {"metric", "minimum"}:
            return str(_('a minimum target is {"metric", "minimum"} with a number.'))
        return ""
    if not (_number(target.get("value")) and _number(target.get("tolerance"))) or target["tolerance"] < 0:
        return str(_('give "value" and a non-negative "tolerance", or a "minimum".'))
    if set(target) - {"metric", "value", "tolerance"}:
        return str(_('only "metric", "value" and "tolerance" (or "minimum") are allowed.'))
    return ""


class CompareForm(forms.Form):
    """`?runs=1,2,3`: run ids, distinct, at most MAX_COMPARE_RUNS."""

    runs = forms.CharField(
        label=_("Run ids"),
        max_length=200,
        required=False,  # an empty list gets the message of clean_runs, which says what to give
        help_text=format_lazy(
            _("Comma-separated run numbers, e.g. 12,13,14 (at most {max})."), max=MAX_COMPARE_RUNS
        ),
    )

    def clean_runs(self) -> list[int]:
        ids: list[int] = []
        for part in self.cleaned_data["runs"].replace(" ", ",").split(","):
            part = part.strip()
            if not part:
                continue
            # isdigit() alone also takes non-ASCII digits; int() also takes "+1" and "1_0".
            if not (part.isascii() and part.isdigit()) or len(part) > 12 or int(part) == 0:
                raise ValidationError(
                    _("“%(value)s” is not a run number; use whole numbers separated by commas."),
                    params={"value": part[:30]},
                )
            if int(part) not in ids:
                ids.append(int(part))
        if not ids:
            raise ValidationError(_("Give at least one run number."))
        if len(ids) > MAX_COMPARE_RUNS:
            raise ValidationError(
                ngettext(
                    "At most %(max)d run can be compared at once; %(count)d were given.",
                    "At most %(max)d runs can be compared at once; %(count)d were given.",
                    MAX_COMPARE_RUNS,
                )
                % {"max": MAX_COMPARE_RUNS, "count": len(ids)}
            )
        return ids
