from django.apps import AppConfig


class CatalogueBenchmarkConfig(AppConfig):
    name = "benchmarks.catalogue"
    label = "benchmarks_catalogue"
    verbose_name = "Synthetic catalogue (benchmarks)"
