"""Schemathesis against the OpenAPI schema, in-process (WSGI): every operation, as an anonymous
client, a signed-in user with a token, and staff; throttling off; MAX_EXAMPLES examples each.

Each operation gets MAX_EXAMPLES generated requests (path slugs and ids, every filter, ordering,
page, format, request bodies...) against a small catalogue, a published sweep and a moderation queue,
and every response must be: no 5xx, a status the schema lists for that operation, a documented
content type, and a body that validates against the documented schema (the error shape included).
Derandomized, so a run is repeatable and CI time stays bounded (about 55 s for the three roles here).
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


def _fuzz(operation, *, headers: dict, statuses: list[int], refuse_writes: bool = False) -> None:
    """MAX_EXAMPLES generated requests to one operation, each response checked against the schema
    (and, with `refuse_writes`, refused as unauthenticated)."""

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses.append(response.status_code)
        if refuse_writes:
            assert response.status_code in (401, 403), (
                f"unauthenticated write answered {response.status_code}"
            )

    run()


@pytest.fixture
def user_token(user):
    return Token.objects.create(user=user).key


@pytest.mark.parametrize("who", ["anonymous", "user", "staff"])
def test_every_operation_conforms_to_the_schema(
    who, catalogue, wsgi_app, user_token, staff_token, enqueued, mocker
):
    """Every operation of the schema, MAX_EXAMPLES generated requests each, as an anonymous client, a
    signed-in user with a token, and staff (who may also moderate and run sweeps). Generated bodies
    reach the submission, moderation and sweep services, and whatever they make of them (202, 400,
    404, 409...) must be a documented answer, never a 5xx; an anonymous write is always refused."""
    mocker.patch("community.services.moderation.mail_user_on_commit")
    headers = {"anonymous": {}, "user": {"Authorization": f"Token {user_token}"},
               "staff": {"Authorization": f"Token {staff_token}"}}[who]  # fmt: skip
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 70
    statuses: list[int] = []
    failures = []
    for operation in operations:
        write = operation.method.upper() != "GET"
        try:
            _fuzz(operation, headers=headers, statuses=statuses, refuse_writes=who == "anonymous" and write)
        except Exception as exc:  # every operation's failure, not just the first
            failures.append(f"{who} {operation.label}: {exc}")

    print(f"schemathesis ({who}): {len(statuses)} requests, statuses {sorted(set(statuses))}")
    assert not failures, "\n\n".join(failures)
    # The run did exercise the API: successes and refusals both.
    assert len(statuses) >= 20 * len(operations) // 2 and {200, 400, 404} <= set(statuses), sorted(
        set(statuses)
    )
    if who == "anonymous":
        assert {401, 403} & set(statuses)
    else:
        assert 202 in statuses
