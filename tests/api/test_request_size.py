"""An API body over DATA_UPLOAD_MAX_MEMORY_SIZE (1 MB) is refused with 413 in the API's error shape,
before anything reads it; a body under the cap is read as usual."""

import json

import pytest

from community.models import Paper


@pytest.mark.django_db
def test_an_api_body_over_one_megabyte_is_a_413_in_the_error_shape(user_api):
    body = json.dumps({"title": "Big", "year": 2020, "abstract": "y" * (1536 * 1024)})
    response = user_api.post("/api/v1/papers/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "request_too_large"
    assert "at most 1.0\xa0MB" in error["message"]
    assert not Paper.objects.exists()


@pytest.mark.django_db
def test_an_api_body_under_the_cap_is_read(user_api):
    body = json.dumps({"title": "Small", "year": 2020, "abstract": "y" * (900 * 1024)})
    response = user_api.post("/api/v1/papers/", body, content_type="application/json")
    # Read and validated: the answer is about the data (no authors), not about its size.
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"authors": ["This field is required."]}
