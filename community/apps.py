from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community catalogue")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from community import (
            admin_imports,  # noqa: F401 - the archive's import jobs in the admin (issue 14)
            admin_leaderboards,  # noqa: F401 - the archive kinds' admin (issue 14), built on community.admin
            page_cache,
            tasks,  # noqa: F401 - connects the receivers that enqueue tasks (community.tasks)
        )

        # Any write to a catalogue table (items, their links, moderation) makes cached pages stale.
        for model in self.get_models(include_auto_created=True):
            post_save.connect(
                page_cache.catalogue_changed, sender=model, dispatch_uid=f"page-cache-{model._meta.label}"
            )
            post_delete.connect(
                page_cache.catalogue_changed, sender=model, dispatch_uid=f"page-cache-del-{model._meta.label}"
            )
            if model._meta.auto_created:
                m2m_changed.connect(
                    page_cache.catalogue_changed,
                    sender=model,
                    dispatch_uid=f"page-cache-m2m-{model._meta.label}",
                )
