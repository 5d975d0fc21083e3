"""Follows, saved searches and the delivery log in the admin (read-mostly: readers change their own
on /account/follows/). The calendar secret's hash is never shown."""

from django.contrib import admin

from .models import AlertSettings, CalendarToken, Digest, Follow, Reminder, SavedSearch


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "venue", "funding", "topic", "created_at")
    search_fields = ("user__username", "venue__name", "funding__title", "topic__name")
    raw_id_fields = ("user", "venue", "funding", "topic")


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "path", "query", "created_at")
    search_fields = ("name", "user__username")
    raw_id_fields = ("user",)


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "language", "timezone", "reminders_enabled", "digest_enabled")
    raw_id_fields = ("user",)


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used")
    exclude = ("digest",)
    readonly_fields = ("user", "created_at", "last_used")

    def has_add_permission(self, request) -> bool:
        return False


class DeliveryAdmin(admin.ModelAdmin):
    list_filter = ("state",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "state", "claim_token", "claimed_at", "sent_at", "attempts")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(DeliveryAdmin):
    list_display = (
        "user",
        "deadline",
        "funding",
        "offset_days",
        "state",
        "claimed_at",
        "sent_at",
        "attempts",
    )
    raw_id_fields = ("deadline", "funding")


@admin.register(Digest)
class DigestAdmin(DeliveryAdmin):
    list_display = ("user", "period_start", "state", "item_count", "claimed_at", "sent_at")
