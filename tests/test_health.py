import pytest


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django raises on any database access, so a query would fail this test.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_readyz_says_which_part_is_down(client, mocker):
    mocker.patch("config.celery_app.app.connection_for_write", side_effect=OSError("refused"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unreachable: OSError"
