from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import CatalogueItem


class Topic(CatalogueItem):
    """A node of the taxonomy (neural networks > CNN); items link to as many topics as fit."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:topic-detail", kwargs={"slug": self.slug})
