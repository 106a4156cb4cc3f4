"""Structured request logs: one JSON line per request, with a request id.

The request id comes from an upstream X-Request-ID when it looks like one, else it is
made here; it is returned in the X-Request-ID header and put on every log line of the
request. Only method, path (never the query string), status and timing are logged:
no headers, bodies or form fields, so API keys and passwords never reach the log.
"""
import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("warung.request")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _start():
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if "request_started" in g:
        log.info("request", extra={"fields": {
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
            "remote_addr": request.remote_addr,
        }})
    return response


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for logger in (log, app.logger):  # app.logger is "webapp", the parent of every module logger
        if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    app.before_request(_start)
    app.after_request(_finish)
