"""The field's open record of tasks, datasets, methods and claimed results (issue 14): imported from the
Papers with Code archive (community.services.imports.pwc), not submitted by forms.

Imported text keeps its language (English), so none of these fields is per language. Tasks, datasets
and methods are catalogue items (slug, status, history, provenance); a claimed `Result` is a plain row
of a leaderboard, identified by (task, dataset, metric, row_key) so that a re-import finds it again.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import CatalogueItem


class Task(CatalogueItem):
    """A task of the field (Machine Translation), in a tree: sota-extractor's subtasks are children."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subtasks"
    )
    area = models.CharField(_("area"), max_length=100, blank=True)
    pwc_url = models.URLField(_("Papers with Code page"), blank=True, max_length=500)
    papers = models.ManyToManyField("community.Paper", blank=True, related_name="tasks")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:task-detail", kwargs={"slug": self.slug})


class Dataset(CatalogueItem):
    """A dataset; a sota-extractor subdataset (WMT2014 English-German) is a variant of its dataset."""

    name = models.CharField(_("name"), max_length=300, db_index=True)
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    homepage = models.URLField(_("homepage"), blank=True, max_length=500)
    pwc_url = models.URLField(_("Papers with Code page"), blank=True, max_length=500)
    introduced_date = models.DateField(_("introduced"), null=True, blank=True)
    modalities = models.JSONField(_("modalities"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    variant_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="variants"
    )
    tasks = models.ManyToManyField(Task, blank=True, related_name="datasets")
    num_papers = models.PositiveIntegerField(_("papers using it"), null=True, blank=True)
    data_loaders = models.JSONField(_("data loaders"), default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:dataset-detail", kwargs={"slug": self.slug})


class Method(CatalogueItem):
    """A method (Dropout, Transformer) with the paper that introduced it; `papers` are those using it."""

    name = models.CharField(_("name"), max_length=300, db_index=True)
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    pwc_url = models.URLField(_("Papers with Code page"), blank=True, max_length=500)
    introduced_year = models.PositiveSmallIntegerField(_("introduced in"), null=True, blank=True)
    paper = models.ForeignKey(
        "community.Paper",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="methods_introduced",
    )
    source_url = models.URLField(_("source"), blank=True, max_length=500)
    source_title = models.CharField(_("source title"), max_length=400, blank=True)
    code_snippet_url = models.URLField(_("code snippet"), blank=True, max_length=500)
    num_papers = models.PositiveIntegerField(_("papers using it"), null=True, blank=True)
    collections = models.JSONField(_("collections"), default=list, blank=True)
    papers = models.ManyToManyField("community.Paper", blank=True, related_name="methods")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:method-detail", kwargs={"slug": self.slug})


class Result(models.Model):
    """A result a paper claims on a task and dataset, by one metric: one cell of a leaderboard.

    `value` is the number the archive's text `value_text` spells (null when it spells none, "--":
    such a row is kept and left out of rankings). `higher_is_better` is null unless a moderator set it:
    then community.metrics.higher_is_better(metric) decides. `row_key` (a hash of the paper's URL or
    title and the model name, community.services.imports.pwc_rows) makes a row findable again."""

    paper = models.ForeignKey(
        "community.Paper", null=True, blank=True, on_delete=models.SET_NULL, related_name="claimed_results"
    )
    paper_title = models.CharField(_("paper title"), max_length=400, blank=True)
    paper_url = models.URLField(_("paper link"), blank=True, max_length=500)
    paper_date = models.DateField(_("paper date"), null=True, blank=True)
    model_name = models.CharField(_("model"), max_length=300)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="results")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="results")
    metric = models.CharField(_("metric"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=30, decimal_places=10, null=True, blank=True)
    value_text = models.CharField(_("value as written"), max_length=100, blank=True)
    higher_is_better = models.BooleanField(
        _("higher is better"),
        null=True,
        blank=True,
        help_text=_("Empty: decided by the metric's name. Set it when the metric table is wrong."),
    )
    uses_additional_data = models.BooleanField(_("extra training data"), default=False)
    code_links = models.JSONField(_("code links"), default=list, blank=True)
    model_links = models.JSONField(_("model links"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True)
    row_key = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["task", "dataset", "metric", "-value", "paper_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "dataset", "metric", "row_key"], name="result_unique_row"
            ),
        ]
        indexes = [
            models.Index(fields=["task", "dataset", "metric", "value"], name="result_leaderboard"),
        ]

    def __str__(self) -> str:
        return f"{self.model_name}: {self.metric} {self.value_text} ({self.dataset_id})"

    def get_absolute_url(self) -> str:
        return reverse("community:result-detail", kwargs={"pk": self.pk})


class PaperCode(models.Model):
    """A paper's code: the repository (a Project) and what the archive says of it. Paper.projects
    keeps the plain link as well, so pages that list a paper's projects show it."""

    paper = models.ForeignKey("community.Paper", on_delete=models.CASCADE, related_name="code")
    project = models.ForeignKey("community.Project", on_delete=models.CASCADE, related_name="paper_code")
    is_official = models.BooleanField(_("official"), default=False)
    framework = models.CharField(_("framework"), max_length=60, blank=True)
    mentioned_in_paper = models.BooleanField(_("mentioned in the paper"), default=False)
    mentioned_in_github = models.BooleanField(_("mentioned in the repository"), default=False)

    class Meta:
        ordering = ["paper", "-is_official", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "project"], name="papercode_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.paper_id} -> {self.project_id}"



class PwcPaper(models.Model):
    """A paper's page in the Papers with Code archive, which finds the paper again on a re-import.

    `created_by_archive`: the import created the paper, so a newer dump updates its fields; a paper
    that was in the catalogue first (the seed's, a BibTeX import's) only has its empty fields filled."""

    paper = models.OneToOneField("community.Paper", on_delete=models.CASCADE, related_name="pwc")
    url = models.URLField(_("Papers with Code page"), max_length=500, unique=True)
    created_by_archive = models.BooleanField(default=True)
    # The archive's own words for where the paper appeared ("NeurIPS 2019 12"): the paper's venue
    # and edition when the catalogue has them (services/imports/pwc_venues.py), else only this.
    proceeding = models.CharField(_("proceeding (as the archive writes it)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Papers with Code page")
        verbose_name_plural = _("Papers with Code pages")

    def __str__(self) -> str:
        return self.url
