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
the handler hands each line to one writer thread per process, which writes what has
come in whole lines, so a request's thread never makes a system call to log
(`LineHandler`).
"""

import base64
import contextlib
import dataclasses
import enum
import itertools
import json
import logging
import os
import re
import select
import sys
import threading
import time
import weakref
from collections import deque
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


class LineHandler(logging.StreamHandler):
    """A StreamHandler for one JSON line per record, written by one thread of its own.

    A request's thread formats its line and leaves it in a queue; the handler's writer
    thread writes what has gathered to the stream's file descriptor (stderr), as few
    write() calls as whole lines allow. Each write() made by a request's thread let go
    of the GIL, and with a gthread worker's 160 threads it then queued to get it back:
    the request line was a fifth of the menu page's time under load (bench/README.md).
    Under load the writer gathers tens of lines per write(); alone, a line is written
    at once. Lines keep their order. Each write() holds whole lines and at most PIPE_BUF
    (4 KB) of them, so it lands whole beside other processes' on a pipe (POSIX) or a
    file, and on Linux's local stream sockets (the journal); a longer line (a traceback)
    is written alone. What is queued is written by `flush()`, which logging calls at
    exit; a process killed outright loses what its writer had not yet written.
    A stream without a descriptor (a test's StringIO) is written at once, under the lock."""

    def __init__(self, stream=None) -> None:
        super().__init__(stream)
        self._restart()
        _line_handlers.add(self)

    def _restart(self) -> None:
        """No writer yet, nothing queued (also in a forked child: its parent writes what
        it had queued, and the child has no thread but the one that forked)."""
        self._queued: deque[bytes] = deque()
        self._wake = threading.Event()
        self._writing = threading.Lock()  # the writer thread, or flush(), writes alone
        self._starting = threading.Lock()
        self._writer: threading.Thread | None = None

    def setStream(self, stream):  # noqa: N802 - logging's name
        previous = super().setStream(stream)  # which flushes what was queued for the old one
        self._descriptor = None
        return previous

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
        self._queued.append(line.encode(self.stream.encoding or "utf-8", self.stream.errors or "strict"))
        if self._writer is None:
            self._start_writer()
        if not self._wake.is_set():  # set already: the writer will see this line too
            self._wake.set()

    def _start_writer(self) -> None:
        with self._starting:
            if self._writer is None:
                writer = threading.Thread(target=self._keep_writing, name="log-writer", daemon=True)
                writer.start()
                self._writer = writer

    def _keep_writing(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()  # before taking lines: one queued after this wakes it again
            self._write_out()

    def flush(self) -> None:
        """Write what is queued, now."""
        self._write_out()
        super().flush()

    def _write_out(self) -> None:
        with self._writing:
            descriptor = self._file_descriptor()
            if descriptor is not None:
                with contextlib.suppress(OSError):  # a stream gone: its lines can go nowhere
                    self._write_queued(descriptor)

    def _write_queued(self, descriptor: int) -> None:
        batch: list[bytes] = []
        size = 0
        while self._queued:
            line = self._queued.popleft()
            if batch and size + len(line) > select.PIPE_BUF:
                _write_all(descriptor, b"".join(batch))
                batch, size = [], 0
            batch.append(line)
            size += len(line)
        if batch:
            _write_all(descriptor, b"".join(batch))

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


def _write_all(descriptor: int, data: bytes) -> None:
    while data:  # one call, unless a signal or a full disk cut it short
        data = data[os.write(descriptor, data) :]


_line_handlers: weakref.WeakSet[LineHandler] = weakref.WeakSet()


def _restart_line_handlers() -> None:
    for handler in list(_line_handlers):
        handler._restart()


os.register_at_fork(after_in_child=_restart_line_handlers)


def log_to_stderr_as_json() -> None:
    """Route every record to one JSON handler on stderr (once per process)."""
    root = logging.getLogger()
    if not any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        handler = LineHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)


class RequestIds:
    """Request ids unique across processes without a system call each: 16 random hex
    digits drawn once per process (again in a forked child), then a count. (os.urandom
    per request let go of the GIL for its system call, and a gthread worker's thread then
    queued to get it back: 5% of the order poll's time under load.)"""

    def __init__(self) -> None:
        self.restart()
        os.register_at_fork(after_in_child=self.restart)

    def restart(self) -> None:
        self._prefix, self._count = os.urandom(8).hex(), itertools.count()

    def next(self) -> str:
        return f"{self._prefix}{next(self._count):016x}"


_request_ids = RequestIds()


def _start():
    request_globals = g._get_current_object()
    incoming = request.environ.get("HTTP_X_REQUEST_ID", "")
    request_globals.request_id = incoming if REQUEST_ID.match(incoming) else _request_ids.next()
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
