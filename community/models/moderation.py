"""What moderation keeps: the history of every change, suggested edits and problem reports.

All three point at any catalogue item through a generic relation, so one queue and one history
page serve every type.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import user_link


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ItemReference(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class Reviewed(ItemReference):
    """What a suggested edit and a report share: a review status, and the queue's order (oldest first)."""

    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class ChangeRecord(ItemReference):
    """One change to a catalogue item: who made it, when, and the fields it changed (old, new)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CREATED = "created", _("Created")
        IMPORTED = "imported", _("Imported")
        UPDATED = "updated", _("Updated")
        EDIT_APPLIED = "edit_applied", _("Suggested edit applied")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged")
        REVIEWED = "reviewed", _("Marked as reviewed")

    user = user_link()
    action = models.CharField(max_length=16, choices=Action.choices)
    changes = models.JSONField(default=dict, blank=True, help_text=_("{field: [old, new]}"))
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="change_item_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type.model} #{self.object_id}"


class EditSuggestion(Reviewed):
    """A change someone proposes to a published item; nothing changes before a moderator approves."""

    submitted_by = user_link("edit_suggestions")
    changes = models.JSONField(help_text=_("{field: proposed value}"))
    # Guides and topics keep a text per language (community/translation.py) while `changes` names the
    # bare field ("body"), as the form and the API do: this says which language's text it replaces,
    # so approving it from a page in another language changes the right column.
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_("The language of the translated fields it changes; empty when it changes none."),
    )
    comment = models.TextField(_("why"), blank=True)
    reason = models.TextField(_("moderator's reason"), blank=True)
    reviewed_by = user_link()
    reviewed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"edit of {self.content_type.model} #{self.object_id}"


class Report(Reviewed):
    """A problem someone reports on a published item (wrong facts, duplicate, spam, dead link)."""

    class Reason(models.TextChoices):
        WRONG = "wrong", _("Wrong or outdated information")
        DUPLICATE = "duplicate", _("Duplicate of another item")
        BROKEN_LINK = "broken_link", _("Broken link")
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive content")
        OTHER = "other", _("Something else")

    reported_by = user_link("reports")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    message = models.TextField(_("details"), blank=True)
    resolution = models.TextField(_("moderator's note"), blank=True)
    resolved_by = user_link()
    resolved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"report on {self.content_type.model} #{self.object_id}: {self.reason}"
