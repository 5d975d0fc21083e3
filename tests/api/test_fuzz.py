"""Schemathesis against the OpenAPI schema, in-process (WSGI): every operation, as an anonymous
client, a signed-in user with a token, and staff; throttling off; MAX_EXAMPLES examples each.

Each operation gets MAX_EXAMPLES generated requests (path slugs and ids, every filter, ordering,
page, format, request bodies...) against a small catalogue, a published sweep and a moderation queue,
and every response must be: no 5xx, a status the schema lists for that operation, a documented
content type, a body that validates against the documented schema (the error shape included), and
(`positive_data_acceptance`) no 400 for a request the schema calls valid: the schema states every
rule the API checks that JSON Schema can express (lengths, ranges, patterns, enums, required and
non-blank fields, no unknown keys).

Two kinds of rule it cannot express, so the generated bodies are brought in line with them first
(`_within_rules_the_schema_cannot_state`); the API answers a breach of either with a documented 400:
a slug must name a published item (the fuzzer is handed the catalogue's), and fields that must agree
(dates in order, amounts in order with a currency, an edition of the paper's venue, no deadline
for a rolling funding call).

`test_unknown_formats_are_refused_with_400` sends every operation `?format=` values it does not list.
Derandomized, so a run is repeatable and its time stays bounded (MAX_EXAMPLES, below).
"""

import datetime as dt
import itertools
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from community.models import Dataset, FundingOpportunity, Organization, Paper, Project, Task, Topic, Venue
from community.services import submissions
from tests.api.tokens import api_token_key
from tests.community import factories as f
from tests.community import factories_leaderboards as lf
from tests.training.factories import finished_sweep
from training.models import Benchmark

pytestmark = pytest.mark.django_db

# The everyday `make test` sends 10 examples an operation (the slowest test of the suite: each example
# is a request); CI (.ci/run) sets FUZZ_EXAMPLES=20, and FUZZ_EXAMPLES=200 makes a deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]


@pytest.fixture
def staff_token(staff_user):
    return api_token_key(staff_user)


@pytest.fixture
def catalogue(settings, user):
    # The fuzzer sends hundreds of anonymous requests; the throttle is tested elsewhere.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "writes": None},
    }
    settings.SUBMISSION_RATE_LIMIT = 10_000  # the services' budget for submissions, tested elsewhere
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
    task, _dataset = lf.leaderboard(width=2, task=lf.TaskFactory(parent=lf.TaskFactory()))
    lf.ResultFactory(task=task, paper=paper)  # a claimed result of the paper (the `paper` filter)
    finished_sweep()
    finished_sweep(published=False)  # staff only
    # Something in the moderation queue of each kind.
    submissions.paper_submit(data={"title": "Dropout", "year": 2014, "authors": ["N. Srivastava"]}, user=user)
    submissions.edit_suggest(item=paper, changes={"title": "A better title"}, user=user)
    submissions.report_create(item=paper, reason="wrong", user=user)
    return paper


@pytest.fixture
def references(catalogue) -> dict:
    """A published item of each kind a write names by slug (the schema can only say "a slug"). Read
    once per test, not per generated request (that was a third of the fuzzer's time): the requests
    only add pending submissions, so the published items they name stay published."""
    org = Organization.objects.published().first().slug
    funder = FundingOpportunity.objects.published().first().funder.slug  # the funder filter lists these
    return {
        "venue": Venue.objects.published().first().slug,
        "edition": None,  # the venue's editions are optional; `venue` names the paper's place
        "organization": org,
        "funder": funder,
        "affiliation": org,
        "parent": None,  # a topic may not sit under itself; no parent is always right
        "topics": [Topic.objects.published().first().slug],
        "benchmark": Benchmark.objects.first().slug,
        "topic": Topic.objects.published().first().slug,
        "language": Project.objects.published().exclude(language="").first().language,
        # The Papers with Code archive's kinds (issue 14): a task with a parent, a dataset, a paper.
        "task": Task.objects.published().filter(parent__isnull=False).first().parent.slug,
        "dataset": Dataset.objects.published().first().slug,
        "paper": Paper.objects.published().first().slug,
    }


