"""The suite runs on the database it was asked to (CI: PostgreSQL) and the embedded default is sane."""

import os

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_runs_on_the_expected_database():
    expected = os.environ.get("DEEPCOMMONS_EXPECT_DB", "sqlite" if "DATABASE_URL" not in os.environ else None)
    if expected is None:
        pytest.skip("DATABASE_URL set without DEEPCOMMONS_EXPECT_DB: nothing to compare")
    assert connection.vendor == expected


def test_embedded_sqlite_file_is_in_wal_mode_so_the_worker_can_share_it(tmp_path, django_db_blocker):
    """A connection opened with the project's SQLite options on a file reports journal_mode=wal."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(tmp_path / "wal.sqlite3"),
            "OPTIONS": settings.SQLITE_OPTIONS,
        }
    )
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()


def test_broker_is_embedded_or_the_configured_one():
    url = os.environ.get("CELERY_BROKER_URL")
    if url:
        assert url == settings.CELERY_BROKER_URL
    else:
        assert settings.CELERY_BROKER_URL.startswith("filesystem://")
        assert os.path.isdir(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
