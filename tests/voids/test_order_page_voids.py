"""Voids on the cashier's order page (issue 27 item 3): before payment and before the
kitchen has it the cashier voids alone, with a reason; once paid a manager approves
with her PIN; a line void refigures the total through billing/bill.py, a QRIS of the
old amount is cancelled, the history and the audit trail keep it; a paid void flags
the order for a refund; every bad input is refused on its field."""

from __future__ import annotations

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import visible_text
from tests.voids.conftest import PIN, void
from webapp.models import AuditEntry, AuditKind, ChangeReason, OrderStatus, OrderVoid, PaymentStatus

TWO_AND_A_TEA = (("Nasi Goreng", 2), ("Es Teh Manis", 1))  # Rp55.000


def page(client, order) -> str:
    return visible_text(client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True))


def test_a_cashier_voids_one_of_a_line_before_payment(cashier_client, menu):
    order = make.order(menu, lines=TWO_AND_A_TEA)
    assert order.total == 55_000 and "Batalkan baris atau pesanan (void)" in page(cashier_client, order)
    nasi = order.items[0]
    assert void(cashier_client, order, target=str(nasi.id), quantity="1").status_code == 303
    order = reload(order)
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.total == 30_000 and order.bill_subtotal == 30_000
    assert [(item.name, item.quantity, item.line_total) for item in order.items] == [
        ("Nasi Goreng", 1, 25_000),
        ("Es Teh Manis", 1, 5_000),
    ]
    assert order.history[-1].reason == ChangeReason.VOIDED
    text = page(cashier_client, order)
    assert "dibatalkan 1x Nasi Goreng (Rp25.000), total menjadi Rp30.000: salah input" in text  # the history
    assert "Terima tunai: Rp30.000" in text
    [entry] = AuditEntry.query.filter_by(kind=AuditKind.VOID).all()
    assert (entry.actor, entry.approver, entry.subject, entry.note) == ("cashier:sari", "", order.number, "salah input")
    assert entry.before == {"lines": ["2x Nasi Goreng", "1x Es Teh Manis"], "total": 55_000}
    assert entry.after == {"lines": ["1x Nasi Goreng", "1x Es Teh Manis"], "total": 30_000, "voided": "1x Nasi Goreng"}
    [record] = OrderVoid.query.all()
    assert (record.amount, record.whole, record.paid, [(v.name, v.quantity) for v in record.lines]) == (
        25_000,
        False,
        False,
        [("Nasi Goreng", 1)],
    )


def test_a_whole_line_void_refigures_service_tax_and_discounts(cashier_client, menu):
    make.bill_settings(rounding_step=500)  # 5% service, 10% PB1, up to Rp500
    order = make.order(menu, lines=TWO_AND_A_TEA, on_order=[make.given(percent=10)])
    tea = order.items[1]
    assert void(cashier_client, order, target=str(tea.id)).status_code == 303  # the whole line: no quantity
    order = reload(order)
    # 50.000 - 10% = 45.000 + 2.250 + 4.725 = 51.975 -> 52.000
    assert [item.name for item in order.items] == ["Nasi Goreng"]
    assert (order.bill_discount, order.bill_subtotal, order.total) == (5_000, 45_000, 52_000)


def test_voiding_an_unpaid_qris_order_cancels_its_qr_and_late_money_is_flagged(
    cashier_client, menu, client, sandbox, clock
):
    payment = make.qris_payment(menu)
    order = payment.order
    assert void(cashier_client, order, reason="pelanggan pergi").status_code == 303
    assert reload(order).status == OrderStatus.CANCELLED and reload(payment).status == PaymentStatus.CANCELLED
    # The customer paid the old QR all the same: the money is recorded and flagged.
    settle_quietly(sandbox, payment, clock())
    assert client.post("/api/v1/webhooks/duitku", data=callback_form(reload(payment))).status_code == 200
    assert reload(payment).status == PaymentStatus.PAID
    order = reload(order)
    assert order.status == OrderStatus.CANCELLED and order.needs_attention
    assert order.attention_reason == "paid_for_closed_order"  # as for any cancelled order


