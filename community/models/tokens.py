"""What the site keeps about an API token besides knox's hash and expiry: a name and the last use."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken


class ApiTokenInfo(models.Model):
    """One per knox token, deleted with it (revoked, expired, or its account deleted)."""

    token = models.OneToOneField(
        AuthToken, on_delete=models.CASCADE, primary_key=True, related_name="info", verbose_name=_("token")
    )
    name = models.CharField(_("name"), max_length=100)
    # Written at most once a minute per token (community.api.authentication), not on every request.
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name
