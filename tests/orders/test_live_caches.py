"""The caches of the order poll, the menu and the shop's name, and the change feed that
keeps them true.

On PostgreSQL they answer while the listener is connected, and a change committed
anywhere (here, by a second app with its own feed, as another process would) reaches
them through NOTIFY. On SQLite every request reads the database.
"""

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from tests import factories as make
from tests.apps import config_for, sandbox_settings
from tests.db_helpers import statements
from tests.http_helpers import add_to_cart, cart_lines, csrf_token_from, poll_order, seen_version
from webapp import create_app
from webapp.extensions import db
from webapp.live import feed
from webapp.menu.listing import CSRF_HOLE
from webapp.merchant.profile import save_profile
from webapp.models import MenuItem, Order
from webapp.orders import lifecycle


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
def another_process(database_uri, sandbox):
    """A second app on the same database, with its own change feed, as another gunicorn
    worker would have. The test's own transaction is ended first."""
    db.session.commit()
    other = create_app(config_for(database_uri, **sandbox_settings(sandbox)))
    with other.app_context():
        yield other
        db.engine.dispose()


def listening(app) -> bool:
    """Start this app's listener and wait until it is connected."""
    feed = app.extensions["change_feed"]
    heard = Heard()
    feed.subscribe(heard)
    if not feed.crosses_processes():
        heard.wait_for(None)
    return feed.crosses_processes()


# The change feed in this process -------------------------------------------------------


def test_a_committed_change_is_heard_at_once_and_a_rolled_back_one_never(app, menu):
    order = make.qris_payment(menu).order
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    feed.order_changed(order.id)
    db.session.rollback()
    db.session.commit()
    assert heard.topics == []
    lifecycle.switch_to_cash(order)
    # Heard at once, without waiting; its payment's UPDATE also names the partner payments'
    # topic (webapp/api/status_cache.py) and the staff screens' "orders" (tracking.py). On
    # PostgreSQL the echo of the order's creation may come in before or after it.
    committed = frozenset({f"order:{order.id}", "partner-payments", "orders"})
    assert committed in heard.topics
    assert set(heard.topics) <= {committed, frozenset({f"order:{order.id}"})}


def test_any_write_to_the_menu_is_heard_as_a_menu_change(app, menu):
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    for change in (
        lambda: setattr(menu["Nasi Goreng"], "available", False),
        lambda: db.session.delete(menu["Es Teh Manis"]),
    ):
        heard.topics.clear()
        change()
        db.session.commit()
        assert heard.topics and set(heard.topics) == {frozenset({"menu"})}


# The poll --------------------------------------------------------------------------------


def test_on_sqlite_every_poll_reads_the_database(app, client, menu):
    if on_postgresql():
        pytest.skip("SQLite only")
    order = make.qris_payment(menu).order
    version = seen_version(poll_order(client, order).get_data(as_text=True))
    assert not app.extensions["change_feed"].crosses_processes()
    with statements() as seen:
        assert poll_order(client, order, version).status_code == 204
    assert len(seen) == 1


@pytest.fixture
def cached_poll(app, client, menu):
    """PostgreSQL with the listener connected: a QRIS order whose poll is cached."""
    if not on_postgresql():
        pytest.skip("needs PostgreSQL")
    order = make.qris_payment(menu).order
    assert listening(app)
    version = seen_version(poll_order(client, order).get_data(as_text=True))
    assert poll_order(client, order, version).status_code == 204  # read and cached
    return order, version


def test_on_postgresql_an_unchanged_poll_runs_no_sql(client, cached_poll):
    order, version = cached_poll
    with statements() as seen:
        assert poll_order(client, order, version).status_code == 204
    assert seen == []
    lifecycle.switch_to_cash(order)  # committed here: dropped at once
    assert poll_order(client, order, version).status_code == 200


def test_on_postgresql_a_change_in_another_process_reaches_the_cache(app, client, cached_poll, database_uri, sandbox):
    order, version = cached_poll
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    order_id = order.id
    with another_process(database_uri, sandbox):
        lifecycle.switch_to_cash(db.session.get(Order, order_id), actor="other process")

    assert heard.wait_for(frozenset({f"order:{order_id}"}))
    changed = poll_order(client, order, version)
    assert changed.status_code == 200 and "status-awaiting_cash" in changed.get_data(as_text=True)


def test_on_postgresql_nothing_is_cached_while_the_listener_is_down(app, client, cached_poll):
    order, version = cached_poll
    app.extensions["change_feed"].stop()  # as if PostgreSQL went away: the cache empties
    assert not app.extensions["change_feed"].crosses_processes()
    for _ in range(2):
        with statements() as seen:
            assert poll_order(client, order, version).status_code == 204
        assert len(seen) >= 1


def test_on_postgresql_the_menu_is_rendered_once_and_every_customer_gets_their_own_token(app, client, menu):
    if not on_postgresql():
        pytest.skip("needs PostgreSQL")
    assert listening(app)
    first = client.get("/").get_data(as_text=True)  # rendered and cached
    other_customer = app.test_client()
    with statements() as seen:
        page = other_customer.get("/").get_data(as_text=True)
    assert seen == [] and "Nasi Goreng" in page
    mine, theirs = csrf_token_from(first), csrf_token_from(page)
    assert mine != theirs and page.count(theirs) == 3 and CSRF_HOLE not in page  # 3 items to add
    assert add_to_cart(other_customer, theirs, menu["Nasi Goreng"].id).status_code == 303
    assert add_to_cart(client, mine, menu["Mie Ayam"].id).status_code == 303
    assert len(cart_lines(other_customer)) == len(cart_lines(client)) == 1


