"""A pooled PostgreSQL connection that the server closed is replaced at checkout,
without the round trip pool_pre_ping would spend on every request."""

import select

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests import factories as make
from tests.apps import make_app
from tests.db_helpers import end_transaction
from tests.http_helpers import API, logged_in_client
from webapp.extensions import db


def test_a_connection_the_server_ended_is_replaced_and_the_request_works(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to end a connection")
    with db.engine.connect() as connection:
        ended_pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        socket = connection.connection.dbapi_connection.fileno()
    # Back in the pool; the server ends that session, as a restart would.
    outside = create_engine(db.engine.url, poolclass=NullPool)
    with outside.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": ended_pid})
    outside.dispose()
    assert select.select([socket], [], [], 10)[0], "the server never closed the session"
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != ended_pid


def test_a_request_that_finds_every_connection_taken_is_told_to_come_back(app, database_uri):
    """A burst beyond the pool: the request waits DB_POOL_TIMEOUT, then gets a 503 with
    Retry-After (a page, or the API's JSON error), which Duitku and partners retry."""
    make.staff_user("kasir")
    end_transaction()
    # A pool of one that gives up at once (0 s: whole seconds, as DB_POOL_TIMEOUT).
    busy = make_app(database_uri, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 0})
    try:
        cashier = logged_in_client(busy, "kasir")
        with busy.app_context(), db.engine.connect():  # the pool's one connection, taken
            page = busy.test_client().get("/")
            board = cashier.get("/cashier")  # its login check is what finds no connection
            api = busy.test_client().get(f"{API}/payments/T1", headers={"Authorization": "Bearer k"})
        for answer in (page, board):
            assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
            assert "Sedang ramai" in answer.get_data(as_text=True)
        assert api.status_code == 503 and api.headers["Retry-After"] == "5"
        assert api.json["error"]["code"] == "service_unavailable"
        with busy.app_context():  # given back, the pool serves again
            assert busy.test_client().get("/").status_code == 200
    finally:
        busy.extensions["change_feed"].stop()
        with busy.app_context():
            db.engine.dispose()
