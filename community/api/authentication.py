"""API token authentication: knox's hashed, expiring tokens, plus the "last used" the token page shows.

The header stays `Authorization: Token <key>` (REST_KNOX's AUTH_HEADER_PREFIX). The OpenAPI security
scheme is declared here too, under the name `tokenAuth` it had with DRF's plain-text tokens.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from community.models import ApiTokenInfo

# A busy script sends many requests a minute; the date it shows needs no finer grain than this.
LAST_USED_GRAIN = timedelta(minutes=1)


class TokenAuthentication(KnoxTokenAuthentication):
    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        stale = Q(last_used__isnull=True) | Q(last_used__lt=now - LAST_USED_GRAIN)
        # A read on every request, a write at most once a minute (a write takes SQLite's one write
        # lock); the UPDATE repeats the test, so two requests at once still write once.
        if ApiTokenInfo.objects.filter(stale, token=auth_token).exists():
            ApiTokenInfo.objects.filter(stale, token=auth_token).update(last_used=now)
        return user, token


class TokenScheme(KnoxTokenScheme):
    target_class = "community.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        definition = super().get_security_definition(auto_schema)
        definition["description"] = (
            "A token from /account/tokens/, sent as `Authorization: Token <key>`. A token expires "
            f"{settings.API_TOKEN_TTL_DAYS} days after it was made; a password reset or change "
            "revokes every token of the account."
        )
        return definition
