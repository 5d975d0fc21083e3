"""The one way tests make an API token: through the service the token page uses (a hashed knox token)."""

from rest_framework.test import APIClient

from community.services.tokens import api_token_create


def api_token_key(user, name: str = "tests") -> str:
    """A new token for `user`; returns the key a client sends as `Authorization: Token <key>`."""
    return api_token_create(user=user, name=name)[1]


def token_client(user) -> APIClient:
    """An API client that authenticates every request as `user` with a new token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client
