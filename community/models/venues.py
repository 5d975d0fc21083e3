"""Conferences and journals, a conference's yearly editions, and their deadlines."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.timezones import zone_for_label
from community.deadline_kinds import DEADLINE_KINDS
from community.slug_urls import slug_url

from .base import CatalogueItem

CCF_RANK_CHOICES = [("A", "A"), ("B", "B"), ("C", "C"), ("N", _("not ranked"))]
CORE_RANK_CHOICES = [("A*", "A*"), ("A", "A"), ("B", "B"), ("C", "C"), ("N", _("not ranked"))]
THCPL_RANK_CHOICES = [("A", "A"), ("B", "B"), ("N", _("not ranked"))]
# The CCF's fields of computer science, as ccf-deadlines writes them (`sub`).
CCF_FIELD_CHOICES = [
    ("AI", _("Artificial intelligence")),
    ("CG", _("Computer graphics and multimedia")),
    ("CT", _("Computing theory")),
    ("DB", _("Databases, data mining and information retrieval")),
    ("DS", _("Computer architecture, parallel and distributed computing, storage")),
    ("HI", _("Human-computer interaction and ubiquitous computing")),
    ("MX", _("Interdisciplinary, combined and emerging areas")),
    ("NW", _("Computer networks")),
    ("SC", _("Network and information security")),
    ("SE", _("Software engineering, systems software and programming languages")),
]


class Venue(CatalogueItem):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        JOURNAL = "journal", _("Journal")
        # A smaller meeting, often a seminar series or one held beside a conference (研讨会).
        WORKSHOP = "workshop", _("Workshop")

    name = models.CharField(_("short name"), max_length=100, unique=True, help_text=_("e.g. NeurIPS, JMLR"))
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    topics = models.ManyToManyField("community.Topic", blank=True, related_name="venues")
    # The rankings the ccf-deadlines tracker lists (N: not ranked; blank: not known), the CCF field
    # ("sub") and the dblp key (dblp.org/db/conf/<key>), which matches a venue across trackers.
    ccf_rank = models.CharField(_("CCF rank"), max_length=1, blank=True, choices=CCF_RANK_CHOICES)
    core_rank = models.CharField(_("CORE rank"), max_length=2, blank=True, choices=CORE_RANK_CHOICES)
    thcpl_rank = models.CharField(_("THCPL rank"), max_length=1, blank=True, choices=THCPL_RANK_CHOICES)
    ccf_field = models.CharField(_("CCF field"), max_length=2, blank=True, choices=CCF_FIELD_CHOICES)
    dblp_key = models.CharField(
        _("dblp key"), max_length=100, blank=True, db_index=True, help_text=_("e.g. emnlp for dblp.org/db/conf/emnlp")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("community:venue-detail", self.slug)


class Edition(CatalogueItem):
    """One year of a conference: where and when it meets."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="editions")
    year = models.PositiveSmallIntegerField(_("year"))
    start_date = models.DateField(_("first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_("The id a deadline tracker uses, e.g. neurips27"),
    )
    call_closed_at = models.DateTimeField(
        _("call for papers closed at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Set by the hourly job to the last paper deadline once every paper deadline has passed. "
            "Clear it if a paper deadline is extended afterwards."
        ),
    )

    class Meta:
        ordering = ["-year", "venue__name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "year"], name="edition_unique_venue_year"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="edition_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("community:venue-detail", kwargs={"slug": self.venue.slug}) + f"#edition-{self.year}"


class AcceptanceRate(models.Model):
    """One year's acceptance figures of a venue, with where they were published."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="acceptance_rates")
    year = models.PositiveSmallIntegerField(_("year"))
    submitted = models.PositiveIntegerField(_("submitted"), null=True, blank=True)
    accepted = models.PositiveIntegerField(_("accepted"), null=True, blank=True)
    rate = models.FloatField(_("acceptance rate"), null=True, blank=True, help_text=_("a fraction, 0 to 1"))
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["venue", "year"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "year"], name="acceptance_rate_unique_venue_year"),
            models.CheckConstraint(
                condition=Q(rate__isnull=True) | (Q(rate__gte=0) & Q(rate__lte=1)), name="acceptance_rate_in_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue.name} {self.year}"

    @property
    def percent(self) -> float | None:
        """The rate as a percentage (22.1), for the venue page."""
        return None if self.rate is None else self.rate * 100


class DeadlineQuerySet(models.QuerySet):
    def public(self):
        """Deadlines whose venue (and edition, when there is one) are published."""
        return self.filter(venue__status="published").filter(
            Q(edition__isnull=True) | Q(edition__status="published")
        )


class Deadline(models.Model):
    """A cut-off for an edition, or for a journal's special issue (then no edition).

    `due_at` is the aware UTC instant; `timezone_label` is the zone it was announced in, kept so the
    page can say "23:59 AoE" beside the reader's local time.
    """

    # ABSTRACT, PAPER, ...: the values and labels live in community.deadline_kinds, which the importer
    # (no model) reads too.
    Kind = models.TextChoices("Kind", [(value.upper(), (value, label)) for value, label in DEADLINE_KINDS.items()])

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="deadlines")
    edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200, blank=True, help_text=_("e.g. special issue title"))
    due_at = models.DateTimeField(_("due (UTC)"), db_index=True)
    timezone_label = models.CharField(_("announced timezone"), max_length=64, default="AoE")
    note = models.CharField(_("note"), max_length=300, blank=True)

    # Each source that gives this deadline (community.models.provenance): two trackers, two rows.
    provenance = GenericRelation("community.Provenance")

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "edition", "kind", "label"], name="deadline_unique_kind"
            ),
        ]

    def __str__(self) -> str:
        owner = str(self.edition) if self.edition_id else str(self.venue)
        return f"{owner}: {self.get_kind_display()}{' (' + self.label + ')' if self.label else ''}"

    def get_absolute_url(self) -> str:
        if self.edition_id:
            return self.edition.get_absolute_url()
        return self.venue.get_absolute_url()

    def clean(self) -> None:
        try:
            zone_for_label(self.timezone_label)
        except Exception as exc:
            raise ValidationError(
                {"timezone_label": _("Unknown timezone; use AoE, UTC, UTC+8 or an IANA name.")}
            ) from exc
        if self.edition_id and self.venue_id and self.edition.venue_id != self.venue_id:
            raise ValidationError({"edition": _("The edition belongs to another venue.")})

    @property
    def announced_at(self):
        """`due_at` in the zone it was announced in (e.g. 23:59 AoE)."""
        return self.due_at.astimezone(zone_for_label(self.timezone_label))
