"""Staff's discount on the cashier's order page (issue 27 item 5), before payment: the
order's figures are worked out again, a QRIS of the old amount is cancelled and a new
one is asked for the new amount, the history and the audit trail keep who gave it and
who approved it; every bad input is refused on its field; a paid order gets none."""

from __future__ import annotations

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.http_helpers import visible_text
from webapp.models import AuditEntry, AuditKind, ChangeReason, PaymentStatus, Role
from webapp.staff import approvals


@pytest.fixture
def rini(app):
    manager = make.staff_user("rini", role=Role.MANAGER)
    approvals.set_pin(manager, "4321", make.STAFF_PASSWORD)
    return manager


def give(client, order, **fields):
    data = {"csrf_token": client.csrf_token, "target": "order", "kind": "percent", "reason": "pelanggan tetap"}
    return client.post(f"/cashier/orders/{order.public_id}/discount", data=data | fields)


def test_a_discount_on_a_cash_order_refigures_it(cashier_client, menu):
    make.bill_settings(rounding_step=500)  # 5% service, 10% PB1, up to Rp500
    order = make.order(menu, lines=make.TWO_NASI_GORENG)  # 50.000 + 2.500 + 5.250 = 57.750 -> 58.000
    assert order.total == 58_000
    page = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert "Beri diskon" in page
    assert give(cashier_client, order, value="10").status_code == 303
    order = reload(order)
    # 45.000 + 2.250 + 4.725 = 51.975 -> 52.000
    assert (order.bill_discount, order.bill_subtotal, order.bill_tax, order.total) == (5_000, 45_000, 4_725, 52_000)
    text = visible_text(cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True))
    assert "Terima tunai: Rp52.000" in text and "Diskon: pelanggan tetap -10% -Rp5.000" in text
    assert "diskon Rp5.000, total menjadi Rp52.000" in text  # its history
    assert order.history[-1].reason == ChangeReason.DISCOUNTED
    [entry] = AuditEntry.query.filter_by(kind=AuditKind.DISCOUNT).all()
    assert (entry.actor, entry.subject, entry.after["amount"]) == ("cashier:sari", order.number, 5_000)


def test_a_second_discount_on_the_line_replaces_the_first(cashier_client, menu):
    order = make.order(menu, lines=make.TWO_NASI_GORENG)
    item = order.items[0]
    give(cashier_client, order, target=str(item.id), kind="amount", value="5000")
    give(cashier_client, order, target=str(item.id), kind="amount", value="2000", reason="salah")
    order = reload(order)
    assert [(d.label, d.amount) for d in order.discounts] == [("salah", 2_000)] and order.total == 48_000
    assert AuditEntry.query.filter_by(kind=AuditKind.DISCOUNT).count() == 2


def test_a_qris_of_the_old_amount_is_cancelled_and_a_new_one_asked(cashier_client, menu, rini, sandbox, client, csrf):
    payment = make.qris_payment(menu)  # Rp50.000
    order = payment.order
    refused = give(cashier_client, order, value="50")
    assert refused.status_code == 422 and "perlu persetujuan manajer" in refused.text
    assert give(cashier_client, order, value="50", approver="rini", pin="4321").status_code == 303
    assert reload(payment).status == PaymentStatus.CANCELLED and reload(order).total == 25_000
    assert client.post(f"/orders/{order.public_id}/qris", data={"csrf_token": csrf}).status_code == 303  # a new QR
    new = reload(order).current_payment
    assert new.amount == 25_000 and sandbox.extensions["sandbox_store"].get(new.reference).amount == 25_000
    [entry] = AuditEntry.query.filter_by(kind=AuditKind.DISCOUNT).all()
    assert (entry.actor, entry.approver) == ("cashier:sari", "cashier:rini")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"value": "120"}, "Potongan paling besar 100%."),
        ({"value": "abc"}, "Tulis angka persen, mis. 20 atau 12,5."),
        ({"kind": "amount", "value": "-500"}, "Potongan harus lebih dari 0."),
        ({"kind": "amount", "value": "60.000"}, "Potongan lebih besar dari total pesanan (Rp50.000)."),
        ({"reason": ""}, "Tulis alasan diskon."),
    ],
)
def test_bad_input_is_refused_on_its_field(cashier_client, menu, fields, message):
    order = make.order(menu, lines=make.TWO_NASI_GORENG)
    refused = give(cashier_client, order, **({"value": "10"} | fields))
    assert refused.status_code == 422 and message in refused.text
    assert reload(order).total == 50_000 and not reload(order).discounts


def test_a_paid_order_gets_no_discount(cashier_client, menu):
    order = make.paid_order(menu)
    assert "Beri diskon" not in cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    refused = give(cashier_client, order, value="10")
    assert refused.status_code == 303
    page = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert "diskon hanya untuk pesanan yang menunggu pembayaran" in page and reload(order).bill_discount == 0
