"""Reading the test database back, ending the test's transaction before another thread
or process writes, and making PostgreSQL databases of a test's own."""

from contextlib import contextmanager

from flask import has_request_context
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine, event, func, select

from webapp.extensions import db


def reload(row):
    """`row` read again from the database (everything the session held is expired)."""
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def count(model, **filters) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**filters))


def end_transaction() -> None:
    """End the test thread's transaction before another thread writes: on SQLite an
    open transaction holds the write lock (the app runs BEGIN IMMEDIATE)."""
    db.session.commit()


@contextmanager
def statements():
    """The SQL statements requests run inside the block: not the test's own (re)reads,
    and not the BEGIN of each request's transaction (a statement on SQLite only)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if has_request_context() and statement != "BEGIN IMMEDIATE":
            seen.append(statement)

    with engine_events(("before_cursor_execute", record)):
        yield seen


@contextmanager
def postgresql_round_trips(requests_only: bool = True):
    """What requests inside the block send to PostgreSQL, as the driver sends it: each
    statement by its first word, and BEGIN, COMMIT and ROLLBACK only when psycopg really
    sends them (it sends none in autocommit, and none to end a transaction it is not in).
    A request's closing ROLLBACK comes when its app context ends, which in tests is the
    test's own, so it is not seen; a request that sent no BEGIN has nothing to roll back.
    `requests_only=False`: the test's own statements too."""
    seen: list[str] = []

    def sends(conn) -> bool:
        return (has_request_context() or not requests_only) and conn.dialect.name == "postgresql"

    def statement(conn, _cursor, sql, *_args):
        if sends(conn):
            driver = conn.connection.dbapi_connection
            if not driver.autocommit and driver.info.transaction_status == TransactionStatus.IDLE:
                seen.append("BEGIN")
            seen.append(sql.split()[0].upper())

    def ending(word):
        def ended(conn):
            if sends(conn) and conn.connection.dbapi_connection.info.transaction_status != TransactionStatus.IDLE:
                seen.append(word)

        return ended

    with engine_events(
        ("before_cursor_execute", statement), ("commit", ending("COMMIT")), ("rollback", ending("ROLLBACK"))
    ):
        yield seen


@contextmanager
def engine_events(*listeners):
    """The (event name, listener) pairs listen to the app's engine inside the block."""
    for name, listener in listeners:
        event.listen(db.engine, name, listener)
    try:
        yield
    finally:
        for name, listener in listeners:
            event.remove(db.engine, name, listener)


def _on_server(url: str, *statements: str) -> None:
    """Run `statements` on the PostgreSQL server of `url`, outside any transaction."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def new_database(url: str, name: str) -> str:
    """The URL of `name`, a new empty database on the PostgreSQL server of `url` (one left
    over from an earlier run is dropped first)."""
    _on_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return f"{url.rpartition('/')[0]}/{name}"


def drop_database(url: str, name: str) -> None:
    _on_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
