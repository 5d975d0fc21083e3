"""A person's API tokens for /account/tokens/: those not expired, newest first, with name and last use."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken


def api_tokens_of(user) -> QuerySet[AuthToken]:
    return (
        AuthToken.objects.filter(user=user)
        .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
        .select_related("info")
        .order_by("-created")
    )
