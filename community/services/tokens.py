"""API tokens: made, listed and revoked here (django-rest-knox keeps only a hash and an expiry).

The key is returned once, by `api_token_create`; the database holds its SHA-512 digest, so neither a
database dump nor this site can show it again. A password reset or change revokes every token of the
account (community.services.accounts.account_password_changed).
"""

from django.db import transaction
from knox.models import AuthToken

from community.models import ApiTokenInfo


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[AuthToken, str]:
    """A new token for `user`, expiring after REST_KNOX's TOKEN_TTL; returns it and its key."""
    token, key = AuthToken.objects.create(user=user)
    ApiTokenInfo.objects.create(token=token, name=name.strip()[:100])
    return token, key


def api_token_revoke(*, user, digest: str) -> bool:
    """Revoke one of `user`'s tokens; False if `user` has no token with that digest."""
    _total, per_model = AuthToken.objects.filter(user=user, digest=digest).delete()
    return bool(per_model.get(AuthToken._meta.label))


def api_tokens_revoke_all(*, user) -> int:
    """Revoke every token of `user`; returns how many there were."""
    _total, per_model = AuthToken.objects.filter(user=user).delete()
    return per_model.get(AuthToken._meta.label, 0)
