"""Structured logs (config/logs.py): LOG_FORMAT=json writes one JSON object per line with timestamp,
level, logger and message, and a request's method, path, status and id; production defaults to it;
Celery workers log through the same LOGGING."""

import datetime as dt
import io
import json
import logging
import logging.config
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from community.services.expiry import ExpiryReport
from config.celery_app import app as celery_app
from config.logs import logging_config

ROOT = Path(__file__).resolve().parent.parent


def _configure(log_format: str) -> io.StringIO:
    config = logging_config(log_format=log_format, level="INFO")
    stream = io.StringIO()
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    return stream


@pytest.fixture
def restore_logging():
    # Taken before the test runs: a test may point settings.LOGGING somewhere else meanwhile.
    original = settings.LOGGING
    yield
    logging.config.dictConfig(original)


@pytest.fixture
def json_logs(restore_logging) -> io.StringIO:
    return _configure("json")


def _lines(stream: io.StringIO) -> list[dict]:
    # Every line must be one whole JSON object: json.loads fails on anything else.
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_record_is_one_json_object_per_line_with_the_four_keys(json_logs):
    logger = logging.getLogger("community.services.expiry")
    logger.info("closed %s items", 3, extra={"jobs_closed": 3})
    logger.warning("second\nline")  # a newline in the message stays inside the one JSON line

    first, second = _lines(json_logs)
    assert list(first)[:4] == ["timestamp", "level", "logger", "message"]
    assert first["level"] == "INFO"
    assert first["logger"] == "community.services.expiry"
    assert first["message"] == "closed 3 items"
    assert first["jobs_closed"] == 3
    stamp = dt.datetime.fromisoformat(first["timestamp"])
    assert stamp.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - stamp) < dt.timedelta(minutes=1)
    assert (second["level"], second["message"]) == ("WARNING", "second\nline")


def test_an_exception_comes_with_its_traceback_in_the_same_object(json_logs):
    try:
        raise ValueError("bad value")
    except ValueError:
        logging.getLogger("community").exception("import failed")

    (line,) = _lines(json_logs)
    assert line["level"] == "ERROR" and line["message"] == "import failed"
    assert "ValueError: bad value" in line["exc_info"]


@pytest.mark.django_db
def test_a_request_log_has_method_path_status_and_request_id(json_logs, client):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-4f2a")
    assert response.status_code == 404

    (line,) = [line for line in _lines(json_logs) if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/no-such-page/", 404)
    assert line["request_id"] == "req-4f2a"
    assert "request" not in line  # the object itself is not written out


def test_a_log_inside_a_celery_task_names_the_task(json_logs, mocker):
    from community.tasks import close_expired

    def service():
        logging.getLogger("community.services.expiry").info("closed expired items")
        return ExpiryReport(jobs_closed=1, funding_closed=0, editions_closed=0)

    mocker.patch("community.services.expiry.close_expired", side_effect=service)
    result = close_expired.apply()

    (line,) = [line for line in _lines(json_logs) if line["logger"] == "community.services.expiry"]
    assert line["task_name"] == "community.close_expired"
    assert line["task_id"] == result.id


def test_celery_workers_use_djangos_logging(settings, restore_logging, monkeypatch):
    stream = io.StringIO()
    config = logging_config(log_format="json")
    config["handlers"]["console"]["stream"] = stream
    settings.LOGGING = config
    # What a worker does at start: our setup_logging receiver applies settings.LOGGING, so Celery
    # neither takes over the root logger nor redirects stdout.
    monkeypatch.setattr(celery_app.log, "already_setup", False)
    celery_app.log.setup_logging_subsystem(loglevel="INFO")

    logging.getLogger("celery.worker").info("ready.")

    (line,) = _lines(stream)
    assert (line["logger"], line["message"]) == ("celery.worker", "ready.")


def test_plain_is_one_readable_line(restore_logging):
    stream = _configure("plain")
    logging.getLogger("community").warning("hello")
    (line,) = stream.getvalue().splitlines()
    assert line.endswith(" WARNING community hello")


def test_an_unknown_format_is_refused_with_the_choices():
    with pytest.raises(ImproperlyConfigured, match="plain, json"):
        logging_config(log_format="xml")


def _production_log_line(tmp_path, **extra_env) -> str:
    env = {
        # Without LOG_FORMAT from this shell: the test is about production's default.
        **{k: v for k, v in os.environ.items() if k != "LOG_FORMAT"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "deepcommons.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **extra_env,
    }
    code = "import django, logging; django.setup(); logging.getLogger('deepcommons').warning('started')"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    assert out.returncode == 0, out.stderr
    return out.stderr.strip()


def test_production_logs_json_by_default_and_plain_on_request(tmp_path):
    line = json.loads(_production_log_line(tmp_path))
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "deepcommons", "started")

    plain = _production_log_line(tmp_path, LOG_FORMAT="plain")
    assert plain.endswith(" WARNING deepcommons started")
