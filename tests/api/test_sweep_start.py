"""Starting a sweep through the API as a client on a flaky network sees it: the answer's headers are
plain strings a WSGI server accepts (wsgiref, as under `make run`), and a retried start with the same
`Idempotency-Key` returns the first sweep instead of starting (and training) a second one."""

import io
import json
from unittest import mock
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from rest_framework.test import APIClient

from tests.training.factories import BenchmarkFactory, SweepFactory
from training.models import Sweep, TrainingRun

pytestmark = pytest.mark.django_db

URL = "/api/v1/sweeps/"


@pytest.fixture
def starter(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


# --- headers are strings, through wsgiref -------------------------------------------------------------


def _wsgi_post(app, path: str, payload: dict, *, cookies: dict, headers: dict) -> tuple[str, list, bytes]:
    """POST through wsgiref's validator, which refuses what wsgiref's server refuses (a header value
    that is not exactly a str, among others) by raising AssertionError."""
    body = json.dumps(payload).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, response_headers
        return lambda data: None

    result = validator(app)(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        result.close()
    return answer["status"], answer["headers"], content


def test_start_through_wsgiref_answers_201_with_a_str_location(wsgi_app, staff_user, enqueued):
    benchmark = BenchmarkFactory()
    browser = Client()
    browser.force_login(staff_user)
    csrf = "a" * 32  # a session write needs the CSRF token: the cookie's secret, sent back in a header
    cookies = {settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value}
    cookies[settings.CSRF_COOKIE_NAME] = csrf

    status, headers, content = _wsgi_post(
        wsgi_app,
        URL,
        {"benchmark": benchmark.slug, "seed_count": 1, "device": "cpu"},
        cookies=cookies,
        headers={"X-CSRFToken": csrf},
    )

    assert status.startswith("201"), content[:500]
    location = dict(headers)["Location"]
    assert type(location) is str
    sweep = Sweep.objects.get()
    assert location == json.loads(content)["api_url"] and location.endswith(f"/api/v1/sweeps/{sweep.pk}/")


def test_the_location_header_is_a_plain_str(starter, enqueued):
    response = starter.post(URL, {"benchmark": BenchmarkFactory().slug, "seed_count": 1}, format="json")
    assert response.status_code == 201
    assert type(response["Location"]) is str
    assert all(type(value) is str for _name, value in response.items())


# --- Idempotency-Key -------------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_sweep_and_starts_nothing(
    starter, enqueued, django_capture_on_commit_callbacks
):
    benchmark = BenchmarkFactory()
    payload = {"benchmark": benchmark.slug, "seed_count": 2, "device": "cpu"}
    key = {"HTTP_IDEMPOTENCY_KEY": "5f0c6c1e-0d8e-4a55-9a36-2b7d0c1f1a11"}

    with django_capture_on_commit_callbacks(execute=True):
        first = starter.post(URL, payload, format="json", **key)
    with django_capture_on_commit_callbacks(execute=True):
        retry = starter.post(URL, payload, format="json", **key)

    assert first.status_code == retry.status_code == 201
    assert retry["Location"] == first["Location"] and retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    sweep = Sweep.objects.get()  # one sweep, two runs, enqueued once
    assert sweep.idempotency_key == key["HTTP_IDEMPOTENCY_KEY"]
    assert TrainingRun.objects.count() == 2
    assert enqueued.call_count == 1


def test_the_same_seeds_given_as_a_list_are_the_same_request(starter, enqueued):
    benchmark = BenchmarkFactory()
    key = {"HTTP_IDEMPOTENCY_KEY": "k-1"}
    first = starter.post(URL, {"benchmark": benchmark.slug, "seed_count": 2}, format="json", **key)
    retry = starter.post(URL, {"benchmark": benchmark.slug, "seeds": [0, 1]}, format="json", **key)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert Sweep.objects.count() == 1


def test_the_same_key_with_another_payload_is_a_409_and_starts_nothing(starter, enqueued):
    benchmark = BenchmarkFactory()
    key = {"HTTP_IDEMPOTENCY_KEY": "nightly-2026-12-02"}
    first = starter.post(URL, {"benchmark": benchmark.slug, "seed_count": 1}, format="json", **key)

    other = starter.post(URL, {"benchmark": benchmark.slug, "seed_count": 3}, format="json", **key)

    assert other.status_code == 409
    error = other.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert f"#{first.json()['id']}" in error["message"] and "new key" in error["message"]
    assert Sweep.objects.count() == 1


def test_keys_are_per_account(staff_user, django_user_model, enqueued):
    benchmark = BenchmarkFactory()
    other = django_user_model.objects.create_superuser("root2", "root2@example.org", "pw-root2-123456")
    payload = {"benchmark": benchmark.slug, "seed_count": 1}
    ids = []
    for person in (staff_user, other):
        client = APIClient()
        client.force_authenticate(person)
        response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="same-key")
        assert response.status_code == 201
        ids.append(response.json()["id"])
    assert len(set(ids)) == 2


def test_without_a_key_every_start_is_a_new_sweep(starter, enqueued):
    payload = {"benchmark": BenchmarkFactory().slug, "seed_count": 1}
    assert starter.post(URL, payload, format="json").status_code == 201
    assert starter.post(URL, payload, format="json").status_code == 201
    assert Sweep.objects.count() == 2


@pytest.mark.parametrize("bad", ["", "has space", "x" * 256, "naïve"])
def test_a_malformed_key_is_a_400_naming_the_header(starter, enqueued, bad):
    payload = {"benchmark": BenchmarkFactory().slug, "seed_count": 1}
    response = starter.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY=bad)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert not Sweep.objects.exists()


def test_the_database_holds_one_sweep_per_creator_and_key(staff_user):
    # The last line against two copies of a request racing past the lookup: the second insert fails.
    SweepFactory(created_by=staff_user, idempotency_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        SweepFactory(created_by=staff_user, idempotency_key="k")
    SweepFactory(created_by=staff_user, idempotency_key=None)
    SweepFactory(created_by=staff_user, idempotency_key=None)  # sweeps without a key are not limited


def test_a_copy_that_lost_the_race_returns_the_winners_sweep(staff_user, enqueued):
    # Two copies of one request both found no sweep with the key; the one that commits second hits the
    # unique constraint, and its own sweep and runs are rolled back.
    from training.services import idempotency

    benchmark = BenchmarkFactory()
    winner = SweepFactory(benchmark=benchmark, seeds=[0], device="cpu", created_by=staff_user)
    real_filter = Sweep.objects.filter

    def filter_missing_the_winner(*args, **kwargs):
        if kwargs.get("idempotency_key") == "k" and not getattr(filter_missing_the_winner, "done", False):
            filter_missing_the_winner.done = True
            Sweep.objects.filter(pk=winner.pk).update(idempotency_key="k")  # the other copy commits
            return real_filter(pk__in=[])
        return real_filter(*args, **kwargs)

    with mock.patch.object(idempotency.Sweep.objects, "filter", side_effect=filter_missing_the_winner):
        sweep, created = idempotency.sweep_start_once(
            key="k", user=staff_user, benchmark=benchmark, seeds=1, device="cpu"
        )

    assert (sweep.pk, created) == (winner.pk, False)
    assert list(Sweep.objects.values_list("pk", flat=True)) == [winner.pk]
    assert not TrainingRun.objects.exists()


def test_the_schema_documents_the_header_and_the_409(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    start = schema["paths"]["/api/v1/sweeps/"]["post"]
    header = next(p for p in start["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and not header.get("required", False)
    assert header["schema"]["maxLength"] == 255
    assert "idempotency_key_reused" in start["responses"]["409"]["description"]
