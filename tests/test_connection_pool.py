"""A pooled PostgreSQL connection that the server closed is replaced at checkout,
without the round trip pool_pre_ping would spend on every request."""

import select

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

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
