"""gunicorn settings for Warung: `gunicorn -c gunicorn.conf.py wsgi:app`.

Threaded workers (gthread): a long-poll `wait` and a staff screen's stream each occupy
a thread, not a process, so many can be held while ordinary pages keep being served.
Each process holds at most WAIT_MAX_CONCURRENT waits (default 100) and LIVE_STREAMS_MAX
streams (a quarter of its threads, 40) and answers 503 past those, so with the defaults
(2 workers x 160 threads) one instance holds up to 200 waits and 80 streams and keeps at
least 20 threads per worker for everything else, pages and the fetches that follow an
event. The built-in Duitku sandbox also needs threads: the app calls it over HTTP from
inside a request.
"""

import os
import signal

from gunicorn.glogging import Logger

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "160"))
# The staff screens' streams a worker holds (webapp/live/streams.py): each holds a
# thread, so a quarter of them unless LIVE_STREAMS_MAX says otherwise.
os.environ.setdefault("LIVE_STREAMS_MAX", str(max(1, threads // 4)))
timeout = 150  # above the longest wait (120 s)
graceful_timeout = 30
keepalive = 5
# The app writes its own JSON request log (with request ids); gunicorn's access log is
# off unless GUNICORN_ACCESS_LOG names a file (or "-").
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# gunicorn's own log, and its access log when on, in the app's format: one JSON
# object per line (webapp/ops/logging.py), on stderr or in the access log's file.
# The stderr handler writes from a thread of its own (webapp.ops.logging.LineHandler).
_access = {"level": "INFO" if accesslog else "WARNING", "handlers": [], "propagate": True}
_handlers = {"stderr": {"class": "webapp.ops.logging.LineHandler", "formatter": "json", "stream": "ext://sys.stderr"}}
if accesslog and accesslog != "-":
    _handlers["access_file"] = {"class": "logging.FileHandler", "formatter": "json", "filename": accesslog}
    _access.update(handlers=["access_file"], propagate=False)


class AccessLogWhenAsked(Logger):
    """gunicorn's logger, without working out an access line that no one asked for:
    given a logconfig_dict, gunicorn builds every request's line (its atoms, a date)
    even with the access log off, for the level to drop it (6% of the order poll's
    time under load, bench/README.md)."""

    def access(self, resp, req, environ, request_time):
        if self.cfg.accesslog:
            super().access(resp, req, environ, request_time)


logger_class = AccessLogWhenAsked
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "webapp.ops.logging.JsonFormatter"}},
    "handlers": _handlers,
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True}, "gunicorn.access": _access},
}


def pre_request(worker, req):
    """Announce `Connection: close` on a request whose body may be left unread.

    A body over the app's MAX_CONTENT_LENGTH is answered 413 without being read, and
    gunicorn drains at most 64 KB of what is left before it gives up and closes the
    connection. The response must then say so: a client told "keep-alive" sends its
    next request on a connection that is about to close, and gets no answer. A
    chunked body's length is unknown until read, so those connections close too.
    """
    headers = dict(req.headers)
    length = headers.get("CONTENT-LENGTH", "")
    too_long = length.isdigit() and int(length) > worker.wsgi.config["MAX_CONTENT_LENGTH"]
    if too_long or "chunked" in headers.get("TRANSFER-ENCODING", "").lower():
        req.force_close()


def post_worker_init(worker):
    """End the staff screens' streams as soon as the worker is told to stop.

    A stream holds its request open for as long as the screen is open, so a graceful
    stop would wait graceful_timeout for each worker. On SIGTERM (or SIGQUIT, SIGINT)
    every stream ends at once (webapp/live/streams.py), the screens poll and reconnect
    to the next worker, and gunicorn's own handler then stops the worker as before.
    """
    from webapp.live.streams import close_all_streams

    for signum in (signal.SIGTERM, signal.SIGQUIT, signal.SIGINT):
        handler = signal.getsignal(signum)
        if callable(handler):
            signal.signal(signum, _closing_streams_first(handler, close_all_streams))
    # As gunicorn sets it: a SIGTERM does not interrupt the other threads' system calls
    # (signal.signal above made it interrupting again).
    signal.siginterrupt(signal.SIGTERM, False)


def _closing_streams_first(handler, close_all_streams):
    def closing(signum, frame):
        close_all_streams()
        handler(signum, frame)

    return closing
