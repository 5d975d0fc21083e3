"""The catalogue's API routes: (prefix, viewset, basename). config/api_urls.py registers them, with the
training app's, on the one router mounted at /api/v1/."""

from . import leaderboards, moderation, views

routes = [
    ("papers", views.PaperViewSet, "paper"),
    ("people", views.PersonViewSet, "person"),
    ("organizations", views.OrganizationViewSet, "organization"),
    ("projects", views.ProjectViewSet, "project"),
    ("venues", views.VenueViewSet, "venue"),
    ("deadlines", views.DeadlineViewSet, "deadline"),
    ("jobs", views.JobViewSet, "job"),
    ("funding", views.FundingViewSet, "funding"),
    ("channels", views.ChannelViewSet, "channel"),
    ("guides", views.GuideViewSet, "guide"),
    ("topics", views.TopicViewSet, "topic"),
    ("moderation", moderation.ModerationViewSet, "moderation"),
    *leaderboards.routes,  # tasks, datasets, methods, results (issue 14)
]
