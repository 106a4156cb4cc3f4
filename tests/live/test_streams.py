"""The staff screens' streams (issue 28 item 1): a `change` event on every committed
change, heartbeats, the per-process cap, the end of every stream at shutdown, the same
login or pairing as the screen's page, and on PostgreSQL no stream while the listener
is down."""

from __future__ import annotations

import re
import threading

import psycopg
import pytest
from sqlalchemy import select, text

from tests import factories as make
from tests.db_helpers import reload
from tests.http_helpers import logged_in_client
from tests.live.stream_helpers import BOARD_STREAM, CHANGE, FLOOR_STREAM, HEARTBEAT, RETRY, Stream, opened
from tests.till.display_helpers import display_url, pair_device, till
from webapp.extensions import db
from webapp.kitchen import stations, steps
from webapp.live.streams import close_all_streams
from webapp.live.triggers import CHANNEL, STAFF_SCREEN_TABLES
from webapp.models import KitchenTicket, Role
from webapp.orders import lifecycle
from webapp.payments import reconcile
from webapp.timeutil import utcnow


@pytest.fixture
def board_stream(app, cashier_client):
    stream = opened(app, cashier_client, BOARD_STREAM)
    yield stream
    stream.close()


@pytest.fixture
def floor_stream(app, cashier_client):
    stream = opened(app, cashier_client, FLOOR_STREAM)
    yield stream
    stream.close()


def test_a_committed_change_sends_a_change_event_and_a_rolled_back_one_nothing(app, menu, floor_stream):
    assert floor_stream.status == 200 and floor_stream.response.mimetype == "text/event-stream"
    assert floor_stream.response.headers["X-Accel-Buffering"] == "no"
    order = make.order(menu)  # placed and committed
    assert floor_stream.next_news() == CHANGE
    floor_stream.quiet()
    order.customer_name = "bukan"
    db.session.flush()  # written, and named for the streams
    db.session.rollback()
    assert floor_stream.next_event() == HEARTBEAT  # nothing was sent for the rollback
    lifecycle.switch_to_cash(make.qris_payment(menu).order)
    assert floor_stream.next_news() == CHANGE


def test_changes_heard_together_make_one_event(app, floor_stream):
    hub = app.extensions["live_streams"]
    for topics in (frozenset({"order:1"}), frozenset({"bills"}), frozenset({"orders"})):
        hub.hear(topics)
    assert floor_stream.next_event() == CHANGE
    assert floor_stream.next_event() == HEARTBEAT


def test_news_soon_after_an_event_waits_for_the_spacing_and_makes_one_event(app, cashier_client):
    """In a rush a screen fetches at most once per LIVE_EVENT_SPACING_SECONDS: what comes
    after an event, even farther apart than GATHER_SECONDS, waits and makes one event."""
    app.config.update(LIVE_HEARTBEAT_SECONDS=0.05, LIVE_EVENT_SPACING_SECONDS=1.5)
    stream = Stream(cashier_client, FLOOR_STREAM)
    assert stream.next_event() == RETRY
    stream.quiet()
    hub = app.extensions["live_streams"]
    hub.hear(frozenset({"order:1"}))
    assert stream.next_event() == CHANGE  # alone: at once
    later = [threading.Timer(delay, hub.hear, [frozenset({f"order:{n}"})]) for n, delay in ((2, 0.0), (3, 0.2))]
    for timer in later:
        timer.start()
    assert stream.next_event() == CHANGE  # orders 2 and 3, 0.2 s apart: one event
    assert [stream.next_event() for _ in range(10)] == [HEARTBEAT] * 10  # 0.5 s: nothing more
    stream.close()


def test_a_stream_hears_only_what_its_screen_shows(app, floor_stream):
    hub = app.extensions["live_streams"]
    hub.hear(frozenset({"kitchen", "tills", "menu"}))  # nothing on the floor
    assert floor_stream.next_event() == HEARTBEAT
    hub.hear(frozenset({"bills"}))  # a table's bill: the floor shows it
    assert floor_stream.next_event() == CHANGE
    hub.hear(None)  # anything may have changed
    assert floor_stream.next_event() == CHANGE


def test_a_ticket_bumped_and_a_bill_opened_are_named_for_the_streams(app, menu, floor_stream):
    """Not only orders and payments: what the kitchen and the floor show wakes them too
    (and on PostgreSQL the triggers announce the same to the other processes)."""
    station = stations.save_station(None, "Dapur", "")
    for category in {item.category for item in menu.values()}:
        stations.assign(category, station)
    make.paid_order(menu)  # its ticket is made with it
    heard: list = []
    app.extensions["change_feed"].subscribe(heard.append)
    ticket = db.session.scalars(select(KitchenTicket)).one()
    assert steps.bump(ticket, "cashier:sari", utcnow())
    db.session.commit()
    make.pay_later()
    make.bill_order(menu)  # eaten first, paid later: it opens the table's bill
    named = set().union(*(topics for topics in heard if topics))
    assert {"kitchen", "bills", "orders"} <= named
    assert floor_stream.next_news() == CHANGE


