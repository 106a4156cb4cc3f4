"""Logs: one JSON object per line on stderr, for every record, with a request id.

Every record, the app's and every library's, goes through one JSON handler on the
root logger; Flask's plain-text default handler is removed, and gunicorn.conf.py sends
gunicorn's own log through the same formatter and handler. A traceback is the
`exception` field of its record, never lines of its own.

One line per request: the request id comes from an upstream X-Request-ID when it looks
like one, else it is made here; it is returned in the X-Request-ID header and put on
every log line of the request. Only method, path (never the query string), status and
timing are logged: no headers, bodies or form fields, so API keys and passwords never
reach the log.

The request line is written for every request, so its cost is counted (bench/README.md):
the formatter builds one dict and serialises it once (the time text is made once a
second), the request line carries its request id instead of looking it up again, and
the handler writes each line with one write() call, so that a gunicorn worker's threads
never wait for each other to log (`LineHandler`).
"""

import base64
import dataclasses
import enum
import json
import logging
import os
import re
import sys
import time
from datetime import date
from datetime import time as time_of_day

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
APP_LOGGERS = ("webapp", "warung")  # INFO and up; other libraries WARNING and up
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# A LogRecord's own attributes; anything else on a record is an `extra` field.
RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
log = logging.getLogger("warung.request")


def _jsonable(value):
    """What a field that JSON cannot hold as it is becomes in the log."""
    if isinstance(value, date | time_of_day):  # datetime too
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, type):
        return value.__name__
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


# Made once: json.dumps(default=...) makes an encoder per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_jsonable)


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, any `extra` fields of the record, the request id
    during a request, and `exception` (the traceback) when there is one."""

    def __init__(self):
        super().__init__(datefmt=TIME_FORMAT)
        self._second: tuple[int, str] = (-1, "")

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        """The record's second as text, made once per second (a tuple: threads share it)."""
        second = int(record.created)
        cached = self._second
        if cached[0] != second:
            cached = (second, time.strftime(datefmt or TIME_FORMAT, self.converter(second)))
            self._second = cached
        return cached[1]

    def format(self, record):
        data = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack_info"] = self.formatStack(record.stack_info)
        for key, value in record.__dict__.items():
            if key not in RECORD_ATTRIBUTES and not key.startswith("_"):
                data[key] = value
        if "request_id" not in data and has_request_context() and "request_id" in g:
            data["request_id"] = g.request_id
        return _ENCODER.encode(data)


class LineHandler(logging.StreamHandler):
    """A StreamHandler for one JSON line per record, written so that a gunicorn worker's
    threads never queue for it: the line is formatted, then written with one write()
    call to the stream's file descriptor (stderr), without the handler's lock. (That lock,
    held by one thread while it wrote, had the others wait in line: a tenth of the order
    poll's throughput.) One write() lands whole: always on a pipe for lines up to
    PIPE_BUF (4 KB, POSIX), and on Linux for any line to a file or to a socket (the
    journal), and to a pipe unless its reader is 64 KB behind. A stream without a
    descriptor (a test's StringIO) is written under the lock."""

    def setStream(self, stream):  # noqa: N802 - logging's name
        self._descriptor = None
        return super().setStream(stream)

    def handle(self, record):
        passed = self.filter(record)
        if isinstance(passed, logging.LogRecord):  # a filter may return a new record
            record = passed
        if not passed:
            return passed
        try:
            line = self.format(record) + self.terminator
            descriptor = self._file_descriptor()
            if descriptor is None:
                self.acquire()
                try:
                    self.stream.write(line)
                    self.stream.flush()
                finally:
                    self.release()
            else:
                data = line.encode(self.stream.encoding or "utf-8", self.stream.errors or "strict")
                while data:  # one call, unless a signal cut it short
                    data = data[os.write(descriptor, data) :]
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001 - logging's own rule: report, never raise
            self.handleError(record)
        return passed

    def _file_descriptor(self) -> int | None:
        descriptor = getattr(self, "_descriptor", None)
        if descriptor is None:
            try:
                descriptor = self.stream.fileno() if getattr(self.stream, "encoding", None) else -1
                self.stream.flush()  # what it holds goes first
            except (AttributeError, OSError, ValueError):  # no descriptor: StringIO, a closed stream
                descriptor = -1
            self._descriptor = descriptor
        return descriptor if descriptor >= 0 else None


def log_to_stderr_as_json() -> None:
    """Route every record to one JSON handler on stderr (once per process)."""
    root = logging.getLogger()
    if not any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        handler = LineHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)


def _start():
    incoming = request.environ.get("HTTP_X_REQUEST_ID", "")
    g.request_id = incoming if REQUEST_ID.match(incoming) else os.urandom(16).hex()
    g.request_started = time.perf_counter()


def _finish(response):
    request_id = g.get("request_id", "")
    response.headers["X-Request-ID"] = request_id
    started = g.get("request_started")
    if started is not None and log.isEnabledFor(logging.INFO):
        # The record made here and handed to the logger (its handlers, filters and
        # parents, as `log.info` would): `info` would also look up the calling line,
        # which the line does not show.
        line = logging.LogRecord(log.name, logging.INFO, __file__, 0, "request", None, None)
        line.__dict__.update(
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            remote_addr=request.remote_addr,
            request_id=request_id,
        )
        log.handle(line)
    return response


def init_app(app: Flask) -> None:
    app.logger.removeHandler(default_handler)  # plain text, tracebacks over many lines
    log_to_stderr_as_json()
    app.before_request(_start)
    app.after_request(_finish)
