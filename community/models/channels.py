from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import CatalogueItem


class Channel(CatalogueItem):
    """A place where the community meets or hires."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum")
        SOCIAL = "social", _("Social network")
        JOB_BOARD = "job_board", _("Job board")
        MAILING_LIST = "mailing_list", _("Mailing list")
        CHAT = "chat", _("Chat")
        # Where people write at length about their work; the seed document recommends reading them.
        BLOG = "blog", _("Blog")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    url = models.URLField(_("address"))
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField("community.Topic", blank=True, related_name="channels")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:channel-detail", kwargs={"slug": self.slug})
