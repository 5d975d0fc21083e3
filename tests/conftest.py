"""Fixtures shared by the whole suite."""

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("ada", "ada@example.org", "pw-ada-123456")


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-admin-123456")
