"""The LOGGING setting, in one of two formats chosen by the environment (`LOG_FORMAT`):

- `plain`: one readable line per record, for a terminal (the default of local and test settings);
- `json`: one JSON object per line, for a log collector (the default of production), with the keys
  `timestamp` (ISO 8601, UTC), `level`, `logger` and `message`; for a request's log records
  (`django.request`, `django.security.*`, runserver's `django.server`) also `method`, `path`,
  `status` and `request_id` (the proxy's `X-Request-ID` header, when it sends one); inside a Celery
  task `task_id` and `task_name`; whatever a caller passed in `extra=`; and `exc_info` with the
  traceback.

Celery workers use the same LOGGING (config/celery_app.py), so web and workers log alike.
This module is imported by the settings, so it imports nothing from Django that needs them.
"""

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

LOG_FORMATS = ("plain", "json")
# The keys every JSON line starts with, in this order; the others follow as the record has them.
FIRST_KEYS = ("timestamp", "level", "logger", "message")


class JsonFormatter(BaseJsonFormatter):
    """python-json-logger's formatter, with the request and the Celery task a record belongs to
    turned into plain fields (a request object would otherwise be written as its repr)."""

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        if request is not None:
            # django.server passes a socket for some records, not an HttpRequest: keep only what
            # an HttpRequest has.
            meta = getattr(request, "META", None)
            if meta is not None:
                log_data["method"] = request.method
                log_data["path"] = request.path
                if meta.get("HTTP_X_REQUEST_ID"):
                    log_data["request_id"] = meta["HTTP_X_REQUEST_ID"]
        if "status_code" in log_data:
            log_data["status"] = log_data.pop("status_code")
        task = _current_task()
        if task is not None:
            log_data.setdefault("task_id", task.request.id)
            log_data.setdefault("task_name", task.name)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        # A person reading the raw lines finds the four keys in the same place on every line.
        first = {key: log_data.pop(key) for key in FIRST_KEYS if key in log_data}
        return {**first, **log_data}


def _current_task():
    from celery import current_task  # imported when a record is formatted, not with the settings

    # A proxy: falsy outside a task; a worker's own records (not in a task) have a request without id.
    return current_task if current_task and current_task.request.id else None


def logging_config(*, log_format: str, level: str = "INFO") -> dict[str, Any]:
    """The LOGGING dict for `log_format` (`plain` or `json`): one console handler on the root logger."""
    if log_format not in LOG_FORMATS:
        # Imported lazily: the settings import this module before Django is set up.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"LOG_FORMAT={log_format!r} is not a log format; use one of: {', '.join(LOG_FORMATS)}."
        )
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {
                "()": "config.logs.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                # `timestamp` from the record's creation time, ISO 8601 in UTC.
                "timestamp": True,
            },
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format}},
        "root": {"handlers": ["console"], "level": level},
    }
    if log_format == "json":
        # Django's default LOGGING gives runserver's request lines a plain handler of their own
        # that does not propagate; in JSON they go through ours like every other line.
        config["loggers"] = {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}}
    return config
