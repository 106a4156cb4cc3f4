"""Logs: one JSON object per line on stderr, for every record, with a request id.

Every record, the app's and every library's, goes through one JSON handler on the
root logger (python-json-logger); Flask's plain-text default handler is removed, and
gunicorn.conf.py sends gunicorn's own log through the same formatter. A traceback is
the `exception` field of its record, never lines of its own.

One line per request: the request id comes from an upstream X-Request-ID when it looks
like one, else it is made here; it is returned in the X-Request-ID header and put on
every log line of the request. Only method, path (never the query string), status and
timing are logged: no headers, bodies or form fields, so API keys and passwords never
reach the log.
"""

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from pythonjsonlogger import json as json_logging

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
APP_LOGGERS = ("webapp", "warung")  # INFO and up; other libraries WARNING and up
log = logging.getLogger("warung.request")


class JsonFormatter(json_logging.JsonFormatter):
    """time, level, logger, message, the request id during a request, any `extra`
    fields of the record, and `exception` (the traceback) when there is one."""

    def __init__(self):
        super().__init__(
            ["asctime", "levelname", "name", "message"],
            datefmt="%Y-%m-%dT%H:%M:%S%z",
            json_ensure_ascii=False,
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger", "exc_info": "exception"},
        )

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        if has_request_context() and "request_id" in g:
            log_data["request_id"] = g.request_id


def log_to_stderr_as_json() -> None:
    """Route every record to one JSON handler on stderr (once per process)."""
    root = logging.getLogger()
    if not any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)


def _start():
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if "request_started" in g:
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
                "remote_addr": request.remote_addr,
            },
        )
    return response


def init_app(app: Flask) -> None:
    app.logger.removeHandler(default_handler)  # plain text, tracebacks over many lines
    log_to_stderr_as_json()
    app.before_request(_start)
    app.after_request(_finish)
