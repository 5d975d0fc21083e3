"""Published results; config/urls.py mounts them at /results/ inside i18n_patterns.

Fixed paths come before `<slug:slug>/`, which would otherwise take "compare", "sweeps" and "runs"
(so no benchmark may use one of those three words as its slug).
"""

from django.urls import path

from . import views

app_name = "training"


def _live(segment: str, page, status, name: str) -> list:
    """A page that keeps itself current (sweeps, runs) and, next to it, the status JSON that its
    script (training-live.js) polls: ``<segment>/<pk>/`` and ``<segment>/<pk>/status.json``."""
    return [
        path(f"{segment}/<int:pk>/", page, name=f"{name}-detail"),
        path(f"{segment}/<int:pk>/status.json", status, name=f"{name}-status"),
    ]


urlpatterns = [
    path("", views.results, name="results"),
    path("compare/", views.compare, name="compare"),
    *_live("sweeps", views.sweep_detail, views.sweep_status, "sweep"),
    *_live("runs", views.run_detail, views.run_status, "run"),
    path("runs/<int:pk>/weights.pt", views.run_weights, name="run-weights"),
    path("<slug:slug>/", views.benchmark_detail, name="benchmark-detail"),
    path("<slug:slug>/leaderboard.csv", views.leaderboard_csv, name="leaderboard-csv"),
    path("<slug:slug>/leaderboard.json", views.leaderboard_json, name="leaderboard-json"),
]
