"""The training results in the API: benchmarks with their leaderboards, sweeps, runs and their curves.

Visibility is training.selectors' (published sweeps and their runs for everyone, everything for
staff); these serializers only shape what the selectors return, without queries of their own. What
names our machines (`host`, `worker` in a run's environment) is left out for everyone but staff, as
on the run page.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api.fields import SlugRelatedField, UniqueListField
from community.api.serializers import PaperRef
from training.models import Benchmark, Device, Sweep, TrainingRun
from training.selectors import is_staff, run_percent, visible_environment
from training.services.sweeps import MAX_SEEDS


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


def _json_dict():
    """A read-only JSON object field (summaries, metrics, timings, configs)."""
    return serializers.DictField(child=serializers.JSONField(), read_only=True)


class WebLinked(serializers.ModelSerializer):
    """A read-only model serializer whose items have a web page (`web_url`, absolute)."""

    web_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        return _absolute(self, obj.get_absolute_url())


class BenchmarkRef(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    api_url = serializers.HyperlinkedIdentityField(view_name="api:benchmark-detail", lookup_field="slug")


class LeaderboardLinkSerializer(serializers.Serializer):
    """The leaderboard of the Papers with Code archive a benchmark reads its claim from (issue 14):
    the paper's own result there, else the leaderboard's best, written into the first target."""

    task = serializers.SlugField(source="leaderboard_task.slug", read_only=True)
    dataset = serializers.SlugField(source="leaderboard_dataset.slug", read_only=True)
    metric = serializers.CharField(source="leaderboard_metric", read_only=True)
    web_url = serializers.SerializerMethodField()

    def get_attribute(self, instance):
        task, dataset = instance.leaderboard_task, instance.leaderboard_dataset
        published = all(item is not None and item.is_published for item in (task, dataset))
        return instance if published and instance.leaderboard_metric else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, obj) -> str:
        path = reverse(
            "community:leaderboard", args=[obj.leaderboard_task.slug, obj.leaderboard_dataset.slug]
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class BenchmarkSerializer(WebLinked):
    """A benchmark: network + dataset + protocol (`config`), and what the paper claims (`targets`:
    `{metric, value, tolerance}` or `{metric, minimum}`; the first one ranks the leaderboard)."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:benchmark-detail", lookup_field="slug")
    paper = PaperRef(read_only=True, allow_null=True)
    metric = serializers.CharField(read_only=True)
    network = serializers.CharField(read_only=True)
    dataset = serializers.CharField(read_only=True)
    claimed_from = LeaderboardLinkSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Benchmark
        fields = read_only_fields = [
            *["api_url", "web_url", "slug", "name", "description", "network", "dataset", "metric"],
            *["higher_is_better", "targets", "claimed_from", "config", "paper", "time_limit_s"],
            *["created_at", "updated_at"],
        ]


