"""Staff's discount on the cashier's order page (issue 27 item 5), before payment: the
order's figures are worked out again, a QRIS of the old amount is cancelled and a new
one is asked for the new amount, the history and the audit trail keep who gave it and
who approved it; every bad input is refused on its field; a paid order gets none."""

from __future__ import annotations

import pytest
from sqlalchemy.orm.attributes import set_committed_value

from tests import factories as make
from tests.db_helpers import reload
from tests.http_helpers import visible_text
from webapp.billing.bill import Discount
from webapp.discounts import manual
from webapp.models import AuditEntry, AuditKind, ChangeReason, DiscountKind, OrderStatus, PaymentStatus
from webapp.orders import discounting
from webapp.orders.paying import confirm_cash
from webapp.state import IllegalTransition


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


def test_a_discount_that_would_make_the_order_free_is_refused(cashier_client, menu, rini):
    order = make.order(menu, lines=make.TWO_NASI_GORENG)
    refused = give(cashier_client, order, value="100", approver="rini", pin="4321")
    assert refused.status_code == 303
    page = visible_text(cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True))
    assert "Diskon tidak boleh membuat total Rp0" in page
    assert reload(order).total == 50_000 and not reload(order).discounts


def test_a_discount_works_from_what_another_discount_wrote_meanwhile(cashier_client, menu, clock):
    """Two discounts on the order at once (a double tap, two cashiers): the one that read
    the order before the other wrote replaces it, as a second discount there does, rather
    than leaving a row its total does not count."""
    order = make.order(menu, lines=make.TWO_NASI_GORENG)
    discounting.discount_order(order, None, manual.by_staff(Discount(DiscountKind.AMOUNT, 5000), "a", "cashier:sari"))
    set_committed_value(order, "discounts", [])  # as the other request read it, before the first
    discounting.discount_order(order, None, manual.by_staff(Discount(DiscountKind.AMOUNT, 2000), "b", "cashier:dewi"))
    order = reload(order)
    assert (order.total, [row.amount for row in order.discounts]) == (48_000, [2000])


def test_cash_for_the_total_before_a_discount_is_refused(cashier_client, menu):
    order = make.order(menu, lines=make.TWO_NASI_GORENG)
    discounting.discount_order(order, None, manual.by_staff(Discount(DiscountKind.AMOUNT, 5000), "a", "cashier:sari"))
    set_committed_value(order, "total", 50_000)  # the cash page read it before the discount
    with pytest.raises(IllegalTransition, match=r"baru saja berubah menjadi Rp45\.000"):
        confirm_cash(order, 50_000, "cashier:dewi")
    assert reload(order).status == OrderStatus.AWAITING_PAYMENT and not reload(order).payments
