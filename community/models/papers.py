from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.identifiers import normalize_arxiv_id, normalize_doi
from community.slug_urls import slug_url

from .base import CatalogueItem


class Paper(CatalogueItem):
    title = models.CharField(_("title"), max_length=400)
    abstract = models.TextField(_("abstract"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    authors = models.ManyToManyField(
        "community.Person", through="community.Authorship", related_name="papers", blank=True
    )
    venue = models.ForeignKey(
        "community.Venue", null=True, blank=True, on_delete=models.SET_NULL, related_name="papers"
    )
    edition = models.ForeignKey(
        "community.Edition", null=True, blank=True, on_delete=models.SET_NULL, related_name="papers"
    )
    volume = models.CharField(_("volume"), max_length=20, blank=True)
    issue = models.CharField(_("issue"), max_length=20, blank=True)
    pages = models.CharField(_("pages"), max_length=30, blank=True)
    arxiv_id = models.CharField(_("arXiv id"), max_length=32, blank=True, help_text=_("e.g. 1706.03762"))
    doi = models.CharField(_("DOI"), max_length=200, blank=True, help_text=_("e.g. 10.1038/nature14236"))
    url = models.URLField(_("paper link"), blank=True)
    pdf_url = models.URLField(_("PDF link"), blank=True)
    code_url = models.URLField(_("code link"), blank=True)
    topics = models.ManyToManyField("community.Topic", blank=True, related_name="papers")
    projects = models.ManyToManyField("community.Project", blank=True, related_name="papers")
    # The imports that gave this paper (community.models.provenance): its abstract is labelled with
    # the source and the language that source writes in (community.sources).
    provenance = GenericRelation("community.Provenance")

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["arxiv_id"], condition=~Q(arxiv_id=""), name="paper_unique_arxiv"
            ),
            models.UniqueConstraint(fields=["doi"], condition=~Q(doi=""), name="paper_unique_doi"),
        ]
        indexes = [
            # The papers list's order (selectors.papers.paper_list): a page is read from the index
            # instead of sorting every published paper. The full-text GIN index is created by
            # migration 0005 on PostgreSQL only (community/search.py).
            models.Index(
                fields=["-year", "title", "id"],
                condition=Q(status="published"),
                name="paper_published_order_idx",
            ),
            # The home page's latest papers (selectors.papers.paper_latest).
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(status="published"),
                name="paper_published_latest_idx",
            ),
            # A venue's papers in list order: the venue page's newest fifty (selectors.venues.
            # attach_recent_papers reads them from here with LIMIT) and the papers list filtered by venue.
            models.Index(
                fields=["venue", "-year", "title", "id"],
                condition=Q(status="published"),
                name="paper_venue_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def clean(self) -> None:
        errors = {}
        for field, normalize in (("arxiv_id", normalize_arxiv_id), ("doi", normalize_doi)):
            try:
                setattr(self, field, normalize(getattr(self, field)))
            except ValueError as exc:
                errors[field] = str(exc)
        if self.edition_id and self.venue_id and self.edition.venue_id != self.venue_id:
            errors["edition"] = _("The edition belongs to another venue.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return slug_url("community:paper-detail", self.slug)

    @property
    def arxiv_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else ""

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""


class Authorship(models.Model):
    """A person's place in a paper's author list (0 is the first author)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey("community.Person", on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "position"], name="authorship_unique_position"),
            models.UniqueConstraint(fields=["paper", "person"], name="authorship_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} #{self.position + 1} on {self.paper_id}"


class SimilarPaper(models.Model):
    """One of a paper's nearest papers by the words of their titles and abstracts (tf-idf cosine).

    Derived data: `community.services.similar.similar_papers_refresh` rewrites the whole table from the
    published papers, so nobody edits these rows. `rank` 1 is the most similar.
    """

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="similar_links")
    similar = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("cosine similarity"))
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["paper", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "rank"], name="similarpaper_unique_rank"),
            models.UniqueConstraint(fields=["paper", "similar"], name="similarpaper_unique_pair"),
            models.CheckConstraint(condition=~Q(paper=models.F("similar")), name="similarpaper_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.paper_id} ~ {self.similar_id} #{self.rank} ({self.score:.3f})"
