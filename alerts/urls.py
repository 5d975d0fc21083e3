"""The alerts app's addresses: `public` (unprefixed in config/urls.py: the private calendar and
feeds, which a calendar program fetches whatever language is read, and the unsubscribe link of every
mail) and `account` (/account/follows/..., inside i18n_patterns like the portal)."""

from django.urls import path

from . import feeds, views

public = (
    [
        path("calendar/<str:key>.ics", feeds.private_calendar, name="calendar"),
        path("calendar/<str:key>/searches/<int:pk>.atom", feeds.search_feed, name="search-feed"),
        path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    ],
    "alerts",
)

account = (
    [
        path("account/follows/", views.follows, name="follows"),
        path("account/follows/toggle/", views.follow_toggle, name="toggle"),
    ],
    "follows",
)
