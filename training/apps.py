from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Reference training")

    def ready(self) -> None:
        # The tasks connect the receiver that sends runs to the workers (training.services.dispatch):
        # loaded in every process, the web's too, so a sweep started there is enqueued.
        from training import tasks  # noqa: F401
