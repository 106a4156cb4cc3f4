"""Reading the test database back, and ending the test's transaction before another
thread or process writes."""

from sqlalchemy import func, select

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
