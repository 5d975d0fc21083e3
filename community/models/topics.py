from django.db import models
from django.utils.translation import gettext_lazy as _

from community.slug_urls import slug_url

from .base import CatalogueItem


class Topic(CatalogueItem):
    """A node of the taxonomy (neural networks > CNN); items link to as many topics as fit."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # [[year, number of published papers with the topic], ...], oldest first: the topic page's chart,
    # refreshed by community.services.catalogue_stats (a periodic job) rather than counted per request.
    papers_per_year = models.JSONField(_("papers per year"), default=list, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("community:topic-detail", self.slug)
