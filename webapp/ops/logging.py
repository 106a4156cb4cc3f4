"""Logs: one JSON object per line on stderr, for every record, with a request id.

Every record, the app's and every library's, goes through one JSON handler on the
root logger; Flask's plain-text default handler is removed, and gunicorn.conf.py sends
gunicorn's own log through the same formatter and handler. A traceback is the
`exception` field of its record, never lines of its own. In development only, Flask's
development server's own lines (its address, a line per request) stay as it writes them.

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
import select
import sys
import threading
import time
from collections.abc import Callable
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
        return self.formatTime_of(record.created, datefmt)

    def formatTime_of(self, created: float, datefmt=None) -> str:  # noqa: N802 - as formatTime
        """The second as text, made once per second (a tuple: threads share it)."""
        second = int(created)
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

    def line(self, created: float, level: str, logger: str, message: str, fields: dict) -> str:
        """What `format` makes of a record without traceback with these `fields` as its
        extras (and its request id among them), without the record."""
        return _ENCODER.encode(
            {"time": self.formatTime_of(created), "level": level, "logger": logger, "message": message, **fields}
        )


class Writes:
    """Who may write to a descriptor now: any number of short lines at once, without a
    lock (one write() each, which lands whole), or one long line alone (it may take
    several write() calls, and nothing may land between them).

    A short writer registers itself in a list (append and pop are atomic) and writes
    unless a long line is waiting; a long writer takes the lock, says it is waiting,
    and lets the registered short writers finish (each within one write()) before it
    writes. Short writers that find a long line waiting write under the lock after it.
    So the many short lines never wait on each other, and a long one waits for at most
    the writes already under way."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._long_waiting = False
        self._short_writers: list[None] = []

    def short(self, write: Callable[[], None]) -> None:
        self._short_writers.append(None)
        try:
            if not self._long_waiting:
                write()
                return
        finally:
            self._short_writers.pop()
        with self._lock:
            write()

    def long(self, write: Callable[[], None]) -> None:
        with self._lock:
            self._long_waiting = True
            try:
                while self._short_writers:
                    time.sleep(0.0001)  # each is one write() from done
                write()
            finally:
                self._long_waiting = False


class LineHandler(logging.StreamHandler):
    """A StreamHandler for one JSON line per record, written so that a gunicorn worker's
    threads do not queue for it: the line is formatted, then written to the stream's
    file descriptor (stderr) without the handler's lock. (That lock, held by one thread
    while it wrote, had the others wait in line: a tenth of the order poll's
    throughput.) A line up to PIPE_BUF (4 KB) lands whole with one write() on a pipe
    (POSIX) or a file, and on Linux's local stream sockets (the journal), which queue it
    as one piece, so any number are written at once; a longer one (a traceback) may
    take several write() calls, and is written alone (`Writes`).
    A stream without a descriptor (a test's StringIO) is written under the lock."""

    def __init__(self, stream=None) -> None:
        super().__init__(stream)
        self._writes = Writes()

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
            self.write(self.format(record))
        except RecursionError:
            raise
        except Exception:  # noqa: BLE001 - logging's own rule: report, never raise
            self.handleError(record)
        return passed

    def write(self, line: str) -> None:
        """One formatted line (without its terminator) to the stream."""
        line += self.terminator
        descriptor = self._file_descriptor()
        if descriptor is None:
            self.acquire()
            try:
                self.stream.write(line)
                self.stream.flush()
            finally:
                self.release()
            return
        data = line.encode(self.stream.encoding or "utf-8", self.stream.errors or "strict")

        def write() -> None:
            remaining = data
            while remaining:  # one call, unless a signal or a full disk cut it short
                remaining = remaining[os.write(descriptor, remaining) :]

        (self._writes.short if len(data) <= select.PIPE_BUF else self._writes.long)(write)

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
    request_globals = g._get_current_object()
    incoming = request.environ.get("HTTP_X_REQUEST_ID", "")
    request_globals.request_id = incoming if REQUEST_ID.match(incoming) else os.urandom(16).hex()
    request_globals.request_started = time.perf_counter()


def _direct_handler() -> tuple[LineHandler, JsonFormatter] | None:
    """The handler the request line goes to when nothing else would see it on its way
    (no filter, and no other handler on `log` or its parents than one LineHandler with
    the JSON formatter): the line may then be written to it without making a record."""
    found = None
    logger: logging.Logger | None = log
    while logger is not None:
        if logger.filters or logger.disabled:
            return None
        for handler in logger.handlers:
            if found is not None or type(handler) is not LineHandler or handler.filters or handler.level > logging.INFO:
                return None
            found = handler
        logger = logger.parent if logger.propagate else None
    return (found, found.formatter) if found is not None and isinstance(found.formatter, JsonFormatter) else None


def _finish(response):
    request_globals = g._get_current_object()
    request_id = request_globals.get("request_id", "")
    response.headers["X-Request-ID"] = request_id
    started = request_globals.get("request_started")
    if started is None or not log.isEnabledFor(logging.INFO):
        return response
    fields = {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "remote_addr": request.remote_addr,
        "request_id": request_id,
    }
    direct = _direct_handler()
    if direct is not None:  # the same line, without a record and the logger's walk
        handler, formatter = direct
        try:
            handler.write(formatter.line(time.time(), "INFO", log.name, "request", fields))
        except Exception:  # noqa: BLE001 - logging's own rule: report, never raise
            handler.handleError(_request_record(fields))
        return response
    log.handle(_request_record(fields))
    return response


def _request_record(fields: dict) -> logging.LogRecord:
    """The request line as a record, for the logger (its handlers, filters and parents, as
    `log.info` would; `info` would also look up the calling line, which is not shown)."""
    record = logging.LogRecord(log.name, logging.INFO, __file__, 0, "request", None, None)
    record.__dict__.update(fields)
    return record


class PlainStderrHandler(logging.StreamHandler):
    """Each record's message as it is, on sys.stderr as it is when the record comes (as
    logging's own last-resort handler: a test may have replaced sys.stderr since)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)  # not StreamHandler's: it would keep today's stderr
        self.setFormatter(logging.Formatter("%(message)s"))

    @property
    def stream(self):
        return sys.stderr


def leave_the_development_server_plain() -> None:
    """Flask's development server (werkzeug: `flask run`, `make run`) writes for a person
    at a terminal: its address, then a line per request, in colour. In development those
    lines go to stderr as it writes them, instead of into JSON lines with the colour
    codes inside (once per process)."""
    server_log = logging.getLogger("werkzeug")
    if not any(isinstance(handler, PlainStderrHandler) for handler in server_log.handlers):
        server_log.addHandler(PlainStderrHandler())
        server_log.setLevel(logging.INFO)
        server_log.propagate = False


def init_app(app: Flask) -> None:
    app.logger.removeHandler(default_handler)  # plain text, tracebacks over many lines
    log_to_stderr_as_json()
    if app.config["ENVIRONMENT"] != "production":
        leave_the_development_server_plain()
    app.before_request(_start)
    app.after_request(_finish)
