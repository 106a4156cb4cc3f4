"""Web orders and partners: only the restaurant's own counter POS (a license marked so)
takes or cancels QRIS payments for web orders, and an unpaid cash order it takes QRIS
for switches to QRIS, once, in the order's history."""

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from tests import factories as make
from tests.apps import config_for
from tests.db_helpers import reload
from tests.http_helpers import API
from webapp import create_app
from webapp.cashier.live_board import board_state
from webapp.extensions import db
from webapp.models import License
from webapp.orders import lifecycle
from webapp.orders.paying import confirm_cash
from webapp.partners import accounts as partners


def take_qris(client, partner, order_id: str):
    return client.post(f"{API}/payments/qris", json={"order_id": order_id}, headers=partner.headers)


def test_an_unrelated_partner_cannot_touch_the_customers_qr(client, other_pos, menu):
    customers_qr = make.qris_payment(menu)
    order = customers_qr.order
    response = take_qris(client, other_pos, order.public_id)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden" and response.json["error"]["field"] == "order_id"
    assert reload(order).current_payment.id == customers_qr.id and reload(customers_qr).status == "pending"
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Scan untuk membayar" in page and "QR kedaluwarsa" not in page


def test_the_refusal_does_not_tell_whether_the_order_exists(client, other_pos):
    assert take_qris(client, other_pos, "no-such-order").status_code == 403


def test_the_counter_pos_takes_a_payment_under_its_counter_license(client, pos, menu):
    order = make.order(menu, method="qris")
    response = take_qris(client, pos, order.public_id)
    assert response.status_code == 201
    payment = reload(order).current_payment
    assert payment.partner_id == pos.partner.id and payment.license.key == pos.license_key


def test_a_revoked_counter_license_loses_the_right_to_take_and_cancel(client, pos, menu):
    order = make.order(menu, method="qris")
    transaction_id = take_qris(client, pos, order.public_id).json["transaction_id"]
    partners.revoke_license(pos.license_key)
    assert take_qris(client, pos, order.public_id).status_code == 403
    cancel = client.post(f"{API}/payments/{transaction_id}/cancel", headers=pos.headers)
    assert cancel.status_code == 403 and cancel.json["error"]["code"] == "forbidden"
    assert reload(order).current_payment.status == "pending"


def test_a_partner_cancels_only_what_it_created(client, pos, menu):
    customers_qr = make.qris_payment(menu)
    order = customers_qr.order
    assert client.post(f"{API}/payments/{customers_qr.public_id}/cancel", headers=pos.headers).status_code == 404
    counters = take_qris(client, pos, order.public_id).json["transaction_id"]
    assert client.post(f"{API}/payments/{counters}/cancel", headers=pos.headers).json["status"] == "cancelled"
    assert reload(customers_qr).status == "pending"  # the customer's QR was never the partner's to cancel


# A cash order paid by QRIS at the counter --------------------------------------------


def test_an_unpaid_cash_order_switches_to_qris_when_the_counter_takes_qris(client, pos, menu, clock):
    order = make.order(menu)
    response = take_qris(client, pos, order.public_id)
    assert response.status_code == 201 and response.json["amount"] == order.total
    order = reload(order)
    assert order.payment_method == "qris" and order.status == "awaiting_payment"
    switch = order.history[-1]
    assert (switch.from_status, switch.to_status, switch.actor) == (
        "awaiting_payment",
        "awaiting_payment",
        f"partner:{pos.partner.id}",
    )
    assert switch.reason == "switched_to_qris"
    board = board_state(clock())
    assert order.daily_seq in [card.seq for card in board.columns["qris_pending"]]
    assert order.daily_seq not in [card.seq for card in board.columns["awaiting_cash"]]


def test_the_switch_happens_once(menu):
    order = make.order(menu)
    assert lifecycle.switch_to_qris(order, "partner:1") is True
    assert lifecycle.switch_to_qris(order, "partner:1") is False
    assert [c.reason for c in reload(order).history].count("switched_to_qris") == 1


def test_a_cash_order_paid_meanwhile_is_409(client, pos, menu):
    order = make.order(menu)
    confirm_cash(order, order.total, "cashier:sari")
    conflict = take_qris(client, pos, order.public_id)
    assert conflict.status_code == 409 and conflict.json["error"]["field"] == "order_id"
    assert reload(order).payment_method == "cash"


def test_switching_back_to_cash_is_in_the_history_too(menu):
    order = make.order(menu, method="qris")
    assert lifecycle.switch_to_cash(order, "customer")
    assert reload(order).history[-1].reason == "switched_to_cash"


# Marking a license from the command line ----------------------------------------------


def test_cli_marks_and_unmarks_a_counter_license(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["partners", "create", "Kasir Kita"])
    counter_key = runner.invoke(
        args=["partners", "add-license", "Kasir Kita", "--store", "Warung", "--counter-pos"]
    ).output.strip()
    other_key = runner.invoke(args=["partners", "add-license", "Kasir Kita", "--store", "Cabang"]).output.strip()
    licenses = {license_.key: license_ for license_ in db.session.scalars(db.select(License))}
    assert licenses[counter_key].counter_pos and not licenses[other_key].counter_pos
    marked = runner.invoke(args=["partners", "counter-pos", other_key])
    assert marked.exit_code == 0 and "counter POS" in marked.output
    unmarked = runner.invoke(args=["partners", "counter-pos", counter_key, "--off"])
    assert unmarked.exit_code == 0
    db.session.expire_all()
    assert db.session.get(License, licenses[other_key].id).counter_pos
    assert not db.session.get(License, licenses[counter_key].id).counter_pos
    assert runner.invoke(args=["partners", "counter-pos", "LIC-NOPE"]).exit_code != 0


# The migration -------------------------------------------------------------------------


def test_migration_keeps_partners_licenses_and_orders(scratch_engine_url):
    app = create_app(config_for(scratch_engine_url))
    with app.app_context():
        upgrade(revision="9c1d2e3f4a5b")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO partner (id, name, api_key_hash, webhook_url, webhook_secret, active, created_at) "
                    "VALUES (1, 'POS', 'h', '', 's', true, '2026-11-22 05:00:00+00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO license (id, key, partner_id, store_name, active, created_at) "
                    "VALUES (1, 'LIC-OLD', 1, 'Toko', true, '2026-11-22 05:00:00+00')"
                )
            )
            connection.execute(
                text(
                    'INSERT INTO "order" (id, public_id, business_date, daily_seq, customer_name, table_label, note, '
                    "payment_method, status, total, needs_attention, attention_reason, created_at, updated_at) "
                    "VALUES (1, 'o1', '2026-11-22', 1, 'Sari', '7', '', 'cash', 'awaiting_payment', 50000, false, '', "
                    "'2026-11-22 05:00:00+00', '2026-11-22 05:00:00+00')"
                )
            )
        upgrade()
        db.engine.dispose()
    engine = create_engine(scratch_engine_url)
    try:
        with engine.connect() as connection:
            license_ = connection.execute(text("SELECT key, store_name, active, counter_pos FROM license")).one()
            order = connection.execute(text('SELECT public_id, total FROM "order"')).one()
    finally:
        engine.dispose()
    assert (license_.key, license_.store_name, bool(license_.active), bool(license_.counter_pos)) == (
        "LIC-OLD",
        "Toko",
        True,
        False,
    )
    assert tuple(order) == ("o1", 50000)


@pytest.fixture(autouse=True)
def _counter_license(pos):
    """`pos` is the restaurant's own counter POS (see tests/api/conftest.py)."""
    assert db.session.scalar(db.select(License.counter_pos).where(License.key == pos.license_key))
