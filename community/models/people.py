from django.db import models
from django.utils.translation import gettext_lazy as _

from community.slug_urls import slug_url

from .base import CatalogueItem


class Organization(CatalogueItem):
    class Kind(models.TextChoices):
        RESEARCH_LAB = "research_lab", _("Research lab / university")
        COMPANY = "company", _("Company")
        GOVERNMENT = "government", _("Government body")
        NONPROFIT = "nonprofit", _("Non-profit")
        EDUCATION = "education", _("Education provider")
        OPEN_SOURCE = "open_source", _("Open-source community")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    topics = models.ManyToManyField("community.Topic", blank=True, related_name="organizations")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("community:organization-detail", self.slug)


class Person(CatalogueItem):
    name = models.CharField(_("name"), max_length=200, db_index=True)
    affiliation = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    homepage = models.URLField(_("homepage"), blank=True)
    orcid = models.CharField(_("ORCID"), max_length=19, blank=True)
    bio = models.TextField(_("short biography"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("community:person-detail", self.slug)
