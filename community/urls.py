"""Portal URLs; config/urls.py mounts them inside i18n_patterns (English bare, Chinese under /zh-hans/)."""

from django.urls import path

from .views import accounts as account_views
from .views import (
    careers,
    channels,
    exports,
    funding,
    guides,
    history,
    home,
    imports,
    moderation,
    papers,
    people,
    projects,
    search,
    submit,
    tokens,
    topics,
    venues,
)

app_name = "community"

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", search.search, name="search"),
    path("papers/", papers.PaperListView.as_view(), name="paper-list"),
    # Before paper-detail, which would otherwise read "bibtex" as a paper's slug.
    path("papers/bibtex/", exports.paper_list_bibtex, name="paper-list-bibtex"),
    path("papers/<slug:slug>/", papers.PaperDetailView.as_view(), name="paper-detail"),
    path("papers/<slug:slug>/bibtex/", exports.paper_bibtex_view, name="paper-bibtex"),
    path("projects/", projects.ProjectListView.as_view(), name="project-list"),
    path("projects/<slug:slug>/", projects.ProjectDetailView.as_view(), name="project-detail"),
    path("venues/", venues.VenueListView.as_view(), name="venue-list"),
    path("venues/<slug:slug>/", venues.VenueDetailView.as_view(), name="venue-detail"),
    path("deadlines/", venues.DeadlineListView.as_view(), name="deadline-list"),
    path("jobs/", careers.JobListView.as_view(), name="job-list"),
    path("jobs/<slug:slug>/", careers.JobDetailView.as_view(), name="job-detail"),
    path("funding/", funding.FundingListView.as_view(), name="funding-list"),
    path("funding/<slug:slug>/", funding.FundingDetailView.as_view(), name="funding-detail"),
    path("organizations/", people.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<slug:slug>/", people.OrganizationDetailView.as_view(), name="organization-detail"),
    path("people/", people.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", people.PersonDetailView.as_view(), name="person-detail"),
    path("channels/", channels.ChannelListView.as_view(), name="channel-list"),
    path("channels/<slug:slug>/", channels.ChannelDetailView.as_view(), name="channel-detail"),
    path("guides/", guides.GuideListView.as_view(), name="guide-list"),
    path("guides/<slug:slug>/", guides.GuideDetailView.as_view(), name="guide-detail"),
    path("topics/", topics.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", topics.TopicDetailView.as_view(), name="topic-detail"),
    path("history/", history.timeline, name="history"),
    path("account/tokens/", tokens.tokens, name="account-tokens"),
    path("moderation/import/", imports.import_upload, name="import-upload"),
    # Accounts' privacy page, submissions, suggested edits, reports and moderation (issue 4).
    path("privacy/", account_views.privacy, name="privacy"),
    path("submit/", submit.submit_index, name="submit"),
    path("submit/<slug:kind>/", submit.SubmitView.as_view(), name="submit-kind"),
    path("suggest-edit/<slug:kind>/<slug:slug>/", submit.suggest_edit, name="suggest-edit"),
    path("report/<slug:kind>/<slug:slug>/", submit.report_problem, name="report"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/items/<int:content_type_id>/<int:pk>/", moderation.item_review, name="moderation-item"),
    path("moderation/edits/<int:pk>/", moderation.edit_review, name="moderation-edit"),
    path("moderation/reports/<int:pk>/", moderation.report_review, name="moderation-report"),
    path("moderation/history/<int:content_type_id>/<int:pk>/", moderation.history, name="moderation-history"),
    path("moderation/merge/<slug:kind>/", moderation.merge, name="moderation-merge"),
]
