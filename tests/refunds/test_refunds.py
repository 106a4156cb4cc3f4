"""Refunds (issue 27 item 4) on the cashier's order page: a paid order's money given back,
all of it, some lines or an amount, with a reason and a manager's PIN, in cash out of the
open shift's drawer or paid back outside the gateway with its reference. The PB1 and
service it reverses, the drawer and the X report net of it, the audit row, the order's
pages and receipt, and every refusal on its field."""

from __future__ import annotations

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.http_helpers import visible_text
from tests.refunds.conftest import refund
from webapp.billing.bill import reversal
from webapp.models import AuditEntry, AuditKind, CashKind, CashMovement, ChangeReason, Refund
from webapp.shifts import drawer, reports
from webapp.till import tills


@pytest.fixture
def paid(app, menu):
    """A Rp58.000 cash order (two Nasi Goreng, 5% service, 10% PB1, up to Rp500), paid."""
    make.bill_settings(rounding_step=500)
    order = make.paid_order(menu, lines=make.TWO_NASI_GORENG)  # 50.000 + 2.500 + 5.250 = 57.750 -> 58.000
    assert (order.total, order.bill_tax, order.bill_service) == (58_000, 5_250, 2_500)
    return order


def shift_report():
    return reports.shift_report(drawer.open_shift_of(tills.counter_tills()[0]))


def test_a_cash_refund_approved_by_a_manager_reverses_exactly_the_orders_pb1(cashier_client, paid, rini):
    before = shift_report()
    response = refund(cashier_client, paid)
    assert response.status_code == 303, response.text
    order = reload(paid)
    [given] = order.refunds
    assert (given.amount, given.tax, given.service, given.rounding, given.extra) == (58_000, 5_250, 2_500, 250, False)
    assert (given.actor, given.approver, given.method, given.lines) == ("cashier:sari", "cashier:rini", "cash", None)
    assert order.refunded == 58_000 and given.shift_id == drawer.open_shift_of(tills.counter_tills()[0]).id
    [movement] = CashMovement.query.filter_by(kind=CashKind.REFUND).all()
    assert movement.amount == -58_000 and movement.approver == "cashier:rini"
    after = shift_report()
    assert after.cash_refunds == 58_000 and after.expected == before.expected - 58_000
    assert after.net_sales == before.net_sales - 58_000
    [entry] = AuditEntry.query.filter_by(kind=AuditKind.REFUND).all()
    assert (entry.actor, entry.approver, entry.subject, entry.note) == (
        "cashier:sari",
        "cashier:rini",
        "A-001",
        "salah pesan",
    )
    assert entry.before == {"refunded": 0}
    assert entry.after == {
        "refunded": 58_000,
        "amount": 58_000,
        "method": "cash",
        "reference": "",
        "tax": 5_250,
        "service": 2_500,
    }
    assert order.history[-1].reason == ChangeReason.REFUNDED and order.history[-1].to_status == order.status
    text = visible_text(cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True))
    assert "tunai dari laci" in text and "-Rp58.000" in text and "Dibayar setelah pengembalian Rp0" in text
    assert "Kembalikan uang" not in text  # nothing is left to give back


def test_a_one_line_refund_reverses_its_share_and_the_rest_the_remainder(cashier_client, menu, rini):
    make.bill_settings(rounding_step=500)
    order = make.paid_order(menu)  # 30.000 + 1.500 + 3.150 = 34.650 -> 35.000
    _nasi, teh = order.items
    # The lines' shares of Rp35.000 by what they cost (25.000 : 5.000), largest remainder.
    assert refund(cashier_client, order, scope="lines", lines=[str(teh.id)]).status_code == 303
    [first] = reload(order).refunds
    assert (first.amount, first.tax, first.service) == (5_833, 524, 249)  # 3.150 x 5.833 / 35.000, rounded down
    assert first.lines == [{"id": teh.id, "name": "Es Teh Manis", "quantity": 1, "amount": 5_833}]
    refused = refund(cashier_client, order, scope="lines", lines=[str(teh.id)])
    assert refused.status_code == 422 and "tidak ada di pesanan ini, atau sudah dikembalikan" in refused.text
    assert refund(cashier_client, order, method="transfer", reference="BCA 123").status_code == 303
    rest = reload(order).refunds[1]
    assert (rest.amount, rest.tax, rest.service, rest.shift_id) == (29_167, 3_150 - 524, 1_500 - 249, None)
    assert sum(r.tax for r in reload(order).refunds) == order.bill_tax  # the whole PB1, exactly


