"""Published results; config/urls.py mounts them at /results/ inside i18n_patterns.

Fixed paths come before `<slug:slug>/`, which would otherwise take "compare", "sweeps" and "runs"
(so no benchmark may use one of those three words as its slug).
"""

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.results, name="results"),
    path("compare/", views.compare, name="compare"),
    path("sweeps/<int:pk>/", views.sweep_detail, name="sweep-detail"),
    path("sweeps/<int:pk>/status.json", views.sweep_status, name="sweep-status"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/status.json", views.run_status, name="run-status"),
    path("runs/<int:pk>/weights.pt", views.run_weights, name="run-weights"),
    path("<slug:slug>/", views.benchmark_detail, name="benchmark-detail"),
    path("<slug:slug>/leaderboard.csv", views.leaderboard_csv, name="leaderboard-csv"),
    path("<slug:slug>/leaderboard.json", views.leaderboard_json, name="leaderboard-json"),
]
