"""Fixtures of the community tests: a member, a moderator and their logged-in clients.

The cache is emptied around every test: the submission rate limiter counts in it, and in local memory
it would otherwise carry counts from one test to the next.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.community.moderation_helpers import make_user


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate limiter keeps its counts in the cache, which outlives a test in local memory.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return make_user("member")


@pytest.fixture
def moderator(db):
    return make_user("moddy", moderator=True)


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client
