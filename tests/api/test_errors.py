"""One error shape for every status the API answers: {"error": {"code", "message", "fields"}}."""

import pytest
from django.test import Client

from community.api.views import TopicViewSet
from tests.training.factories import BenchmarkFactory

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error)
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    return error


def test_400_names_each_bad_field(staff_api):
    BenchmarkFactory(slug="mnist")
    response = staff_api.post(
        "/api/v1/sweeps/", {"benchmark": "nope", "seeds": ["x"], "device": "tpu"}, format="json"
    )
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == {"benchmark", "seeds.0", "device"}
    assert all(isinstance(messages, list) and messages for messages in error["fields"].values())


def test_400_for_an_unknown_format(api, user_api):
    """Schemathesis found `POST /api/v1/papers/?format=AAA` answering an undocumented 404 (DRF's
    content negotiation raises Http404); any operation now answers 400 `unsupported_format`, naming
    the formats it has, whoever asks and before the slug is looked up."""
    error = assert_error(user_api.post("/api/v1/papers/?format=AAA", {}, format="json"), 400, "unsupported_format")
    assert "AAA" in error["message"] and "json" in error["message"]
    assert_error(api.post("/api/v1/papers/?format=AAA", {}, format="json"), 400, "unsupported_format")
    assert_error(api.get("/api/v1/topics/no-such-topic/?format=xml"), 400, "unsupported_format")
    # BibTeX is a form of papers, not of a write's receipt (it was rendered as a Python dict).
    error = assert_error(user_api.post("/api/v1/papers/?format=bibtex", {}, format="json"), 400, "unsupported_format")
    assert "bibtex" in error["message"]
    # The formats an operation lists still work.
    assert api.get("/api/v1/papers/?format=bibtex").status_code == 200
    assert api.get("/api/v1/topics/?format=json").status_code == 200


def test_400_for_a_body_that_is_not_json(staff_api):
    response = staff_api.generic("POST", "/api/v1/sweeps/", "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_401_without_credentials_and_with_a_bad_token(api):
    response = api.post("/api/v1/sweeps/", {}, format="json")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"

    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(api.get("/api/v1/papers/"), 401, "authentication_failed")


def test_403_for_a_user_who_may_not(user_api):
    assert_error(user_api.post("/api/v1/sweeps/", {}, format="json"), 403, "permission_denied")


def test_404_for_an_unknown_slug_and_an_unknown_address(api):
    assert_error(api.get("/api/v1/papers/no-such-paper/"), 404, "not_found")
    assert_error(api.get("/api/v1/nothing-here/"), 404, "not_found")
    assert_error(api.get("/api/v2/papers/"), 404, "not_found")
    assert_error(api.get("/api/"), 404, "not_found")
    missing_slash = assert_error(api.get("/api/v1/papers"), 404, "not_found")
    assert "/api/v1/papers/" in missing_slash["message"]


def test_405_for_a_method_the_endpoint_does_not_take(staff_api):
    assert_error(staff_api.delete("/api/v1/sweeps/"), 405, "method_not_allowed")
    assert_error(staff_api.put("/api/v1/topics/", {}, format="json"), 405, "method_not_allowed")


def test_415_for_a_form_encoded_body(staff_api):
    response = staff_api.post("/api/v1/sweeps/", {"benchmark": "x"}, format="multipart")
    assert_error(response, 415, "unsupported_media_type")


def test_429_when_throttled(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/minute"},
    }
    for _ in range(2):
        assert api.get("/api/v1/topics/").status_code == 200
    response = api.get("/api/v1/topics/")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_500_under_api_is_json_without_a_traceback(mocker):
    def on_fire():
        raise RuntimeError("database on fire")

    mocker.patch.object(TopicViewSet, "list_selector", staticmethod(on_fire))
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/topics/")
    error = assert_error(response, 500, "server_error")
    assert "fire" not in error["message"] and "Traceback" not in response.content.decode()


def test_500_elsewhere_is_still_the_portal_page(mocker):
    mocker.patch("community.views.topics.TopicListView.get", side_effect=RuntimeError("boom"))
    response = Client(raise_request_exception=False).get("/topics/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