def test_a_status_check_that_finds_nothing_new_wakes_no_staff_screen(app, menu, clock, floor_stream):
    """A polled pending QRIS is checked with Duitku every 10 s: that writes only when it
    was last checked, which the order's caches hear ("checked:<id>", on PostgreSQL by
    the trigger too) and no staff screen shows, so an open board does not fetch for it."""
    payment = make.qris_payment(menu)
    floor_stream.quiet()
    heard: list = []
    app.extensions["change_feed"].subscribe(heard.append)
    clock.advance(seconds=10)
    reconcile.reconcile_if_due(payment)  # claimed; the sandbox still says pending
    assert reload(payment).last_checked_at == clock() and reload(payment).status == "pending"
    assert floor_stream.next_event() == HEARTBEAT
    named = set().union(*(topics for topics in heard if topics))
    assert f"checked:{payment.order_id}" in named
    assert not named & {f"order:{payment.order_id}", "orders"}
    lifecycle.switch_to_cash(payment.order)  # a change the board shows still wakes it
    assert floor_stream.next_news() == CHANGE


def test_on_postgresql_a_statement_that_writes_no_row_announces_nothing(app, menu):
    """The staff screens' tables announce per row written: a statement that wrote none (a
    duplicate callback's paying statement inserts no ticket; a conditional UPDATE that
    lost its race) wakes no board or station, as their statement triggers did."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL")
    conninfo = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as listener, psycopg.connect(conninfo, autocommit=True) as writer:
        listener.execute(f"LISTEN {CHANNEL}")
        for table in (table for tables in STAFF_SCREEN_TABLES.values() for table in tables):
            writer.execute(f"INSERT INTO {table} SELECT * FROM {table} WHERE false")
            writer.execute(f"DELETE FROM {table} WHERE false")
        writer.execute("UPDATE till SET name = name WHERE false")
        writer.execute(f"NOTIFY {CHANNEL}, 'marker'")
        heard = []
        for note in listener.notifies(timeout=10):
            heard.append(note.payload)
            if note.payload == "marker":
                break
    assert heard == ["marker"]


def test_a_station_is_told_of_a_change_only_when_its_display_would_change(app, menu, clock):
    """A station's stream, opened with the version its display shows, says `change`
    only when that version moved: not for an order that makes no ticket for it."""
    station = stations.save_station(None, "Dapur", "")
    for category in {item.category for item in menu.values()}:
        stations.assign(category, station)
    make.staff_user("koki", role=Role.KITCHEN)
    cook = logged_in_client(app, "koki")
    page = cook.get(f"/kitchen/{station.id}").get_data(as_text=True)
    version = re.search(r'id="kitchen-shown" name="shown" value="([^"]*)"', page).group(1)
    stream = opened(app, cook, f"/kitchen/{station.id}/stream?shown={version}")
    make.order(menu)  # placed, not paid: nothing to cook yet
    assert stream.next_event() == HEARTBEAT
    make.paid_order(menu)  # its ticket comes to the station
    assert stream.next_news() == CHANGE
    stream.close()


def test_a_stream_needs_the_login_and_permission_of_its_page(app, client, cashier_client, menu):
    assert client.get(BOARD_STREAM).status_code == client.get("/cashier").status_code == 302
    make.staff_user("koki", role=Role.KITCHEN)
    cook = logged_in_client(app, "koki")
    assert cook.get(BOARD_STREAM).status_code == cook.get("/cashier").status_code == 403
    assert cook.get("/kitchen/999/stream").status_code == 404
    assert cook.get("/till/no-such-till/stream").status_code == 403  # a cook rings up nothing
    assert cashier_client.get("/till/no-such-till/stream").status_code == 404


def test_past_the_limit_a_stream_is_refused_and_the_screen_keeps_polling(app, cashier_client, board_stream):
    app.config["LIVE_STREAMS_MAX"] = app.extensions["live_streams"].limit = 1
    refused = cashier_client.get(BOARD_STREAM)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "15"
    board_stream.close()  # the screen went away: its slot is free
    again = Stream(cashier_client, BOARD_STREAM)
    assert again.status == 200
    again.close()


def test_a_slot_is_freed_even_when_the_stream_never_began(app, cashier_client):
    hub = app.extensions["live_streams"]
    for _ in range(3):
        Stream(cashier_client, BOARD_STREAM).close()  # closed before its first event
    assert len(hub) == 0


def test_shutting_down_ends_every_stream_and_refuses_new_ones(app, cashier_client, board_stream):
    close_all_streams()
    assert board_stream.ended()
    assert cashier_client.get(BOARD_STREAM).status_code == 503


def test_a_customer_display_streams_for_its_own_paired_device_only(app, client, clock):
    counter, other = till(), till("Kasir 2")
    assert client.get(f"{display_url(counter)}/stream").status_code == 403  # not paired
    pair_device(client, counter, clock())
    stream = Stream(client, f"{display_url(counter)}/stream")
    assert stream.status == 200 and stream.next_event() == RETRY
    stream.close()
    assert client.get(f"{display_url(other)}/stream").status_code == 403
    assert client.get("/till/display/no-such-till/stream").status_code == 404


def test_on_postgresql_a_lost_listener_ends_every_stream_and_they_come_back(app, menu, cashier_client):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: on SQLite every stream is of this one process")
    feed = app.extensions["change_feed"]
    app.config["LIVE_HEARTBEAT_SECONDS"] = 0.05
    stream = Stream(cashier_client, FLOOR_STREAM)  # waits for the listener to connect
    assert stream.status == 200 and stream.next_event() == RETRY
    db.session.execute(
        text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND query = 'LISTEN warung_changes'"
        )
    )
    db.session.commit()
    assert stream.ended()  # the screen polls
    assert feed.wait_until_connected(10)  # the listener reconnects by itself
    again = Stream(cashier_client, FLOOR_STREAM)
    assert again.status == 200 and again.next_event() == RETRY
    make.order(menu)
    assert again.next_news() == CHANGE
    again.close()
