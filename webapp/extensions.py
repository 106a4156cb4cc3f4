"""Flask extensions, created unbound here and bound to the app by `init_app`."""

import select
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from flask import Flask, current_app, request
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter as FlaskLimiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager as FlaskLoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import ColumnElement, Engine, MetaData, event, func
from sqlalchemy import select as sql_select
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute
from sqlalchemy.pool import Pool

from .cookie_session import session_unread


class Base(DeclarativeBase):
    # Named constraints make migrations deterministic and let SQLite's batch mode
    # alter tables that have them.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)

# The models' base class. At run time it is `db.Model`, which Flask-SQLAlchemy builds from
# Base's body (same registry and metadata, plus its query and bind mixins). mypy cannot
# take an attribute as a base class (python/mypy#8603), so it checks the models as
# subclasses of Base, the typed declarative base `db.Model` copies.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()


def never_rate_limited(view):
    """Mark a view that no rate limit applies to: a poll, which every phone or screen
    sends every few seconds (nor does a RATELIMIT_DEFAULT, should an operator set one)."""
    view.never_rate_limited = True
    return view


class Limiter(FlaskLimiter):
    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        """Flask-Limiter's check before every request, skipped for views marked
        `never_rate_limited`: working out that no limit applies cost the order poll a
        third of its time."""
        if in_middleware and getattr(
            current_app.view_functions.get(request.endpoint or ""), "never_rate_limited", False
        ):
            return
        super()._check_request_limit(callable_name, in_middleware)


limiter = Limiter(key_func=get_remote_address)

# Every customer route that asks Duitku for a QRIS (a new QR for an order, a bill paid
# whole or its rest, a share) counts against one budget per address, so that looping
# over them (pay whole, cancel the split, pay whole...) cannot flood Duitku with
# inquiries. Checkout, which creates a QRIS too, keeps its own limit.
qris_limited = limiter.shared_limit(
    lambda: current_app.config["RATELIMIT_QRIS"], scope="qris", methods=["POST"], per_method=False
)


class LoginManager(FlaskLoginManager):
    def _update_remember_cookie(self, response):
        """Flask-Login looks into the session after every request for a remember-me
        cookie to set or clear. It marks that in the session and acts on the mark in the
        same request, so a request that never used its session has nothing to do: it is
        not made to read the cookie (webapp/cookie_session.py). Refreshing the cookie on
        every request (a setting this app leaves off) still looks every time."""
        if session_unread() and not current_app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
            return response
        return super()._update_remember_cookie(response)


login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Silakan masuk dulu.")
login_manager.localize_callback = str  # the lazy message is translated when flashed
login_manager.login_message_category = "info"


def next_position(column: InstrumentedAttribute[int], *criteria: ColumnElement[bool]) -> int:
    """The position after the last of `column`'s rows that match `criteria` (1 when none):
    where a new category, item, option group, option, station or table goes."""
    return (db.session.scalar(sql_select(func.max(column)).where(*criteria)) or 0) + 1


def name_taken(column: InstrumentedAttribute[str], name: str, row: Any, *criteria: ColumnElement[bool]) -> bool:
    """Whether another row than `row` (None for a new one) among those matching
    `criteria` already has `name` in `column`, whatever its case."""
    model = column.class_
    others = [model.id != row.id] if row is not None else []
    return (
        db.session.scalar(sql_select(model.id).where(func.lower(column) == name.lower(), *others, *criteria).limit(1))
        is not None
    )


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def init_app(app: Flask) -> None:
    """The database, migrations, CSRF and logins. (Babel: i18n; the limiter: security.)"""
    db.init_app(app)
    # Batch mode lets later migrations alter SQLite tables.
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)


@event.listens_for(Engine, "connect")
def _configure_sqlite_connection(dbapi_connection, _record):
    """Make SQLite enforce foreign keys and let SQLAlchemy own transactions.

    pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN, so (as the
    SQLAlchemy docs advise) it is switched off and `_begin_sqlite_transaction` issues
    the BEGIN. WAL lets readers run beside the single writer.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


# Execution option of a connection that only reads: on SQLite it takes no write lock,
# so it never waits for a writer (WAL lets it read beside one).
READ_ONLY = {"read_only": True}


def reads_without_transaction() -> None:
    """On PostgreSQL, run the session's next statements each on its own (autocommit)
    until it commits: a request that only reads is spared the BEGIN and ROLLBACK round
    trips around its reads. Whatever transaction the session had is committed first;
    anything that writes must commit first too, so that it writes in a transaction.
    (On SQLite, where a round trip costs nothing, it changes nothing.)"""
    if db.engine.dialect.name != "postgresql":
        return
    if db.session().in_transaction():
        db.session.commit()
    db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def reads_only() -> None:
    """The session's next statements only read, until it is removed: on PostgreSQL each
    on its own (`reads_without_transaction`), on SQLite in a transaction that takes no
    write lock, so it never waits for a writer."""
    if db.engine.dialect.name == "postgresql":
        reads_without_transaction()
    else:
        db.session.connection(execution_options=READ_ONLY)


@event.listens_for(Engine, "begin")
def _begin_sqlite_transaction(connection):
    # IMMEDIATE takes the write lock up front: a transaction that reads and then writes
    # can never fail half-way on a snapshot another writer made stale.
    if connection.dialect.name == "sqlite":
        read_only = connection.get_execution_options().get("read_only")
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@event.listens_for(Pool, "checkout")
def _drop_closed_connection(dbapi_connection, _record, _proxy):
    """Replace a pooled PostgreSQL connection the server has closed, without a round trip.

    pool_pre_ping would send a statement on every checkout (one round trip per request).
    A server that ends a session (restart, `pg_terminate_backend`, idle timeout) sends
    its FATAL message and closes the socket, so an idle pooled connection that has
    anything to read is gone: nothing else arrives on a connection that listens to no
    channel and runs no statement. `DisconnectionError` makes the pool discard it and
    check out a fresh one (SQLAlchemy's documented custom pessimistic disconnect
    handling). A connection lost silently (a cable, not the server) shows up as an error
    of that request, as it would between a ping and the first statement.
    """
    if not isinstance(dbapi_connection, psycopg.Connection):
        return
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("connection closed")
    readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    if readable:
        raise DisconnectionError("the server closed this idle connection")
