"""Rate-limit counts in the app's own database: `RATELIMIT_STORAGE_URI=database://`.

Flask-Limiter's memory:// storage counts in each process, so each gunicorn worker
allowed the whole limit. The database is what every worker, on every machine, already
shares: one atomic upsert per limited request (`INSERT ... ON CONFLICT DO UPDATE ...
RETURNING`, the same on PostgreSQL and SQLite) counts the hit and reads the total, on a
connection of its own beside the request's (on PostgreSQL a single statement in
autocommit: one round trip). No other service is needed; Redis
(`redis://...`) still works through the setting.

A `limits` storage: subclassing `limits.storage.Storage` with a STORAGE_SCHEME registers
it, and Flask-Limiter builds it from the URI. It serves the fixed-window strategy
(Flask-Limiter's default, the one the app uses).

On SQLite a request's session transaction holds the write lock (BEGIN IMMEDIATE) until
the request ends, and a count would wait for it. Counts are taken in `before_request`,
before any view reads; a key function that reads through the session ends that read
first (webapp/api/__init__.py), and the reads here take no write lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from limits.storage import Storage
from sqlalchemy import Table, case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from .extensions import READ_ONLY, db
from .models import RateLimitCounter

# The counters' Table, looked up by name: `__table__` is typed as any FromClause a class may map.
COUNTERS = RateLimitCounter.metadata.tables[RateLimitCounter.__tablename__]
UPSERTS: dict[str, Callable[[Table], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}
# Expired counters are deleted by whichever process counts first after this long.
PURGE_EVERY_SECONDS = 60


class DatabaseStorage(Storage):
    # A list, as `limits` declares it (an instance attribute there, so no ClassVar here).
    STORAGE_SCHEME = ["database"]  # noqa: RUF012

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_purge = 0.0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` hits in `key`'s window (a new window if the last one ended)."""
        now = time.time()
        expired = COUNTERS.c.expires_at <= now
        with self._counting() as connection:
            upsert = UPSERTS[connection.dialect.name](COUNTERS).values(key=key, count=amount, expires_at=now + expiry)
            count = connection.execute(
                upsert.on_conflict_do_update(
                    index_elements=[COUNTERS.c.key],
                    set_={
                        "count": case((expired, amount), else_=COUNTERS.c.count + amount),
                        "expires_at": case((expired, now + expiry), else_=COUNTERS.c.expires_at),
                    },
                ).returning(COUNTERS.c.count)
            ).scalar_one()
        if now >= self._next_purge:
            self._next_purge = now + PURGE_EVERY_SECONDS
            self._purge(now)
        return count

    @staticmethod
    def _counting():
        """The count's connection. On PostgreSQL in autocommit: the upsert is atomic on
        its own, so it is one round trip instead of BEGIN, upsert, COMMIT. On SQLite a
        transaction (its BEGIN IMMEDIATE is the app's own statement, see extensions)."""
        if db.engine.dialect.name == "postgresql":
            return db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return db.engine.begin()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row is not None else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row is not None else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect().execution_options(**READ_ONLY) as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int:
        with db.engine.begin() as connection:
            return connection.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.key == key))

    def _row(self, key: str):
        """The key's current window (count, expires_at), or None if it has none. Read
        without waiting for writers: the request asking may hold SQLite's write lock."""
        with db.engine.connect().execution_options(**READ_ONLY) as connection:
            return connection.execute(
                select(COUNTERS.c.count, COUNTERS.c.expires_at).where(
                    COUNTERS.c.key == key, COUNTERS.c.expires_at > time.time()
                )
            ).first()

    def _purge(self, now: float) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.expires_at <= now))