# Body fields that name a related item by slug.
BODY_REFERENCES = ("venue", "edition", "organization", "funder", "affiliation", "parent", "topics", "benchmark")  # fmt: skip
# Query parameters that filter by a related item (or a value that occurs), and the reference each takes.
FILTER_REFERENCES = {
    "topic": "topic",
    "parent": "topic",
    "venue": "venue",
    "funder": "funder",
    "organization": "organization",
    "benchmark": "benchmark",
    "language": "language",
    "task": "task",
    "dataset": "dataset",
    "paper": "paper",
}


# The catalogue fixture's published item of each kind: half of the generated writes to a `{slug}` go to
# it, so edits, reports and editions reach the services (a random slug only finds the 404).
ITEM_SLUGS = {
    "papers": "attention",
    "venues": "neurips",
    "organizations": "deepmind",
    "topics": "transformers",
    "jobs": "engineer",
    "funding": "grant",
    "channels": "forum",
    "guides": "guide",
    "projects": "pytorch",
    "people": "ada",
}


_SEARCH_NAMES = itertools.count()


def _strategy(operation, references: dict):
    return st.tuples(operation.as_strategy(), st.booleans()).map(
        lambda drawn: _within_rules_the_schema_cannot_state(drawn[0], references, existing=drawn[1])
    )


def _within_rules_the_schema_cannot_state(case, references: dict, existing: bool = False):
    if existing and case.method.upper() != "GET" and "slug" in (case.path_parameters or {}):
        kind = case.operation.path.split("/{slug}")[0].rsplit("/", 1)[-1]
        case.path_parameters["slug"] = ITEM_SLUGS[kind]
    for name, value in (case.query or {}).items():  # a filter by a related item (or value) that exists
        if name in FILTER_REFERENCES and value not in (None, ""):
            kind = (
                "task" if name == "parent" and "/tasks/" in case.operation.path else FILTER_REFERENCES[name]
            )
            case.query[name] = references[kind]
    body = case.body
    if not isinstance(body, dict):
        return case
    if case.method.upper() == "POST" and case.operation.path.endswith("/follows/") and "kind" in body:
        # The followed item is named by kind and slug: one that exists.
        body["slug"] = {"venue": references["venue"], "topic": references["topic"], "funding": "grant"}[
            body["kind"]
        ]
    if case.method.upper() == "POST" and case.operation.path.endswith("/saved-searches/"):
        # A list page's address that its filters accept, under a name the user has not used yet.
        body["address"] = f"/papers/?topic={references['topic']}"
        body["name"] = f"search {next(_SEARCH_NAMES)}"
    for name in BODY_REFERENCES:
        if body.get(name) is not None:
            body[name] = references[name]
    if body.get("closes_on") is not None and body.get("posted_on") is None:
        # A job closes on or after it was posted: today for a new one, the fixture's (past) date for an edit.
        today = dt.date.today().isoformat()
        if case.method.upper() == "POST":
            body["posted_on"] = min(body["closes_on"], today)
        else:
            body["closes_on"] = max(body["closes_on"], today)
    if body.get("venue") and "edition" not in body and "/papers/" in case.operation.path:
        body["edition"] = None  # the edited paper's edition belongs to its present venue
    if case.method.upper() != "POST" and ("amount_min" in body) != ("amount_max" in body):
        # The edited funding has both amounts: the one given must keep them in order.
        given = body.get("amount_min", body.get("amount_max"))
        if given is not None:
            body["amount_min"] = body["amount_max"] = given
    for first, last in (("posted_on", "closes_on"), ("start_date", "end_date"), ("amount_min", "amount_max")):
        a, b = body.get(first), body.get(last)
        if a is not None and b is not None and _number_or_text(b) < _number_or_text(a):
            body[first], body[last] = b, a
    if body.get("rolling") is True:
        # A rolling call has no deadline (the edited call's is cleared too).
        body.pop("deadline_local", None)
        body["deadline"] = None
    amounts = body.get("amount_min") is not None or body.get("amount_max") is not None
    if (amounts or "currency" in body) and not body.get("currency"):  # the edited funding has amounts
        body["currency"] = "EUR"
    # An edition's deadlines: one of each kind and label.
    seen = set()
    for number, deadline in enumerate(body.get("deadlines") or []):
        if (deadline["kind"], deadline.get("label", "").strip()) in seen:
            deadline["label"] = f"round {number}"
        seen.add((deadline["kind"], deadline.get("label", "").strip()))
    return case


