"""Reading the test database back, and ending the test's transaction before another
thread or process writes."""

from contextlib import contextmanager

from flask import has_request_context
from sqlalchemy import event, func, select

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

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
