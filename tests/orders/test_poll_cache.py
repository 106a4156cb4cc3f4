"""The order poll's cache and the change feed that keeps it true.

On PostgreSQL a poll is answered from the cache while the listener is connected, and a
change committed anywhere (here, by a second app with its own feed, as another process
would) reaches it through NOTIFY. On SQLite every poll reads the database.
"""
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from tests.conftest import config_for, sandbox_settings
from tests.orders.test_payment_page import order_qris, poll, seen_version
from webapp import create_app
from webapp.extensions import db
from webapp.models import Order
from webapp.orders.live import PollCache, PollFacts
from webapp.payments import changes, service

T0 = datetime(2026, 11, 22, 5, 0, tzinfo=timezone.utc)
FACTS = PollFacts("awaiting_payment", "qris", "pay1", "pending", "duitku", True, T0, T0)


def on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


class Heard:
    """A change feed subscriber that lets a test wait for what it expects to hear."""

    def __init__(self):
        self.topics: list[frozenset[str] | None] = []
        self._condition = threading.Condition()

    def __call__(self, topics):
        with self._condition:
            self.topics.append(topics)
            self._condition.notify_all()

    def wait_for(self, expected, timeout: float = 10) -> bool:
        with self._condition:
            return self._condition.wait_for(lambda: expected in self.topics, timeout)


@contextmanager
def statements():
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def listening(app) -> bool:
    """Start this app's listener and wait until it is connected."""
    feed = app.extensions["change_feed"]
    heard = Heard()
    feed.subscribe(heard)
    if not feed.crosses_processes():
        heard.wait_for(None)
    return feed.crosses_processes()


# The cache on its own ------------------------------------------------------------------

def test_cache_keeps_facts_for_its_time_to_live():
    cache = PollCache(timedelta(seconds=30))
    cache.put("pub1", 1, FACTS, T0, cache.generation)
    assert cache.get("pub1", T0 + timedelta(seconds=29)) == FACTS
    assert cache.get("pub1", T0 + timedelta(seconds=30)) is None
    assert cache.get("other", T0) is None


def test_cache_forgets_the_changed_order_only_or_everything():
    cache = PollCache(timedelta(seconds=30))
    cache.put("pub1", 1, FACTS, T0, cache.generation)
    cache.put("pub2", 2, FACTS, T0, cache.generation)
    cache.forget(frozenset({"order:1", "menu", "order:99", "order:x"}))
    assert cache.get("pub1", T0) is None and cache.get("pub2", T0) == FACTS
    cache.forget(None)
    assert cache.get("pub2", T0) is None


def test_a_read_that_raced_a_change_is_not_stored():
    cache = PollCache(timedelta(seconds=30))
    started = cache.generation  # the reader starts...
    cache.forget(frozenset({"order:1"}))  # ...a change commits while it reads...
    cache.put("pub1", 1, FACTS, T0, started)  # ...so what it read may be old
    assert cache.get("pub1", T0) is None


def test_a_full_cache_starts_over_instead_of_growing():
    cache = PollCache(timedelta(seconds=30), max_entries=2)
    for n in range(3):
        cache.put(f"pub{n}", n, FACTS, T0, cache.generation)
    assert [cache.get(f"pub{n}", T0) for n in range(3)] == [None, None, FACTS]


# The change feed in this process -------------------------------------------------------

def test_a_committed_change_is_heard_at_once_and_a_rolled_back_one_never(app, client, csrf, menu):
    order = order_qris(client, csrf, menu)
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    changes.order_changed(order.id)
    db.session.rollback()
    db.session.commit()
    assert heard.topics == []
    service.switch_to_cash(order)
    assert heard.topics == [frozenset({f"order:{order.id}"})]


def test_menu_changes_are_named_too(app):
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    changes.menu_changed()
    db.session.commit()
    assert heard.topics == [frozenset({"menu"})]


# The poll --------------------------------------------------------------------------------

def test_on_sqlite_every_poll_reads_the_database(app, client, csrf, menu):
    if on_postgresql():
        pytest.skip("SQLite only")
    order = order_qris(client, csrf, menu)
    version = seen_version(poll(client, order).get_data(as_text=True))
    assert not app.extensions["change_feed"].crosses_processes()
    with statements() as seen:
        assert poll(client, order, version).status_code == 204
    assert len(seen) == 1


@pytest.fixture
def cached_poll(app, client, csrf, menu):
    """PostgreSQL with the listener connected: a QRIS order whose poll is cached."""
    if not on_postgresql():
        pytest.skip("needs PostgreSQL")
    order = order_qris(client, csrf, menu)
    assert listening(app)
    version = seen_version(poll(client, order).get_data(as_text=True))
    assert poll(client, order, version).status_code == 204  # read and cached
    return order, version


def test_on_postgresql_an_unchanged_poll_runs_no_sql(client, cached_poll):
    order, version = cached_poll
    with statements() as seen:
        assert poll(client, order, version).status_code == 204
    assert seen == []
    service.switch_to_cash(order)  # committed here: dropped at once
    assert poll(client, order, version).status_code == 200


def test_on_postgresql_a_change_in_another_process_reaches_the_cache(app, client, cached_poll, database_uri, sandbox):
    order, version = cached_poll
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    db.session.commit()  # end this test's transaction before the other app writes

    other = create_app(config_for(database_uri, **sandbox_settings(sandbox)))
    with other.app_context():
        service.switch_to_cash(db.session.get(Order, order.id), actor="other process")
        db.engine.dispose()

    assert heard.wait_for(frozenset({f"order:{order.id}"}))
    changed = poll(client, order, version)
    assert changed.status_code == 200 and "tunai" in changed.get_data(as_text=True).lower()


def test_on_postgresql_nothing_is_cached_while_the_listener_is_down(app, client, cached_poll):
    order, version = cached_poll
    app.extensions["change_feed"].stop()  # as if PostgreSQL went away: the cache empties
    assert not app.extensions["change_feed"].crosses_processes()
    for _ in range(2):
        with statements() as seen:
            assert poll(client, order, version).status_code == 204
        assert len(seen) >= 1
