"""The admin of the training app: benchmarks, sweeps and runs with their live progress, the "Start
reference runs" page, and the actions (cancel, re-run, publish, unpublish).

Thin, like every write path: the start page and each action call one service of training.services,
which validates, writes and enqueues. Everything a worker writes is read-only here, so the admin can
never race a worker's lease; a run changes only through the actions.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .charts import format_gap, format_target, format_value, metric_label
from .forms import BenchmarkAdminForm, StartRunsForm
from .models import FINAL_STATES, Benchmark, RunMetric, RunState, Sweep, TrainingRun
from .permissions import may
from .selectors import run_percent, sweep_percent
from .services.claims import benchmark_claim_refresh


class LiveMedia:
    # The live progress panel on the change pages; no inline script (CSP), data- attributes only.
    js = ("js/training-live.js",)
    css = {"all": ("css/training.css",)}


def _pre_json(value) -> str:
    return format_html(
        '<pre class="code-block">{}</pre>', json.dumps(value, indent=2, sort_keys=True, default=str)
    )


def _json_display(field: str, description):
    """A read-only admin column showing the JSON field ``field`` as indented, sorted JSON."""

    @admin.display(description=description)
    def display(model_admin, obj) -> str:
        return _pre_json(getattr(obj, field))

    return display


def _verdict(summary: dict) -> str:
    verdict = (summary or {}).get("verdict")
    if not verdict:
        return "—"
    gap = format_gap(summary.get("gap"), summary.get("metric", ""))
    return f"{verdict} ({gap})" if gap else str(verdict)


def _report_cancelled(model_admin: admin.ModelAdmin, request, count: int) -> None:
    """The message of both cancel actions (sweeps and runs): how many runs stopped or were asked to."""
    model_admin.message_user(
        request,
        ngettext(
            "%(count)d run cancelled or asked to stop.",
            "%(count)d runs cancelled or asked to stop.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class RunProgressMixin:
    """The progress column of a run, in the runs' own list and in a sweep's inline."""

    @admin.display(description=_("progress"))
    def progress_display(self, obj: TrainingRun) -> str:
        return f"{run_percent(obj.state, obj.step, obj.total_steps):.0f}%"


class LivePanelMixin:
    """The change page's live progress panel; the subclass's ``_live(object_id)`` gives its first paint."""

    Media = LiveMedia

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "live": self._live(object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _live(self, object_id) -> dict | None:
        raise NotImplementedError


# --- benchmarks ---------------------------------------------------------------------------------------


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    form = BenchmarkAdminForm
    list_display = ("name", "slug", "paper", "targets_display", "higher_is_better", "time_limit_s")
    list_select_related = ("paper",)
    list_filter = ("higher_is_better",)
    search_fields = ("name", "slug", "description", "paper__title")
    autocomplete_fields = ("paper", "leaderboard_task", "leaderboard_dataset")
    readonly_fields = ("created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A benchmark pointing to a leaderboard takes its claim from there (training.services.claims).
        if benchmark_claim_refresh(benchmark=obj):
            self.message_user(
                request,
                _("The claim was read from the leaderboard: %(targets)s")
                % {"targets": self.targets_display(obj)},
            )

    @admin.display(description=_("targets"))
    def targets_display(self, obj: Benchmark) -> str:
        return (
            "; ".join(f"{metric_label(t.get('metric', ''))} {format_target(t)}" for t in obj.targets) or "—"
        )


# --- sweeps -------------------------------------------------------------------------------------------


class TrainingRunInline(RunProgressMixin, admin.TabularInline):
    """The runs of a sweep, read-only, with a link to each run's own page."""

    model = TrainingRun
    fields = (
        "seed",
        "state",
        "attempt",
        "progress_display",
        "worker",
        "heartbeat_at",
        "primary_metric",
        "published",
    )
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("weights").select_related("sweep__benchmark")

    @admin.display(description=_("final value"))
    def primary_metric(self, obj: TrainingRun) -> str:
        metric = obj.sweep.benchmark.metric
        return format_value((obj.final_metrics or {}).get(metric), metric)


