"""The one way tests make an API token: through the service the token page uses (a hashed knox token)."""

from community.services.tokens import api_token_create


def api_token_key(user, name: str = "tests") -> str:
    """A new token for `user`; returns the key a client sends as `Authorization: Token <key>`."""
    return api_token_create(user=user, name=name)[1]
