"""The training app's API routes: (prefix, viewset, basename); config/api_urls.py registers them."""

from . import views

routes = [
    ("benchmarks", views.BenchmarkViewSet, "benchmark"),
    ("sweeps", views.SweepViewSet, "sweep"),
    ("runs", views.RunViewSet, "run"),
]