def _number_or_text(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _fuzz(
    operation, references: dict, *, headers: dict, statuses: list[int], refuse_writes: bool = False
) -> None:
    """MAX_EXAMPLES generated requests to one operation, each response checked against the schema
    (and, with `refuse_writes`, refused as unauthenticated)."""

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, references))
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
    return api_token_key(user)


@pytest.mark.parametrize("who", ["anonymous", "user", "staff"])
def test_every_operation_conforms_to_the_schema(
    who, references, wsgi_app, user_token, staff_token, enqueued, mocker
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
            _fuzz(
                operation,
                references,
                headers=headers,
                statuses=statuses,
                refuse_writes=who == "anonymous" and write,
            )
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure, not just the first
            failures.append(f"{who} {operation.label}: {exc}")

    print(f"schemathesis ({who}): {len(statuses)} requests, statuses {sorted(set(statuses))}")
    assert not failures, "\n\n".join(failures)
    # The run did exercise the API: successes and refusals both. (No 400: every request generated is
    # valid by the schema, and positive_data_acceptance checked none was refused; the 400s are
    # test_unknown_formats_are_refused_with_400's and test_writes'.)
    assert len(statuses) >= MAX_EXAMPLES * len(operations) // 2 and {200, 404} <= set(statuses), sorted(
        set(statuses)
    )
    if who == "anonymous":
        assert {401, 403} & set(statuses)
    else:
        assert 202 in statuses


# Formats no operation lists; `bibtex` is listed by the paper reads only.
UNKNOWN_FORMATS = ["AAA", "xml", "yaml", "api", "html", "bibtex"]


def _listed_formats(operation) -> set[str]:
    for parameter in operation.definition.raw.get("parameters", []):
        if parameter.get("name") == "format" and parameter.get("in") == "query":
            return set(parameter["schema"]["enum"])
    return set()


def test_unknown_formats_are_refused_with_400(references, wsgi_app, staff_token, enqueued, mocker):
    """`?format=` is documented on every operation with the formats it has, and any other value
    answers 400 `unsupported_format` in the error shape (a documented status, body and content
    type), before authentication and before the slug or id is looked up. Schemathesis found
    `POST /api/v1/papers/?format=AAA` answering an undocumented 404."""
    mocker.patch("community.services.moderation.mail_user_on_commit")
    headers = {"Authorization": f"Token {staff_token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures, refused = [], 0
    for operation in operations:
        listed = _listed_formats(operation)
        if "json" not in listed:
            failures.append(f"{operation.label}: ?format= not documented (lists {sorted(listed)})")
            continue
        unknown = [value for value in UNKNOWN_FORMATS if value not in listed]

        @settings(max_examples=len(unknown), derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(
            case=_strategy(operation, references),
            value=st.sampled_from(unknown),
        )
        def run(case, value):
            case.query = {**(case.query or {}), "format": value}
            # Every check but positive_data_acceptance: the request is outside the schema.
            response = case.call_and_validate(headers=headers, checks=CHECKS[:-1])
            assert response.status_code == 400, f"?format={value} answered {response.status_code}"
            error = response.json()["error"]
            assert error["code"] == "unsupported_format" and value in error["message"], error

        try:
            run()
            refused += 1
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    assert refused == len(operations) >= 70
