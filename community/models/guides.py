from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import CatalogueItem


class Guide(CatalogueItem):
    """A knowledge-base article in Markdown with LaTeX math, linked to what it talks about.

    Title, summary and body are stored per language (community/translation.py).

    `reviewed_on` is the day someone answerable for the text last looked at it: a moderator approving
    the guide or an edit of it, staff marking it reviewed in the admin, or, for a seed guide, the
    `reviewed` date of its front matter (community.services.seed). Who did it is in the item's history.
    """

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("body (Markdown)"))
    topics = models.ManyToManyField("community.Topic", blank=True, related_name="guides")
    papers = models.ManyToManyField("community.Paper", blank=True, related_name="guides")
    projects = models.ManyToManyField("community.Project", blank=True, related_name="guides")
    venues = models.ManyToManyField("community.Venue", blank=True, related_name="guides")
    organizations = models.ManyToManyField("community.Organization", blank=True, related_name="guides")
    channels = models.ManyToManyField("community.Channel", blank=True, related_name="guides")
    order = models.PositiveSmallIntegerField(
        _("reading order"), default=0, help_text=_("Guides are listed by this number, lowest first.")
    )
    # A slug rather than a foreign key: the catalogue never depends on the training app's tables, and
    # a guide may name a benchmark before `load_benchmarks` has created it (the page then shows none).
    benchmark = models.SlugField(
        _("reference benchmark"),
        max_length=80,
        blank=True,
        help_text=_("Slug of a training benchmark whose live leaderboard the guide shows, e.g. mnist1d-cnn."),
    )
    reviewed_on = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_("Set when a moderator approves the guide or an edit of it, or marks it reviewed."),
    )

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:guide-detail", kwargs={"slug": self.slug})