class LeaderboardRowSerializer(serializers.Serializer):
    """One published sweep on its benchmark's leaderboard, in the metric's own unit."""

    rank = serializers.IntegerField()
    sweep = serializers.IntegerField(source="sweep.pk", help_text=_("The sweep's id."))
    sweep_url = serializers.SerializerMethodField()
    metric = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    std = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField(help_text=_("Seeds that succeeded."))
    best_seed = serializers.IntegerField(allow_null=True)
    best = serializers.FloatField(allow_null=True)
    verdict = serializers.CharField(allow_null=True, help_text=_("reproduced, not reproduced, or null."))
    gap = serializers.FloatField(allow_null=True, help_text=_("Mean minus the claimed value."))
    hardware = serializers.CharField()
    device = serializers.CharField()
    date = serializers.DateTimeField(allow_null=True, help_text=_("When the sweep finished."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_sweep_url(self, row) -> str:
        return _absolute(self, reverse("api:sweep-detail", kwargs={"pk": row.sweep.pk}))


class BenchmarkDetailSerializer(BenchmarkSerializer):
    leaderboard = LeaderboardRowSerializer(source="board_rows", many=True, read_only=True)

    class Meta(BenchmarkSerializer.Meta):
        fields = read_only_fields = [*BenchmarkSerializer.Meta.fields, "leaderboard"]


# --- runs ---------------------------------------------------------------------------------------


class RunSerializer(WebLinked):
    """One seed of a sweep: its state and progress, and once it succeeded its final metrics."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:run-detail")
    sweep = serializers.PrimaryKeyRelatedField(read_only=True)
    progress = serializers.SerializerMethodField()
    final_metrics = _json_dict()

    class Meta:
        model = TrainingRun
        fields = read_only_fields = [
            *["id", "api_url", "web_url", "sweep", "seed", "device", "state", "progress", "step"],
            *["total_steps", "attempt", "cancel_requested", "final_metrics", "n_params", "error"],
            *["published", "queued_at", "started_at", "finished_at"],
        ]

    def get_progress(self, obj) -> float:
        """Percent of the run's steps done (100 once it succeeded)."""
        return run_percent(obj.state, obj.step, obj.total_steps)


class MetricPointSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    values = serializers.DictField(
        child=serializers.JSONField(), help_text=_("e.g. train_loss, test_loss, train_acc, test_acc.")
    )


class RunDetailSerializer(RunSerializer):
    """A run with its whole curve (`metrics`: every evaluation of its current attempt, by step), the
    validated config it ran, where it ran and how long it took."""

    benchmark = BenchmarkRef(source="sweep.benchmark", read_only=True)
    metrics = MetricPointSerializer(source="metric_rows", many=True, read_only=True)
    environment = serializers.SerializerMethodField()
    timings = _json_dict()
    config = _json_dict()
    weights_url = serializers.SerializerMethodField()

    class Meta(RunSerializer.Meta):
        fields = read_only_fields = [
            *RunSerializer.Meta.fields,
            *["benchmark", "config", "environment", "timings", "weights_url", "metrics"],
        ]

    def get_environment(self, obj) -> dict[str, str]:
        request = self.context.get("request")
        return visible_environment(obj.environment, getattr(request, "user", None))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_weights_url(self, obj):
        """The trained weights (a PyTorch state dict) when published, or to staff; else null."""
        request = self.context.get("request")
        if not getattr(obj, "weights_size", None):
            return None
        if not (obj.published or is_staff(getattr(request, "user", None))):
            return None
        return _absolute(self, reverse("training:run-weights", kwargs={"pk": obj.pk}))


# --- sweeps -------------------------------------------------------------------------------------


class SweepSerializer(WebLinked):
    """A benchmark x seeds x device. `summary`: mean, std, min, max per target metric over the
    succeeded seeds (`metrics`), the checks against the claims (`checks`), `verdict`, `best_seed`,
    `best`, `gap`, `hardware` and the count of runs per state (`states`)."""

    api_url = serializers.HyperlinkedIdentityField(view_name="api:sweep-detail")
    benchmark = BenchmarkRef(read_only=True)
    summary = _json_dict()

    class Meta:
        model = Sweep
        fields = read_only_fields = [
            *["id", "api_url", "web_url", "benchmark", "seeds", "device", "queue", "state", "summary"],
            *["published", "published_at", "created_at", "finished_at"],
        ]


class SweepDetailSerializer(SweepSerializer):
    runs = RunSerializer(source="page_runs", many=True, read_only=True)

    class Meta(SweepSerializer.Meta):
        fields = read_only_fields = [*SweepSerializer.Meta.fields, "runs"]


class SweepStartSerializer(serializers.Serializer):
    """What starting a sweep takes: a benchmark, the seeds (a list, or a count meaning 0..N-1) and a
    device. Everything else (queue, state, summary, creator) the server decides."""

    benchmark = SlugRelatedField(slug_field="slug", queryset=Benchmark.objects.all())
    seeds = UniqueListField(
        child=serializers.IntegerField(min_value=0, max_value=2**31 - 1),
        min_length=1,
        max_length=MAX_SEEDS,
        required=False,
        help_text=_("Distinct non-negative seeds; give this or `seed_count`."),
    )
    seed_count = serializers.IntegerField(
        min_value=1, max_value=MAX_SEEDS, required=False, help_text=_("Seeds 0..N-1; give this or `seeds`.")
    )
    device = serializers.ChoiceField(choices=Device.choices, default=Device.AUTO)
    exactly_one_of = ("seeds", "seed_count")  # the schema's oneOf (common.api.schema)

    def validate(self, attrs):
        if ("seeds" in attrs) == ("seed_count" in attrs):
            raise serializers.ValidationError(_("Give either `seeds` (a list) or `seed_count` (a number)."))
        return attrs


class SweepPublishSerializer(serializers.Serializer):
    published = serializers.BooleanField(default=True, help_text=_("false takes it off the leaderboard."))


class SweepCancelResultSerializer(serializers.Serializer):
    cancelled = serializers.IntegerField(help_text=_("Runs cancelled or asked to stop."))
    sweep = SweepDetailSerializer()
