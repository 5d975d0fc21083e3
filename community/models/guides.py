from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import CatalogueItem


class Guide(CatalogueItem):
    """A knowledge-base article in Markdown with LaTeX math, linked to what it talks about."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("body (Markdown)"))
    topics = models.ManyToManyField("community.Topic", blank=True, related_name="guides")
    papers = models.ManyToManyField("community.Paper", blank=True, related_name="guides")
    projects = models.ManyToManyField("community.Project", blank=True, related_name="guides")
    venues = models.ManyToManyField("community.Venue", blank=True, related_name="guides")
    organizations = models.ManyToManyField("community.Organization", blank=True, related_name="guides")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:guide-detail", kwargs={"slug": self.slug})
