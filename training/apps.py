from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Reference training")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from community import page_cache

        # The tasks connect the receiver that sends runs to the workers (training.services.dispatch):
        # loaded in every process, the web's too, so a sweep started there is enqueued.
        from training import tasks  # noqa: F401
        from training.models import Benchmark, Sweep

        # Paper and topic pages show what published sweeps reproduced beside the papers' claims, and
        # are page-cache fragments (community.page_cache): a sweep or benchmark written makes them
        # stale as a catalogue write does. Runs are left out: their heartbeats would move it constantly,
        # and a page shows a sweep's results only once the sweep itself is written as published.
        for model in (Benchmark, Sweep):
            label = model._meta.label
            post_save.connect(page_cache.catalogue_changed, sender=model, dispatch_uid=f"page-cache-{label}")
            post_delete.connect(page_cache.catalogue_changed, sender=model, dispatch_uid=f"page-cache-del-{label}")