@admin.register(Sweep)
class SweepAdmin(LivePanelMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "benchmark",
        "seeds_count",
        "device",
        "queue",
        "state",
        "verdict",
        "published",
        "created_at",
    )
    list_display_links = ("id", "benchmark")
    list_filter = ("state", "benchmark", "published", "device")
    list_select_related = ("benchmark",)
    search_fields = ("benchmark__slug", "benchmark__name")
    date_hierarchy = "created_at"
    fields = (
        "benchmark",
        "seeds",
        "device",
        "queue",
        "state",
        "verdict",
        "summary_display",
        "published",
        "published_at",
        "created_by",
        "created_at",
        "finished_at",
    )
    readonly_fields = fields
    inlines = (TrainingRunInline,)
    actions = ("cancel_sweeps", "rerun_sweeps", "publish_sweeps", "unpublish_sweeps")

    def has_add_permission(self, request) -> bool:
        # Sweeps are started from "Start reference runs" (sweep_start validates and enqueues them).
        return False

    # Each page and action asks training.permissions for its operation's permission, as the API does.
    def has_start_permission(self, request) -> bool:
        return may(request.user, "start")

    def has_rerun_permission(self, request) -> bool:
        return may(request.user, "rerun")

    def has_cancel_permission(self, request) -> bool:
        return may(request.user, "cancel")

    def has_publish_permission(self, request) -> bool:
        return may(request.user, "publish")

    def has_view_permission(self, request, obj=None) -> bool:
        # Whoever may start sweeps sees them: the start page redirects to their list, and re-run is
        # an action on it.
        return super().has_view_permission(request, obj) or self.has_start_permission(request)

    @admin.display(description=_("seeds"))
    def seeds_count(self, obj: Sweep) -> int:
        return len(obj.seeds or [])

    @admin.display(description=_("verdict"))
    def verdict(self, obj: Sweep) -> str:
        return _verdict(obj.summary)

    summary_display = _json_display("summary", _("summary"))

    # --- the start page ---

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        start = path("start/", self.admin_site.admin_view(self.start_view), name="{}_{}_start".format(*info))
        return [start, *super().get_urls()]  # before the catch-all "<path:object_id>/"

    def start_view(self, request):
        """Benchmarks x seeds x device: one sweep per benchmark, all or none (one transaction), the
        runs enqueued once it commits."""
        if not self.has_start_permission(request):
            raise PermissionDenied
        form = StartRunsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    sweeps = [
                        services.sweep_start(
                            benchmark=b, seeds=data["seeds"], device=data["device"], user=request.user
                        )
                        for b in data["benchmarks"]
                    ]
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                runs = sum(len(s.seeds) for s in sweeps)
                self.message_user(
                    request,
                    ngettext(
                        "Started %(sweeps)d sweep (%(runs)d runs) on the %(queue)s queue.",
                        "Started %(sweeps)d sweeps (%(runs)d runs) on the %(queue)s queue.",
                        len(sweeps),
                    )
                    % {"sweeps": len(sweeps), "runs": runs, "queue": sweeps[0].queue},
                    messages.SUCCESS,
                )
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Start reference runs"),
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/training/sweep/start.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_start": self.has_start_permission(request)}
        return super().changelist_view(request, extra_context)

    def _live(self, object_id) -> dict | None:
        """The progress panel's first paint; training-live.js keeps it current from sweep-status."""
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            return None
        sweep = Sweep.objects.filter(pk=pk).values("state").first()
        if sweep is None:
            return None
        runs = list(TrainingRun.objects.filter(sweep_id=pk).values("state", "step", "total_steps"))
        return {
            "status_url": reverse("training:sweep-status", kwargs={"pk": pk}),
            "final": sweep["state"] in FINAL_STATES,
            "state_label": RunState(sweep["state"]).label,
            "progress": sweep_percent((r["state"], r["step"], r["total_steps"]) for r in runs),
        }

    # --- actions ---

    @admin.action(description=_("Cancel the selected sweeps"), permissions=["cancel"])
    def cancel_sweeps(self, request, queryset):
        _report_cancelled(self, request, sum(services.sweep_cancel(sweep=sweep) for sweep in queryset))

    @admin.action(
        description=_("Re-run the selected sweeps (same benchmark, seeds and device)"), permissions=["rerun"]
    )
    def rerun_sweeps(self, request, queryset):
        started = []
        for sweep in queryset:
            try:
                started.append(services.sweep_rerun(sweep=sweep, user=request.user))
            except ValidationError as exc:
                self.message_user(request, f"{sweep}: {' '.join(exc.messages)}", messages.ERROR)
        if started:
            self.message_user(
                request,
                ngettext(
                    "Started %(count)d new sweep: %(ids)s.",
                    "Started %(count)d new sweeps: %(ids)s.",
                    len(started),
                )
                % {"count": len(started), "ids": ", ".join(f"#{s.pk}" for s in started)},
                messages.SUCCESS,
            )

    def _publish(self, request, queryset, published: bool) -> None:
        done = 0
        for sweep in queryset:
            try:
                services.sweep_publish(sweep=sweep, published=published)
            except ValidationError as exc:
                self.message_user(request, f"{sweep}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            message = (
                ngettext("%(count)d sweep published.", "%(count)d sweeps published.", done)
                if published
                else ngettext("%(count)d sweep unpublished.", "%(count)d sweeps unpublished.", done)
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Publish the selected sweeps on the leaderboards"), permissions=["publish"])
    def publish_sweeps(self, request, queryset):
        self._publish(request, queryset, True)

    @admin.action(description=_("Unpublish the selected sweeps"), permissions=["publish"])
    def unpublish_sweeps(self, request, queryset):
        self._publish(request, queryset, False)


# --- runs ---------------------------------------------------------------------------------------------


class RunMetricInline(admin.TabularInline):
    """Every evaluation the worker recorded, read-only."""

    model = RunMetric
    fields = ("attempt", "step", "values_display")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("values"))
    def values_display(self, obj: RunMetric) -> str:
        values = obj.values if isinstance(obj.values, dict) else {}
        return ", ".join(
            f"{k}={format_value(v, '') if isinstance(v, float) else v}" for k, v in values.items()
        )