def test_a_paid_order_needs_a_managers_pin(cashier_client, menu, rini):
    order = make.paid_order(menu, lines=TWO_AND_A_TEA)
    nasi = order.items[0]
    refused = void(cashier_client, order, target=str(nasi.id), quantity="1")
    assert refused.status_code == 422 and "pembatalan perlu persetujuan manajer" in refused.text
    wrong = void(cashier_client, order, target=str(nasi.id), quantity="1", approver="rini", pin="0000")
    assert wrong.status_code == 422 and "PIN salah atau bukan PIN manajer." in wrong.text
    assert reload(order).total == 55_000 and OrderVoid.query.count() == 0
    approved = void(cashier_client, order, target=str(nasi.id), quantity="1", approver="rini", pin=PIN)
    assert approved.status_code == 303
    order = reload(order)
    assert order.status == OrderStatus.PAID and order.total == 30_000
    assert order.needs_attention and order.attention_reason == "voided_after_payment"
    assert "Dibatalkan setelah dibayar: kembalikan Rp25.000." in page(cashier_client, order)
    [entry] = AuditEntry.query.filter_by(kind=AuditKind.VOID).all()
    assert (entry.actor, entry.approver) == ("cashier:sari", "cashier:rini")


def test_a_paid_order_voided_whole_is_cancelled_and_flagged_for_its_refund(cashier_client, menu, rini):
    order = make.paid_order(menu, lines=TWO_AND_A_TEA)
    assert void(cashier_client, order, approver="rini", pin=PIN, reason="salah meja").status_code == 303
    order = reload(order)
    assert order.status == OrderStatus.CANCELLED and order.total == 55_000  # what was paid stays
    assert order.attention_params == {"amount": 55_000}
    assert "Batalkan baris atau pesanan" not in page(cashier_client, order)  # nothing left to void


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"reason": ""}, "Tulis alasan pembatalan."),
        ({"target": "999999"}, "Baris itu tidak ada di pesanan"),
        ({"target": "abc"}, "Pilih seluruh pesanan atau satu baris."),
        ({"approver": "orang-lain", "pin": "4321"}, "PIN salah atau bukan PIN manajer."),
        ({"target": "9" * 5000}, "Pilih seluruh pesanan atau satu baris."),
        ({"target": "line", "quantity": "\u00b2"}, "Tulis jumlah 1 atau lebih."),
        ({"target": "line", "quantity": "3"}, "Jumlah 1 sampai 2 untuk Nasi Goreng."),
        ({"target": "line", "quantity": "dua"}, "Tulis jumlah 1 atau lebih."),
        ({"target": "line", "quantity": "0"}, "Tulis jumlah 1 atau lebih."),
    ],
)
def test_bad_input_is_refused_on_its_field(cashier_client, menu, fields, message):
    order = make.order(menu, lines=TWO_AND_A_TEA)
    if fields.get("target") == "line":
        fields["target"] = str(order.items[0].id)
    refused = void(cashier_client, order, **fields)
    assert refused.status_code == 422 and message in refused.text
    assert reload(order).total == 55_000 and OrderVoid.query.count() == 0


def test_the_last_line_whole_is_the_whole_order(cashier_client, menu):
    order = make.order(menu, lines=make.TWO_NASI_GORENG)
    refused = void(cashier_client, order, target=str(order.items[0].id))
    assert refused.status_code == 422 and "Itu semua isi pesanan: batalkan seluruh pesanan." in refused.text


def test_a_locked_pin_is_refused(cashier_client, menu, rini, app):
    order = make.paid_order(menu)
    for _attempt in range(app.config["PIN_MAX_FAILURES"]):
        void(cashier_client, order, approver="rini", pin="0000")
    refused = void(cashier_client, order, approver="rini", pin=PIN)
    assert refused.status_code == 422 and "ditahan" in refused.text and reload(order).status == OrderStatus.PAID


def test_an_order_already_cancelled_is_refused_on_the_form(cashier_client, menu):
    order = make.order(menu)
    assert void(cashier_client, order).status_code == 303
    again = void(cashier_client, order)
    assert again.status_code == 422 and "sudah dibatalkan: tidak bisa dibatalkan." in again.text
    assert OrderVoid.query.count() == 1 and AuditEntry.query.filter_by(kind=AuditKind.VOID).count() == 1


def test_a_waiter_cannot_void(staff_client, staff, menu, app, client):
    from tests.http_helpers import csrf_token_from, log_in
    from webapp.models import Role

    make.staff_user("wati", role=Role.WAITER)
    assert log_in(client, "wati").status_code == 303
    order = make.order(menu)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    answer = client.post(
        f"/cashier/orders/{order.public_id}/void",
        data={"void-csrf_token": token, "void-reason": "x", "void-target": "order"},
    )
    assert answer.status_code == 403 and reload(order).status == OrderStatus.AWAITING_PAYMENT
