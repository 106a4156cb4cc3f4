"""What one Duitku callback costs the database: pinned, so that it cannot grow unseen.

The callback is the app's busiest write at lunch. Each statement is a round trip to
PostgreSQL (about 1 ms on a loaded machine), so bench/README.md counts them; this test
keeps that count true. BEGIN and COMMIT are counted by the engine's events (psycopg
sends BEGIN itself, and SQLite's is a statement of the app's own); no round trip checks
the connection first (no pool_pre_ping, see tests/test_connection_pool.py).
"""

from contextlib import contextmanager

import pytest
from flask import has_request_context

from tests import factories as make
from tests.db_helpers import count, end_transaction, engine_events, reload
from tests.duitku_side import callback_form
from webapp.extensions import db
from webapp.kitchen import stations
from webapp.models import Category, KitchenTicket

URL = "/api/v1/webhooks/duitku"


@contextmanager
def round_trips():
    """The round trips requests make inside the block, as (kind, statement) pairs."""
    seen: list[str] = []

    def statement(_conn, _cursor, sql, *_args):
        if has_request_context() and not sql.startswith("BEGIN"):
            seen.append(sql.split()[0].upper())

    def begin(_conn):
        if has_request_context():
            seen.append("BEGIN")

    def commit(_conn):
        if has_request_context():
            seen.append("COMMIT")

    with engine_events(("before_cursor_execute", statement), ("begin", begin), ("commit", commit)):
        yield seen


@pytest.mark.parametrize("with_stations", [False, True])
def test_a_paying_callback_makes_three_round_trips_on_postgresql(app, client, menu, with_stations):
    """BEGIN, one statement keyed by the callback's merchantOrderId (nothing is read
    first) that writes the payment, the order, the order's history, its print jobs (its
    kitchen tickets, none without stations, and a till's receipt, none for an order not
    rung up at a till with a printer) and the payment's event, COMMIT (confirmation with
    Duitku off, as `make bench` runs). SQLite, with no data-modifying WITH queries,
    reads the payment and writes each alone: the tickets and the receipt are an INSERT
    ... SELECT each."""
    if with_stations:
        kitchen = stations.save_station(None, "Dapur", "")
        for category in Category.query.all():
            stations.assign(category, kitchen)
    app.config["DUITKU_CONFIRM_CALLBACKS"] = False
    payment = make.qris_payment(menu)
    form = callback_form(payment)
    end_transaction()
    with round_trips() as seen:
        response = client.post(URL, data=form)
    assert response.status_code == 200 and response.json["message"] == "paid"
    assert reload(payment).order.status == "paid"
    assert count(KitchenTicket, order_id=payment.order_id) == (1 if with_stations else 0)
    if db.engine.dialect.name == "postgresql":
        assert seen == ["BEGIN", "WITH", "COMMIT"]
    else:
        assert seen == ["BEGIN", "SELECT", "UPDATE", "UPDATE", "INSERT", "INSERT", "INSERT", "INSERT", "COMMIT"]


def test_the_pool_does_not_ping_before_each_checkout(app):
    assert not db.engine.pool._pre_ping