@admin.register(TrainingRun)
class TrainingRunAdmin(RunProgressMixin, LivePanelMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "sweep_link",
        "benchmark",
        "seed",
        "state",
        "attempt",
        "worker",
        "heartbeat_at",
        "progress_display",
        "published",
    )
    list_filter = ("state", "device", "published", "sweep__benchmark")
    list_select_related = ("sweep__benchmark",)
    search_fields = ("worker", "error", "sweep__benchmark__slug", "sweep__benchmark__name")
    fields = (
        "sweep",
        "seed",
        "device",
        "state",
        "progress_display",
        "attempt",
        "worker",
        "heartbeat_at",
        "cancel_requested",
        "step",
        "total_steps",
        "error",
        "final_metrics_display",
        "n_params",
        "weights_display",
        "timings_display",
        "environment_display",
        "config_display",
        "published",
        "created_by",
        "queued_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields
    inlines = (RunMetricInline,)
    actions = ("cancel_runs",)

    def has_add_permission(self, request) -> bool:
        return False  # runs belong to a sweep; start them from the sweeps' "Start reference runs"

    def has_cancel_run_permission(self, request) -> bool:
        return may(request.user, "cancel_run")

    def get_queryset(self, request):
        # The weights stay in the database: a list of runs only needs their size.
        return super().get_queryset(request).defer("weights").annotate(weights_size=Length("weights"))

    @admin.display(description=_("sweep"), ordering="sweep")
    def sweep_link(self, obj: TrainingRun) -> str:
        url = reverse("admin:training_sweep_change", args=[obj.sweep_id])
        return format_html('<a href="{}">#{}</a>', url, obj.sweep_id)

    @admin.display(description=_("benchmark"), ordering="sweep__benchmark__slug")
    def benchmark(self, obj: TrainingRun) -> str:
        return obj.sweep.benchmark.slug

    final_metrics_display = _json_display("final_metrics", _("final metrics"))
    timings_display = _json_display("timings", _("timings"))
    environment_display = _json_display("environment", _("environment"))
    config_display = _json_display("config", _("validated run config"))

    @admin.display(description=_("weights"))
    def weights_display(self, obj: TrainingRun) -> str:
        size = getattr(obj, "weights_size", None)
        if not size:
            return "—"
        url = reverse("training:run-weights", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">{}</a> ({} KiB)', url, _("download"), f"{size / 1024:.1f}")

    def _live(self, object_id) -> dict | None:
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            return None
        run = TrainingRun.objects.filter(pk=pk).values("state", "step", "total_steps").first()
        if run is None:
            return None
        return {
            "status_url": reverse("training:run-status", kwargs={"pk": pk}),
            "final": run["state"] in FINAL_STATES,
            "state_label": RunState(run["state"]).label,
            "progress": run_percent(run["state"], run["step"], run["total_steps"]),
            "step": run["step"],
            "total": run["total_steps"],
        }

    @admin.action(description=_("Cancel the selected runs"), permissions=["cancel_run"])
    def cancel_runs(self, request, queryset):
        _report_cancelled(self, request, sum(services.run_cancel(run=run) for run in queryset))
