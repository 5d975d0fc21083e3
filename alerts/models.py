"""What a signed-in reader follows and how they are told about it: follows (venues, funding calls,
topics), saved searches, the private calendar's token, alert preferences (language, zone, reminder
offsets), and one row per mail that must go out exactly once (a reminder per user, deadline and
offset; a digest per user and week), which moves claimed -> sent (alerts.services.delivery)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The offsets (days before a deadline) a reader may choose; a user's choice is a bit mask over this
# tuple (bit i: REMINDER_OFFSETS[i]), so the due reminders of every user are one set-based query.
REMINDER_OFFSETS = (1, 3, 7, 14, 30, 60, 90)
DEFAULT_OFFSETS = (1, 7, 30)


def offsets_mask(offsets) -> int:
    return sum(1 << REMINDER_OFFSETS.index(days) for days in set(offsets))


DEFAULT_MASK = offsets_mask(DEFAULT_OFFSETS)


class AlertSettings(models.Model):
    """A reader's preferences for mails; a user without a row has the defaults below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="alert_settings"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    reminder_mask = models.PositiveIntegerField(_("reminder offsets"), default=DEFAULT_MASK)
    reminders_enabled = models.BooleanField(_("deadline reminders"), default=True)
    digest_enabled = models.BooleanField(_("weekly digest"), default=True)

    class Meta:
        verbose_name = _("alert settings")
        verbose_name_plural = _("alert settings")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def offsets(self) -> list[int]:
        return [days for i, days in enumerate(REMINDER_OFFSETS) if self.reminder_mask & (1 << i)]


FOLLOW_KINDS = ("venue", "funding", "topic")


class Follow(models.Model):
    """One followed venue, funding call or topic (exactly one of the three is set)."""

    KINDS = FOLLOW_KINDS

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    venue = models.ForeignKey(
        "community.Venue", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    funding = models.ForeignKey(
        "community.FundingOpportunity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    topic = models.ForeignKey(
        "community.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(venue__isnull=False, funding__isnull=True, topic__isnull=True)
                | Q(venue__isnull=True, funding__isnull=False, topic__isnull=True)
                | Q(venue__isnull=True, funding__isnull=True, topic__isnull=False),
                name="follow_exactly_one_target",
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", kind],
                    condition=Q(**{f"{kind}__isnull": False}),
                    name=f"follow_unique_{kind}",
                )
                for kind in FOLLOW_KINDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.target}"

    @property
    def kind(self) -> str:
        return next(kind for kind in self.KINDS if getattr(self, f"{kind}_id"))

    @property
    def target(self):
        return getattr(self, self.kind)


class SavedSearch(models.Model):
    """A list page with its filters (a validated path and query string) that a reader named."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    path = models.CharField(_("page"), max_length=200)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


class CalendarToken(models.Model):
    """The secret of a reader's private calendar and feeds: only its SHA-256 is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="calendar_token"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.user)


class Delivery(models.Model):
    """A mail that must go out exactly once: inserted `claimed` by one run (claim_token), renewed
    just before it is sent, then `sent`. A claim whose claimed_at is older than the lease belongs
    to a dead worker and is taken over by the next run."""

    class State(models.TextChoices):
        CLAIMED = "claimed", _("claimed")
        SENT = "sent", _("sent")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.CLAIMED)
    claim_token = models.CharField(max_length=32)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        abstract = True


class Reminder(Delivery):
    """One reminder of one deadline (a venue's, or a funding call's) at one offset, for one user."""

    deadline = models.ForeignKey("community.Deadline", null=True, blank=True, on_delete=models.CASCADE)
    funding = models.ForeignKey(
        "community.FundingOpportunity", null=True, blank=True, on_delete=models.CASCADE
    )
    offset_days = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "deadline", "offset_days"],
                condition=Q(deadline__isnull=False),
                name="reminder_once_per_deadline",
            ),
            models.UniqueConstraint(
                fields=["user", "funding", "offset_days"],
                condition=Q(funding__isnull=False),
                name="reminder_once_per_funding",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=False, funding__isnull=True)
                | Q(deadline__isnull=True, funding__isnull=False),
                name="reminder_one_target",
            ),
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="reminder_state_claimed")]

    def __str__(self) -> str:
        return f"{self.user} · {self.deadline or self.funding} · {self.offset_days} d · {self.state}"


class Digest(Delivery):
    """The weekly digest of one user for the week starting on `period_start` (a Monday, UTC)."""

    period_start = models.DateField()
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "period_start"], name="digest_once_per_week")]
        indexes = [models.Index(fields=["state", "claimed_at"], name="digest_state_claimed")]

    def __str__(self) -> str:
        return f"{self.user} · {self.period_start} · {self.state}"