def test_an_outside_gateway_refund_of_an_amount_leaves_the_drawer(cashier_client, paid, rini, client):
    before = shift_report()
    fields = {"scope": "amount", "amount": "10.000", "method": "ewallet", "reference": "OVO-998877"}
    assert refund(cashier_client, paid, **fields).status_code == 303
    [given] = reload(paid).refunds
    assert (given.amount, given.reference, given.tax) == (10_000, "OVO-998877", reversal(5_250, 58_000, 0, 10_000))
    assert count(CashMovement, kind=CashKind.REFUND) == 0 and shift_report().expected == before.expected
    customer = visible_text(client.get(f"/orders/{paid.public_id}").get_data(as_text=True))
    assert "e-wallet (OVO-998877)" in customer and "-Rp10.000" in customer and "salah pesan" not in customer
    receipt = visible_text(cashier_client.get(f"/cashier/orders/{paid.public_id}/receipt").get_data(as_text=True))
    assert "Dikembalikan -Rp10.000" in receipt


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"scope": "amount", "amount": "58.500"}, "Paling banyak Rp58.000 yang bisa dikembalikan."),
        ({"scope": "amount", "amount": "0"}, "Jumlah harus lebih dari nol."),
        ({"scope": "amount", "amount": "-500"}, "Jumlah harus lebih dari nol."),
        ({"scope": "amount", "amount": "abc"}, "Tulis jumlah rupiah, mis. 5.000."),
        ({"scope": "amount", "amount": ""}, "Tulis jumlah yang dikembalikan."),
        ({"scope": "lines", "lines": ["999999"]}, "Baris itu tidak ada di pesanan ini, atau sudah dikembalikan."),
        ({"scope": "lines"}, "Pilih baris yang dikembalikan."),
        ({"method": "transfer", "reference": ""}, "Tulis nomor referensi transfer atau e-wallet-nya."),
        ({"reason": ""}, "Tulis alasan pengembalian."),
        ({"pin": "0000"}, "PIN salah atau bukan PIN manajer."),
        ({"approver": "", "pin": ""}, "Pengembalian uang perlu persetujuan manajer"),
        ({"approver": "sari"}, "PIN salah atau bukan PIN manajer."),
    ],
)
def test_bad_refunds_are_refused_on_their_field_and_nothing_is_given(cashier_client, paid, rini, fields, message):
    response = refund(cashier_client, paid, **fields)
    assert response.status_code == 422 and message in visible_text(response.text)
    assert 'class="error"' in response.text
    assert reload(paid).refunded == 0 and count(Refund) == 0 and count(CashMovement, kind=CashKind.REFUND) == 0


def test_a_locked_pin_is_refused(cashier_client, paid, rini, app):
    for _attempt in range(app.config["PIN_MAX_FAILURES"]):
        refund(cashier_client, paid, pin="0000")
    response = refund(cashier_client, paid)
    assert response.status_code == 422 and "ditahan" in response.text and count(Refund) == 0


def test_a_cash_refund_with_no_open_shift_is_refused_with_a_link_to_open_one(cashier_client, paid, rini):
    till = make.close_drawer()
    response = refund(cashier_client, paid)
    assert response.status_code == 422
    assert "Belum ada shift terbuka di Kasir 1: buka shift dulu di Laci kas." in visible_text(response.text)
    assert f'href="/drawer/{till.public_id}">Buka shift di Laci kas</a>' in response.text
    assert reload(paid).refunded == 0 and count(Refund) == 0
    # Paid back by transfer, it needs no drawer.
    assert refund(cashier_client, paid, method="transfer", reference="BCA 1").status_code == 303


def test_a_refund_above_what_the_drawer_holds_is_refused(cashier_client, paid, rini):
    drawer.pay_in_or_out(tills.counter_tills()[0], CashKind.PAY_OUT, 50_000, "setor bank", "cashier:sari")
    response = refund(cashier_client, paid)
    assert response.status_code == 422 and "Uang di laci tidak cukup untuk dikembalikan." in response.text
    assert count(Refund) == 0


def test_an_unpaid_order_has_nothing_to_refund(cashier_client, menu, rini):
    order = make.order(menu)
    assert "Kembalikan uang" not in cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    response = refund(cashier_client, order)
    assert response.status_code == 303 and count(Refund) == 0
