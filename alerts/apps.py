from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Follows, calendars and reminders")
    default_auto_field = "django.db.models.BigAutoField"
