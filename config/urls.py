from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from alerts import urls as alerts_urls
from community.feeds import DeadlineFeed, KindFeed, LatestFeed, TopicFeed
from community.views import feeds as calendar_views
from config.health import healthz, readyz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),  # unprefixed: an API address never changes with the language
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Feeds and calendars are unprefixed: a subscription keeps working whatever language is read.
    path("feeds/latest.atom", LatestFeed(), name="feed-latest"),
    path("feeds/topics/<slug:slug>.atom", TopicFeed(), name="feed-topic"),
    path("feeds/deadlines.atom", DeadlineFeed(), name="feed-deadlines"),
    path("feeds/<slug:kind>.atom", KindFeed(), name="feed-kind"),
    path("deadlines.ics", calendar_views.deadlines_ics, name="deadlines-ics"),
    path("deadlines/<int:pk>.ics", calendar_views.deadline_ics, name="deadline-ics"),
    # A reader's private calendar and feeds (a secret in the address) and the mails' unsubscribe link.
    path("", include(alerts_urls.public)),
]
urlpatterns += i18n_patterns(
    path("results/", include("training.urls")),
    path("accounts/", include("community.urls_accounts")),
    path("", include(alerts_urls.account)),  # /account/follows/: before the catalogue's own /account/ pages
    path("", include("community.urls")),
    prefix_default_language=False,
)

# A crash under /api/ answers JSON in the API's error shape; elsewhere the portal's 500 page.
handler500 = "common.api.errors.server_error"
