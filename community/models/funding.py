from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import CatalogueItem, CatalogueQuerySet


class FundingOpportunityQuerySet(CatalogueQuerySet):
    def open(self, *, now=None):
        """Calls still taking applications: not closed, and either rolling or with a deadline not yet past.

        A call with no deadline and not marked rolling is a call whose date is not announced yet (a
        yearly programme between two rounds): it is not open, and its page says so.

        `closed_at` is what the hourly job (community.services.expiry) and moderators set; the
        deadline test stays so a call is right between two runs of the job.
        """
        now = now or timezone.now()
        return self.filter(closed_at__isnull=True).filter(
            models.Q(deadline__isnull=True, rolling=True) | models.Q(deadline__gte=now)
        )


class FundingOpportunity(CatalogueItem):
    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        FELLOWSHIP = "fellowship", _("Fellowship")
        COMPUTE = "compute", _("Compute credits")
        PRIZE = "prize", _("Prize")

    funder = models.ForeignKey("community.Organization", on_delete=models.CASCADE, related_name="funding")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    amount_min = models.DecimalField(
        _("smallest amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("largest amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO 4217, e.g. USD"))
    deadline = models.DateTimeField(_("deadline (UTC)"), null=True, blank=True, db_index=True)
    rolling = models.BooleanField(
        _("rolling (no deadline)"),
        default=False,
        help_text=_(
            "Tick when the call takes applications all year round. A call with no deadline that is not "
            "rolling shows “date not announced” and is not listed as open."
        ),
    )
    deadline_timezone = models.CharField(_("announced timezone"), max_length=64, default="UTC")
    closed_at = models.DateTimeField(
        _("closed at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "When the call stopped taking applications: set by the hourly job once the deadline has "
            "passed, or by a moderator. Clear it to reopen the call."
        ),
    )
    eligibility = models.TextField(_("who can apply"), blank=True)
    url = models.URLField(_("details"))
    topics = models.ManyToManyField("community.Topic", blank=True, related_name="funding")

    objects = FundingOpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name_plural = _("funding opportunities")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.amount_min is not None and self.amount_max is not None and self.amount_min > self.amount_max:
            raise ValidationError({"amount_max": _("The largest amount is below the smallest.")})
        if (self.amount_min is not None or self.amount_max is not None) and not self.currency:
            raise ValidationError({"currency": _("Give the currency of the amounts.")})
        if self.rolling and self.deadline is not None:
            raise ValidationError(
                {"rolling": _("A rolling call has no deadline: clear the deadline or untick “rolling”.")}
            )

    def get_absolute_url(self) -> str:
        return reverse("community:funding-detail", kwargs={"slug": self.slug})
