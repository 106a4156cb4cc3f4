"""Who hears of committed changes, and when.

Writers name what they change inside their transaction: the payment transitions call
`order_changed` for every order or payment row they write, and a domain can have every
flush, UPDATE or DELETE that writes its models name a topic (`name_writes`: the menu
does, and the partner API for payments). When the
transaction commits, the change feed tells:

- this process at once (its caches forget the changed entries);
- every process on PostgreSQL, by the NOTIFY its triggers send (`triggers`),
  delivered exactly when the change becomes visible and never for a rollback. A
  listener thread per process (one dedicated connection) passes it on. While that
  listener is not connected, nothing may be cached (`ChangeFeed.crosses_processes`),
  and whenever it (re)connects every cache starts empty.

SQLite has no such channel, so there every read goes to the database (which, being
in-process, costs little). Long-poll waits are woken with `announce` and `wait`.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import threading
from collections.abc import Callable

import psycopg
from flask import Flask, current_app
from psycopg.conninfo import make_conninfo
from sqlalchemy import event as sa_event

from ..extensions import db
from ..state import after_commit
from .triggers import CHANNEL

log = logging.getLogger(__name__)

SESSION_KEY = "warung_changed_topics"
RECONNECT_SECONDS = 1.0
# The listener's connection is idle but for notifications: TCP keepalives find a peer
# gone without a word (a dead host, a dropped NAT entry) in about 10 s, and the caches
# are dropped then, instead of being served stale while nothing is heard.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2}

# A subscriber gets the changed topics, or None: "anything may have changed".
Subscriber = Callable[[frozenset[str] | None], None]

_changed = threading.Condition()


@after_commit
def announce() -> None:
    """Wake this process's waiters (partner long-polls): something was committed."""
    with _changed:
        _changed.notify_all()


def wait(seconds: float) -> None:
    """Block until a change is announced or `seconds` pass."""
    with _changed:
        _changed.wait(timeout=seconds)


def order_topic(order_id: int) -> str:
    return f"order:{order_id}"


def payment_topic(payment_id: int) -> str:
    """What the triggers announce for a payment without an order (a partner's own)."""
    return f"payment:{payment_id}"


def checked_topic(order_id: int) -> str:
    """What is announced when a status check of an order's payment found nothing new."""
    return f"checked:{order_id}"


def names(*topics: str) -> dict:
    """Execution options for an UPDATE or DELETE that says itself what it changes: it
    names `topics` instead of its model's (`name_writes`). A status check's UPDATE of
    when a payment was last checked names only `checked_topic`, which no staff screen
    hears (the payment trigger tells such an UPDATE apart the same way)."""
    return {"warung_names": frozenset(topics)}


def _name(session, topic: str) -> None:
    session.info.setdefault(SESSION_KEY, set()).add(topic)


def order_changed(order_id: int | None) -> None:
    """Call in the transaction that writes an order or one of its payments."""
    if order_id is not None:
        _name(db.session, order_topic(order_id))


# (model classes, topic): a flush writing any of these models names the topic.
_WRITE_TOPICS: list[tuple[tuple[type, ...], str]] = []


def name_writes(models: tuple[type, ...], topic: str) -> None:
    """Every flush that writes one of `models` names `topic` (in this process; the
    triggers announce the same to the others)."""
    if (models, topic) not in _WRITE_TOPICS:
        _WRITE_TOPICS.append((models, topic))


def _name_model_writes(session, _flush_context, _instances) -> None:
    rows = (*session.new, *session.dirty, *session.deleted)
    for models, topic in _WRITE_TOPICS:
        if any(isinstance(row, models) for row in rows):
            _name(session, topic)


def _name_statement_writes(orm_execute_state) -> None:
    """The same for an UPDATE or DELETE statement on one of the models (a transition's
    conditional UPDATE is one, and no flush sees it)."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete) or orm_execute_state.bind_mapper is None:
        return
    written = orm_execute_state.bind_mapper.class_
    topics = orm_execute_state.execution_options.get("warung_names")
    if topics is None:
        topics = [topic for models, topic in _WRITE_TOPICS if issubclass(written, models)]
    for topic in topics:
        _name(orm_execute_state.session, topic)


class ChangeFeed:
    """One per app: passes committed changes to its subscribers (see the module doc)."""

    def __init__(self):
        self.subscribers: list[Subscriber] = []
        self._listener: _Listener | None = None
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.append(subscriber)

    def publish(self, topics: frozenset[str] | None) -> None:
        for subscriber in self.subscribers:
            subscriber(topics)

    def crosses_processes(self) -> bool:
        """Whether every process hears of every change right now (PostgreSQL, with the
        listener connected). Starts the listener on first use in each process."""
        if db.engine.dialect.name != "postgresql":
            return False
        with self._lock:
            if self._listener is None or self._listener.pid != os.getpid():
                self._listener = _Listener(self, db.engine.url)
        return self._listener.up.is_set()

    def connected(self) -> bool:
        """Whether this process's listener is connected now (needs no app context)."""
        listener = self._listener
        return listener is not None and listener.pid == os.getpid() and listener.up.is_set()

    def wait_until_connected(self, seconds: float) -> bool:
        """`crosses_processes()`, once the listener has connected or `seconds` passed."""
        if self.crosses_processes():
            return True
        listener = self._listener
        return listener is not None and listener.up.wait(seconds)

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()


class _Listener:
    """LISTENs on its own autocommit connection and publishes what arrives."""

    def __init__(self, feed: ChangeFeed, url):
        self.feed = feed
        self.pid = os.getpid()
        self.up = threading.Event()  # set while connected and listening
        plain_url = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._conninfo = make_conninfo(plain_url, **KEEPALIVES)
        self._stopping = threading.Event()
        # stop() writes to this pair to wake the thread at once (it waits on its socket).
        self._wake, self._waker = socket.socketpair()
        self._thread = threading.Thread(target=self._run, name="change-listener", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._waker.send(b"\0")
        self._thread.join(timeout=5)
        self._wake.close()
        self._waker.close()

    def _wait_for_notes(self, connection: psycopg.Connection) -> None:
        """Until stopped, publish each notification as it arrives: block on the
        connection's socket (or the waker's), then read what came without blocking."""
        while not self._stopping.is_set():
            select.select([connection.fileno(), self._wake.fileno()], [], [])
            for note in connection.notifies(timeout=0):
                self.feed.publish(frozenset({note.payload}))

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    # From here a read sees every commit made before LISTEN and later
                    # ones are heard; what was cached before is dropped.
                    self.feed.publish(None)
                    self.up.set()
                    self._wait_for_notes(connection)
            except psycopg.Error as exc:
                log.warning("change listener lost its connection: %s", exc)
            finally:
                self.up.clear()
                self.feed.publish(None)
            self._stopping.wait(RECONNECT_SECONDS)


def _tell_this_process(session) -> None:
    topics = session.info.pop(SESSION_KEY, None)
    if topics:
        current_app.extensions["change_feed"].publish(frozenset(topics))


def _forget_uncommitted(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(SESSION_KEY, None)


def init_app(app: Flask) -> None:
    app.extensions["change_feed"] = ChangeFeed()
    factory = db.session.session_factory
    if not sa_event.contains(factory, "before_flush", _name_model_writes):
        sa_event.listen(factory, "before_flush", _name_model_writes)
        sa_event.listen(factory, "do_orm_execute", _name_statement_writes)
        sa_event.listen(factory, "after_commit", _tell_this_process)
        sa_event.listen(factory, "after_transaction_end", _forget_uncommitted)
