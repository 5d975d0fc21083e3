"""Schemathesis against the OpenAPI schema, in-process (WSGI): every GET operation, anonymous and as
staff, and every write operation as staff.

Each GET operation gets MAX_EXAMPLES generated requests (path slugs and ids, every filter, ordering,
page, format...) against a small catalogue and a published sweep, and every response must be: no
5xx, a status the schema lists for that operation, a documented content type, and a body that
validates against the documented schema (the error shape included). Derandomized, so a run is
repeatable and CI time stays bounded (about 30 s for both tests here, SQLite or PostgreSQL).
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from community.services import submissions
from tests.community import factories as f
from tests.training.factories import finished_sweep

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 20
WRITE_EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    # The real WSGI handler closes the database connection (inside the test's transaction, it looks
    # unusable) when a request starts and ends; Django's test client switches that off, and so must we.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def staff_token(staff_user):
    return Token.objects.create(user=staff_user).key


@pytest.fixture
def catalogue(settings, user):
    # The fuzzer sends hundreds of anonymous requests; the throttle is tested elsewhere.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "submissions": None},
    }
    paper = f.fully_linked_paper(width=2, slug="attention")
    f.linked_venue(width=2, slug="neurips")
    f.linked_organization(width=1, slug="deepmind")
    f.linked_topic(width=1, slug="transformers")
    f.linked_deadline()
    f.linked_job(slug="engineer")
    f.linked_funding(slug="grant")
    f.linked_channel(slug="forum")
    f.linked_guide(slug="guide")
    f.linked_project(width=1, slug="pytorch")
    f.linked_person(width=1, slug="ada")
    finished_sweep()
    finished_sweep(published=False)  # staff only
    # Something in the moderation queue of each kind.
    submissions.paper_submit(data={"title": "Dropout", "year": 2014, "authors": ["N. Srivastava"]}, user=user)
    submissions.edit_suggest(item=paper, changes={"title": "A better title"}, user=user)
    submissions.report_create(item=paper, reason="wrong", user=user)
    return paper


def _fuzz(operation, *, headers: dict, statuses: list[int], max_examples: int = MAX_EXAMPLES) -> None:
    """`max_examples` generated requests to one operation, each response checked against the schema."""

    @settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses.append(response.status_code)

    run()


def test_get_operations_conform_to_the_schema(catalogue, wsgi_app, staff_token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) >= 30
    statuses: list[int] = []
    failures = []

    # Anonymous, then as staff (who also see unpublished sweeps and the moderation queue).
    for who, headers in (("anonymous", {}), ("staff", {"Authorization": f"Token {staff_token}"})):
        for operation in operations:
            try:
                _fuzz(operation, headers=headers, statuses=statuses)
            except Exception as exc:  # every operation's failure, not just the first
                failures.append(f"{who} {operation.label}: {exc}")

    print(f"schemathesis: {len(statuses)} requests, statuses {sorted(set(statuses))}")
    assert not failures, "\n\n".join(failures)
    # The run did exercise the API: successes and refusals both.
    assert len(statuses) >= 300 and {200, 400, 404} <= set(statuses), sorted(set(statuses))


def test_write_operations_conform_to_the_schema(catalogue, wsgi_app, staff_token, enqueued, mocker):
    """Every POST, PUT and PATCH as staff (who may also moderate and run sweeps): generated bodies
    reach the submission, moderation and sweep services, and whatever they make of them (202, 400,
    404, 409...) must be a documented answer, never a 5xx."""
    mocker.patch("community.services.moderation.mail_user_on_commit")
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.exclude(method="GET").get_all_operations()]
    assert len(operations) >= 40
    statuses: list[int] = []
    failures = []
    for operation in operations:
        try:
            _fuzz(
                operation,
                headers={"Authorization": f"Token {staff_token}"},
                statuses=statuses,
                max_examples=WRITE_EXAMPLES,
            )
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}")

    print(f"schemathesis (writes): {len(statuses)} requests, statuses {sorted(set(statuses))}")
    assert not failures, "\n\n".join(failures)
    assert {202, 400, 404} <= set(statuses), sorted(set(statuses))