def test_on_postgresql_an_item_sold_out_in_another_process_shows_at_once(app, client, menu, database_uri, sandbox):
    if not on_postgresql():
        pytest.skip("needs PostgreSQL")
    assert listening(app)
    assert 'aria-label="Tambah Nasi Goreng"' in client.get("/").get_data(as_text=True)  # cached
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    item_id = menu["Nasi Goreng"].id  # read before: the other process's change must not be loaded here
    with another_process(database_uri, sandbox):
        db.session.get(MenuItem, item_id).available = False
        db.session.commit()
    assert heard.wait_for(frozenset({"menu"}))
    assert 'aria-label="Tambah Nasi Goreng"' not in client.get("/").get_data(as_text=True)


def test_on_postgresql_the_menu_is_cached_per_language_and_an_english_name_shows_at_once(app, client, menu):
    if not on_postgresql():
        pytest.skip("needs PostgreSQL")
    assert listening(app)
    english = app.test_client()
    english.get("/lang/en")
    assert "<h3>Nasi Goreng</h3>" in english.get("/").get_data(as_text=True)  # cached in English
    assert "Keranjang" in client.get("/").get_data(as_text=True)  # cached in Indonesian
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    menu["Nasi Goreng"].name_en = "Fried Rice"
    db.session.commit()
    assert heard.wait_for(frozenset({"menu"}))
    assert "<h3>Fried Rice</h3>" in english.get("/").get_data(as_text=True)
    indonesian = client.get("/").get_data(as_text=True)
    assert "<h3>Nasi Goreng</h3>" in indonesian and "Fried Rice" not in indonesian


def test_on_postgresql_a_shop_name_saved_in_another_process_shows_at_once(app, client, menu, database_uri, sandbox):
    """Every page's header shows the shop's name: read once per process, not per page."""
    if not on_postgresql():
        pytest.skip("needs PostgreSQL")
    assert listening(app)
    assert "<title>Warung Makan Sederhana</title>" in client.get("/").get_data(as_text=True)  # cached
    with statements() as seen:
        assert client.get("/cart").status_code == 200
    assert not [sql for sql in seen if "merchant_profile" in sql]
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    with another_process(database_uri, sandbox):
        save_profile("Warung Bu Tini", "budi")
    assert heard.wait_for(frozenset({"merchant"}))
    assert "<title>Warung Bu Tini</title>" in client.get("/").get_data(as_text=True)


def test_on_postgresql_even_a_write_outside_the_app_is_heard(app, client, cached_poll, database_uri):
    """The triggers announce any write, here one made with plain SQL on another connection."""
    order, _version = cached_poll
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    order_id = order.id
    db.session.commit()
    engine = create_engine(database_uri)
    with engine.begin() as connection:
        connection.execute(
            text('UPDATE "order" SET table_label = :label WHERE id = :id'), {"label": "7", "id": order_id}
        )
    engine.dispose()
    assert heard.wait_for(frozenset({f"order:{order_id}"}))


def test_on_postgresql_a_lost_listener_connection_empties_the_caches_and_comes_back(app, client, cached_poll):
    """As after a PostgreSQL restart: changes made while nobody listened are never served
    from the cache, and caching resumes once the listener has reconnected."""
    order, version = cached_poll
    feed = app.extensions["change_feed"]
    heard = Heard()
    feed.subscribe(heard)
    db.session.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND query = :listen AND pid <> pg_backend_pid()"
        ),
        {"listen": "LISTEN warung_changes"},
    )
    db.session.commit()
    assert heard.wait_for(None)  # the connection is gone: everything was dropped
    with statements() as seen:
        assert poll_order(client, order, version).status_code == 204
    assert seen  # read from the database
    assert listening(app)  # reconnected
    assert poll_order(client, order, version).status_code == 204  # read and cached again
    with statements() as seen:
        assert poll_order(client, order, version).status_code == 204
    assert seen == []


# Item options are part of the menu ---------------------------------------------------------


def test_a_write_to_an_option_is_heard_as_a_menu_change(app, menu):
    groups = make.menu_options(menu)
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    groups["Tambahan"].options[0].available = False
    db.session.commit()
    assert heard.topics and set(heard.topics) == {frozenset({"menu"})}


def test_on_postgresql_attaching_options_outside_the_app_shows_on_the_cached_menu_at_once(
    app, client, menu, database_uri
):
    """The option tables have triggers too: here a group attached with plain SQL."""
    if not on_postgresql():
        pytest.skip("needs PostgreSQL")
    make.menu_options(menu)
    assert listening(app)
    mie_ayam = menu["Mie Ayam"].id
    assert 'aria-label="Pilih Mie Ayam"' in client.get("/").get_data(as_text=True)  # cached, with its options
    heard = Heard()
    app.extensions["change_feed"].subscribe(heard)
    db.session.commit()
    engine = create_engine(database_uri)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM menu_item_option_group WHERE menu_item_id = :id"), {"id": mie_ayam})
    engine.dispose()
    assert heard.wait_for(frozenset({"menu"}))
    assert 'aria-label="Tambah Mie Ayam"' in client.get("/").get_data(as_text=True)  # no options left
