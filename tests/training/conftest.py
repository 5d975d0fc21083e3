"""A real Celery worker in its own process for the tests that need one (never eager mode)."""

import pytest

from tests.support.celery_worker import WorkerDidNotStart, celery_worker


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """`celery -A config worker -Q default,cpu` on the test database and broker, stopped after the test.

    Uses `transactional_db` so what a test writes is committed and the worker process can read it.
    """
    try:
        with celery_worker(tmp_path / "worker.log") as proc:
            yield proc
    except WorkerDidNotStart as error:
        pytest.fail(str(error))
