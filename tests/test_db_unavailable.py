"""While the database cannot be reached, visitors get a clear 503 (the API its JSON error), not a 500."""

from django.db import OperationalError
from django.urls import reverse


def test_a_page_answers_503_with_retry_after_when_the_database_is_down(client, mocker):
    view = mocker.patch("community.views.papers.PaperListView.get", side_effect=OperationalError("refused"))
    response = client.get(reverse("community:paper-list"))
    assert view.called
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert b"temporarily unavailable" in response.content.lower()


def test_the_api_answers_its_error_shape_with_503(client, mocker):
    mocker.patch("community.api.views.PaperViewSet.list", side_effect=OperationalError("refused"))
    response = client.get("/api/v1/papers/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["error"]["code"] == "service_unavailable"
