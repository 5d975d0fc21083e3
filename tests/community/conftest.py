"""Fixtures of the community tests: a member, a moderator and their logged-in clients.

The caches are emptied around every test by tests/conftest.py.
"""

import pytest
from django.test import Client
from django.utils import translation

from community.services.seed import seed_load
from tests.community.moderation_helpers import make_user
from tests.support.shared_data import written_once


@pytest.fixture(autouse=True)
def _english_first():
    # A test client's request leaves its language active in this thread; guides and topics store
    # text per language (community/translation.py), so a factory must not write the Chinese column
    # because the previous test read a Chinese page.
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(scope="class")
def seed_for_the_class(django_db_setup, django_db_blocker):
    """The shipped seed (seed_load), loaded once for the tests of a class that only read it
    (`@pytest.mark.usefixtures("seed_for_the_class")`) and rolled back after the last of them; what
    each test writes is undone after it as usual (tests/support/shared_data.py)."""
    yield from written_once(django_db_blocker, seed_load)


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


@pytest.fixture
def pwc_folders(tmp_path, settings):
    """The archive's import folder (PWC_IMPORT_DIR, returned) and the jobs' folder, in tmp_path."""
    settings.PWC_IMPORT_DIR = tmp_path / "incoming"
    settings.PWC_JOB_DIR = tmp_path / "jobs"
    settings.PWC_IMPORT_DIR.mkdir()
    return settings.PWC_IMPORT_DIR
