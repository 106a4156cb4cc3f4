"""Health endpoints, production settings, request logs that never hold secrets."""

import http.client
import io
import json
import logging
import os
import sys
import threading
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import text

from duitku_sandbox import DEFAULT_API_KEY
from tests import factories as make
from tests.apps import REAL_DUITKU, config_for
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import log_in
from tests.live_server import ROOT, free_port, gunicorn_serving, healthy, running
from webapp import create_app
from webapp.extensions import db
from webapp.models import PaymentStatus
from webapp.ops import logging as request_logging
from webapp.ops.logging import JsonFormatter, LineHandler
from webapp.production import ConfigurationError
from webapp.staff.permissions import Permission, requires


def test_healthz_and_readyz(client, app, database_uri):
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}
    ready = client.get("/readyz")  # the test schema is made by create_all, not migrations
    assert ready.status_code == 503 and ready.json["migrations"] == "pending"


def test_readyz_is_ready_after_migrations(scratch_engine_url):
    from flask_migrate import upgrade

    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade()
        response = app.test_client().get("/readyz")
        db.engine.dispose()
    assert response.status_code == 200 and response.json == {
        "status": "ready",
        "database": "ok",
        "migrations": "current",
    }


def test_healthz_reports_an_unreachable_database():
    app = create_app(config_for("postgresql+psycopg://nobody@127.0.0.1:9/none"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"


@pytest.mark.parametrize(
    "settings, complaint",
    [
        ({"SECRET_KEY": "dev-only-insecure-secret-key", "PUBLIC_BASE_URL": "https://w.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short", "PUBLIC_BASE_URL": "https://w.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 40, "PUBLIC_BASE_URL": ""}, "PUBLIC_BASE_URL"),
    ],
)
def test_production_refuses_unsafe_settings(database_uri, settings, complaint):
    with pytest.raises(ConfigurationError, match=complaint):
        create_app(config_for(database_uri, ENVIRONMENT="production", **settings))


def test_production_cookies_are_secure_httponly_samesite(database_uri):
    app = create_app(
        config_for(
            database_uri,
            ENVIRONMENT="production",
            SECRET_KEY="k" * 40,
            PUBLIC_BASE_URL="https://warung.example",
            **REAL_DUITKU,
        )
    )
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_every_response_carries_a_request_id(client, menu):
    first, second = client.get("/"), client.get("/")
    assert len(first.headers["X-Request-ID"]) == 32 and first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert client.get("/", headers={"X-Request-ID": "lb-1234abcd"}).headers["X-Request-ID"] == "lb-1234abcd"
    assert client.get("/", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"] != "bad id!"


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_logs_are_json_and_never_hold_secrets(app, client, staff, menu, sandbox, clock):
    collector = Collect()
    collector.setFormatter(JsonFormatter())
    for name in ("warung.request", "webapp"):
        logging.getLogger(name).addHandler(collector)
    try:
        log_in(app.test_client(), "sari", make.STAFF_PASSWORD)
        log_in(app.test_client(), "sari", "wrong-password-123")
        account = make.partner("Log POS", store="Toko")
        client.post(
            "/api/v1/payments/qris", json={"license_key": account.license_key, "amount": 50000}, headers=account.headers
        )
        payment = make.qris_payment(menu)
        settle_quietly(sandbox, payment, clock())
        client.post("/api/v1/webhooks/duitku", data=callback_form(payment))
    finally:
        for name in ("warung.request", "webapp"):
            logging.getLogger(name).removeHandler(collector)
    text_of_logs = "\n".join(collector.lines)
    records = [json.loads(line) for line in collector.lines]
    assert any(r["message"] == "request" and r["path"] == "/login" and r["request_id"] for r in records)
    for secret in (make.STAFF_PASSWORD, "wrong-password-123", account.api_key, DEFAULT_API_KEY, account.license_key):
        assert secret not in text_of_logs


def test_the_request_line_names_method_path_status_duration_and_request_id(app, client, menu):
    collector = Collect()
    collector.setFormatter(JsonFormatter())
    logging.getLogger("warung.request").addHandler(collector)
    try:
        client.get("/cart?secret=1", headers={"X-Request-ID": "lb-1234abcd"})
    finally:
        logging.getLogger("warung.request").removeHandler(collector)
    (line,) = [json.loads(text) for text in collector.lines]
    assert line.keys() == {
        "time", "level", "logger", "message", "method", "path", "status", "duration_ms", "remote_addr", "request_id"
    }  # fmt: skip
    assert (line["method"], line["path"], line["status"], line["request_id"]) == ("GET", "/cart", 200, "lb-1234abcd")
    assert line["logger"] == "warung.request" and line["duration_ms"] >= 0


def test_the_request_line_is_the_same_written_directly_or_through_a_record(app, client, menu):
    """With nothing but the JSON line handler on its way, the request line is written
    without a record; with anything else on its way (here a handler on the request
    logger; in other tests pytest's capture handler), through the logger. Same line."""
    stream = io.StringIO()
    only = LineHandler(stream)
    only.setFormatter(JsonFormatter())
    root = logging.getLogger()
    kept = root.handlers[:]
    root.handlers[:] = [only]
    try:
        assert request_logging._direct_handler() == (only, only.formatter)
        client.get("/cart", headers={"X-Request-ID": "direct-1234"})
        logging.getLogger("warung.request").addHandler(collector := Collect())
        assert request_logging._direct_handler() is None
        client.get("/cart", headers={"X-Request-ID": "record-1234"})
        logging.getLogger("warung.request").removeHandler(collector)
    finally:
        root.handlers[:] = kept
    direct, through_record = (json.loads(line) for line in stream.getvalue().splitlines())
    assert direct["request_id"] == "direct-1234" and through_record["request_id"] == "record-1234"
    same = {key: value for key, value in direct.items() if key not in ("request_id", "duration_ms", "time")}
    assert (
        same == {key: value for key, value in through_record.items() if key in same}
        and direct.keys() == through_record.keys()
    )


def test_each_record_has_its_own_time_and_its_extra_fields_as_json(app):
    formatter = JsonFormatter()
    first = logging.LogRecord("webapp.x", logging.WARNING, __file__, 1, "at %s", ("noon",), None)
    first.__dict__.update(when=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), kind=PaymentStatus.PAID, _internal=1)
    later = logging.LogRecord("webapp.x", logging.WARNING, __file__, 1, "later", None, None)
    first.created, later.created = 1_800_000_000.2, 1_800_000_001.9
    a, b, again = (json.loads(formatter.format(record)) for record in (first, later, first))
    assert a["time"] != b["time"] and a["time"] == again["time"] and a["time"].startswith("2027-01-15T")
    assert {"message": "at noon", "when": "2026-01-02T03:04:05+00:00", "kind": "paid"}.items() <= a.items()
    assert "_internal" not in a


@pytest.mark.parametrize("target", ["pipe", "file"])
def test_lines_logged_at_once_by_many_threads_each_arrive_whole(tmp_path, target):
    """Eight threads log at once, lines up to PIPE_BUF with one write() and no lock,
    longer ones (a traceback) under the handler's lock, through a pipe (gunicorn's stderr
    may be one) or to a file: none is cut into or mixed with another."""
    longest = 20_000
    if target == "pipe":
        read_end, write_end = os.pipe()
        received = bytearray()
        reader = threading.Thread(target=lambda: received.extend(drain(read_end)))
        reader.start()
        stream = os.fdopen(write_end, "w", encoding="utf-8")
    else:
        stream = open(tmp_path / "log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    handler = LineHandler(stream)
    handler.setFormatter(JsonFormatter())

    def log_lines(thread: int) -> None:
        for n in range(200):
            record = logging.LogRecord("webapp.x", logging.INFO, __file__, 1, "line", None, None)
            record.__dict__.update(writer=thread, n=n, filler="é" * ((longest - 150) // 2 if n % 10 == 0 else n))
            handler.handle(record)

    writers = [threading.Thread(target=log_lines, args=(thread,)) for thread in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    stream.close()
    if target == "pipe":
        reader.join()
    else:
        received = bytearray((tmp_path / "log").read_bytes())
    lines = [json.loads(line) for line in received.decode("utf-8").splitlines()]
    assert sorted((line["writer"], line["n"]) for line in lines) == [(t, n) for t in range(8) for n in range(200)]
    assert max(len(line.encode()) for line in received.decode("utf-8").splitlines()) > longest * 0.9


def drain(descriptor: int):
    with os.fdopen(descriptor, "rb") as pipe:
        while chunk := pipe.read(65536):
            yield from chunk


def test_database_connections_survive_being_dropped(app, client, menu, database_uri):
    """What a PostgreSQL restart does to the pool: every connection is cut. The next
    requests must still succeed (pre-ping replaces dead connections)."""
    if not database_uri.startswith("postgresql"):
        pytest.skip("needs PostgreSQL")
    assert client.get("/").status_code == 200
    db.session.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    )
    db.session.commit()
    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 200]
    assert client.get("/healthz").status_code == 200


@pytest.fixture(scope="module")
def gunicorn(database_uri, _schema, tmp_path_factory):
    """The app under gunicorn (the shipped server); yields its base URL and its log.
    Callbacks are allowed only from an address tests never use, so one is refused."""
    instance = tmp_path_factory.mktemp("gunicorn")
    with gunicorn_serving(
        database_uri, instance, DUITKU_CALLBACK_ALLOWED_IPS="192.0.2.1", GUNICORN_ACCESS_LOG="-"
    ) as base_url:
        yield base_url, instance / "gunicorn.log"


def test_a_413_closes_the_connection_it_announces_closing(gunicorn):
    """A body over the limit is answered 413 with `Connection: close`, so a keep-alive
    client opens a new connection for its next request instead of sending it into one
    the server drops."""
    base_url, _log = gunicorn
    too_big = b"note=" + b"x" * (100 * 1024)
    chunked = {"body": iter([too_big[:50_000], too_big[50_000:]]), "encode_chunked": True}  # length unknown ahead
    cases = [
        ("/cart/add", {"body": too_big}, {413}),
        ("/api/v1/payments/qris", {"body": too_big}, {413}),
        ("/cart/add", chunked, {400, 413}),
    ]  # the form cannot be read: no CSRF token either
    connection = http.client.HTTPConnection(urlsplit(base_url).netloc, timeout=10)
    for path, body, statuses in cases:
        connection.request("POST", path, headers={"Content-Type": "application/x-www-form-urlencoded"}, **body)
        response = connection.getresponse()
        response.read()
        assert response.status in statuses and response.getheader("Connection") == "close"
        connection.request("GET", "/healthz")  # http.client reconnects after "close"
        assert connection.getresponse().status == 200
        connection.close()


def test_gunicorn_logs_are_json_lines(gunicorn):
    """gunicorn's own records, its access log and the app's warnings: each one JSON line."""
    base_url, log_path = gunicorn
    assert requests.post(base_url + "/api/v1/webhooks/duitku", data={"a": "b"}, timeout=10).status_code == 403
    lines = log_path.read_text().splitlines()
    records = [json.loads(line) for line in lines]  # fails on any line that is not JSON
    loggers = {record["logger"] for record in records}
    assert {"gunicorn.error", "gunicorn.access", "warung.request", "webapp.callbacks"} <= loggers
    refused = next(record for record in records if record["logger"] == "webapp.callbacks")
    assert refused["level"] == "WARNING" and len(refused["request_id"]) == 32


def test_the_development_server_prints_its_address_plain(tmp_path):
    """`make run`'s server (Flask's, in development): its banner and request lines as it
    writes them for a terminal, not inside JSON lines (the app's own lines stay JSON)."""
    port = free_port()
    environment = {**os.environ, "WARUNG_INSTANCE_DIR": str(tmp_path), "WARUNG_ENV": "development"}
    for name in ("DATABASE_URL", "PUBLIC_BASE_URL", "DUITKU_BASE_URL"):
        environment.pop(name, None)
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port)]
    with running(command, tmp_path / "server.log", healthy(f"http://127.0.0.1:{port}"), cwd=ROOT, env=environment):
        pass
    lines = (tmp_path / "server.log").read_text().splitlines()
    assert f" * Running on http://127.0.0.1:{port}" in lines
    assert any(line.startswith("127.0.0.1 - - [") and '"GET /healthz HTTP/1.1" 200' in line for line in lines)
    assert json.loads(next(line for line in lines if '"warung.request"' in line))["path"] == "/healthz"


def test_every_record_is_one_json_line_with_the_exception_as_a_field(app, client, menu):
    """Flask's plain-text handler is gone; an unhandled error and a library's warning
    reach stderr as JSON lines, the traceback inside the record."""
    app.add_url_rule("/boom", "boom", requires(Permission.PUBLIC)(lambda: 1 / 0))
    handler = next(handler for handler in logging.getLogger().handlers if isinstance(handler.formatter, JsonFormatter))
    stderr, wsgi_errors = io.StringIO(), io.StringIO()
    previous = handler.setStream(stderr)
    try:
        response = client.get(
            "/boom", environ_overrides={"wsgi.errors": wsgi_errors}, headers={"X-Request-ID": "trace-1234"}
        )
        logging.getLogger("urllib3.connectionpool").warning("Retrying after %s", "a reset")
    finally:
        handler.setStream(previous)
    assert response.status_code == 500 and wsgi_errors.getvalue() == ""
    records = [json.loads(line) for line in stderr.getvalue().splitlines()]
    error = next(record for record in records if record["level"] == "ERROR")
    assert error["message"] == "unhandled error on GET /boom" and error["request_id"] == "trace-1234"
    assert error["exception"].startswith("Traceback") and "ZeroDivisionError" in error["exception"]
    assert {
        "logger": "urllib3.connectionpool",
        "level": "WARNING",
        "message": "Retrying after a reset",
    }.items() <= next(record for record in records if record["logger"] == "urllib3.connectionpool").items()
