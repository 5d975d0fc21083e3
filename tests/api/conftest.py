"""Fixtures of the API tests: clients for anonymous, ordinary, moderator and staff callers."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from community.permissions import MODERATORS_GROUP
from tests.api.tokens import token_client


@pytest.fixture(autouse=True)
def _own_throttle_counts(monkeypatch):
    # Throttle counts live in the `ratelimit` cache (a Redis shared by every test process when
    # RATELIMIT_CACHE_URL names one). A key
    # prefix of its own gives each test fresh counts without flushing anyone else's.
    monkeypatch.setattr(
        SimpleRateThrottle, "cache_format", f"throttle_{uuid.uuid4().hex}_%(scope)s_%(ident)s"
    )


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def user_api(user):
    return token_client(user)


@pytest.fixture
def moderator(db):
    person = get_user_model().objects.create_user("mo", "mo@example.org", "pw-mo-123456")
    person.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return person


@pytest.fixture
def moderator_api(moderator):
    return token_client(moderator)


@pytest.fixture
def staff_api(staff_user):
    return token_client(staff_user)


@pytest.fixture
def enqueued(mocker):
    """The Celery enqueue of training runs, patched: runs are executed by workers, never in these tests.

    The task is `execute_runs` (a chunk of a sweep's runs per task) or, before batching, `execute_run`
    (one run per task); `enqueued.run_ids()` lists the run ids sent either way.
    """
    from training import tasks

    name = "execute_runs" if hasattr(tasks, "execute_runs") else "execute_run"
    mock = mocker.patch(f"training.tasks.{name}.apply_async")

    def run_ids() -> list[int]:
        ids = []
        for call in mock.call_args_list:
            sent = call.kwargs["args"][0]
            ids.extend(sent if isinstance(sent, list) else [sent])
        return ids

    mock.run_ids = run_ids
    return mock


@pytest.fixture
def wsgi_app():
    """Django's real WSGI application, for requests sent through wsgiref as a server would.

    The real handler closes the database connection when a request starts and ends (inside the
    test's transaction it looks unusable); Django's test client switches that off, and so must we.
    """
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)
