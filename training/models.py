"""Benchmarks, the sweeps people start, the runs (one seed each) workers execute, and their metrics.

The database is the source of truth for every run: the broker only carries wake-ups, and a run's
state moves by guarded updates (`UPDATE ... WHERE state = 'queued'`) in `training.services`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Benchmark(models.Model):
    """A network + dataset + protocol + metric, optionally with what a paper claims for it.

    `targets` is a list of `{"metric", "value", "tolerance"}` (reproduced when the mean over seeds is
    within the tolerance of the value) or `{"metric", "minimum"}` (reproduced when the mean is at
    least that). The first target's metric is the one leaderboards rank by.
    """

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description and protocol"))
    config = models.JSONField(_("run config"), help_text=_("network, dataset, model and train sections"))
    # Empty when no paper claims a number and no target is set (mnist1d-lstm): ranked, but no verdict.
    targets = models.JSONField(_("targets"), default=list, blank=True)
    higher_is_better = models.BooleanField(default=True)
    paper = models.ForeignKey(
        "community.Paper", null=True, blank=True, on_delete=models.SET_NULL, related_name="benchmarks"
    )
    time_limit_s = models.PositiveIntegerField(
        _("time limit per run (s)"), default=1800, help_text=_("soft limit; the hard limit is a minute more")
    )
    # A leaderboard of the Papers with Code archive (task x dataset x metric) the benchmark's claim is
    # read from (training.services.claims): the paper's own result there, else the board's best.
    # Empty: the claim is the one written in `targets` (the MNIST-1D benchmarks).
    leaderboard_task = models.ForeignKey(
        "community.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="benchmarks"
    )
    leaderboard_dataset = models.ForeignKey(
        "community.Dataset", null=True, blank=True, on_delete=models.SET_NULL, related_name="benchmarks"
    )
    leaderboard_metric = models.CharField(_("leaderboard metric"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("training:benchmark-detail", kwargs={"slug": self.slug})

    @property
    def metric(self) -> str:
        return self.targets[0]["metric"] if self.targets else "test_acc"

    @property
    def network(self) -> str:
        return self.config.get("network", "")

    @property
    def dataset(self) -> str:
        return self.config.get("dataset", "")


class Device(models.TextChoices):
    AUTO = "auto", _("auto (GPU when the deployment has GPU workers)")
    CPU = "cpu", _("CPU")
    CUDA = "cuda", _("GPU (CUDA)")


class RunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINAL_STATES = (RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED)


class SweepQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Sweep(models.Model):
    """What a person starts: a benchmark x N seeds x a device. A single run is a sweep of one.

    `summary` is refreshed from the runs whenever one finishes: mean, std, n, best seed, verdict.
    `origin` says who started it when no person did: the site's first start queues the quick
    reference benchmarks and publishes each sweep when it finishes (training.services.first_start).
    """

    class Origin(models.TextChoices):
        PERSON = "", _("started by a person")
        FIRST_START = "first-start", _("queued by the site's first start")

    benchmark = models.ForeignKey(Benchmark, on_delete=models.PROTECT, related_name="sweeps")
    seeds = models.JSONField(_("seeds"))
    device = models.CharField(_("device"), max_length=8, choices=Device.choices, default=Device.AUTO)
    queue = models.CharField(_("queue"), max_length=16)
    state = models.CharField(max_length=16, choices=RunState.choices, default=RunState.QUEUED, db_index=True)
    summary = models.JSONField(default=dict, blank=True)
    published = models.BooleanField(default=False, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The API client's `Idempotency-Key` header, so a retried start returns this sweep (one per
    # creator and key; a sweep started another way has none).
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, editable=False)
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices, default="", blank=True)

    objects = SweepQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="sweep_idempotency_key_per_creator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.benchmark.slug} x {len(self.seeds)} seeds (#{self.pk})"

    def get_absolute_url(self) -> str:
        return reverse("training:sweep-detail", kwargs={"pk": self.pk})


class TrainingRun(models.Model):
    """One seed of a sweep, executed by a worker under a lease (worker, heartbeat, attempt)."""

    sweep = models.ForeignKey(Sweep, on_delete=models.CASCADE, related_name="runs")
    seed = models.PositiveIntegerField()
    config = models.JSONField(_("validated run config"))
    device = models.CharField(max_length=8, choices=Device.choices, default=Device.AUTO)
    state = models.CharField(max_length=16, choices=RunState.choices, default=RunState.QUEUED, db_index=True)
    attempt = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    step = models.PositiveIntegerField(default=0)
    total_steps = models.PositiveIntegerField(default=0)
    final_metrics = models.JSONField(default=dict, blank=True)
    environment = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    n_params = models.PositiveIntegerField(null=True, blank=True)
    weights = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sweep", "seed"]
        constraints = [models.UniqueConstraint(fields=["sweep", "seed"], name="run_unique_seed_in_sweep")]

    def __str__(self) -> str:
        return f"run #{self.pk} ({self.sweep.benchmark.slug}, seed {self.seed})"

    def get_absolute_url(self) -> str:
        return reverse("training:run-detail", kwargs={"pk": self.pk})

    @property
    def progress(self) -> float:
        return self.step / self.total_steps if self.total_steps else 0.0

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class RunMetric(models.Model):
    """One evaluation of a run: written as it happens, so a page can draw the curve live."""

    run = models.ForeignKey(TrainingRun, on_delete=models.CASCADE, related_name="metrics")
    attempt = models.PositiveSmallIntegerField()
    step = models.PositiveIntegerField()
    values = models.JSONField()

    class Meta:
        ordering = ["run", "attempt", "step"]
        constraints = [
            models.UniqueConstraint(fields=["run", "attempt", "step"], name="metric_unique_run_attempt_step")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}@{self.step}"


class SetupStep(models.Model):
    """A one-off step of the site's setup that is done once per database, never again: its row is
    the marker (in the database, so a `make clean` that removes the database removes it too)."""

    name = models.SlugField(max_length=80, unique=True)
    done_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
