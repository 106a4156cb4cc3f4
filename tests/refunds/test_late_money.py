"""Money an order never asked for (paid after it was cancelled) is given back by a refund
record, which clears its "needs attention" flag in the same transaction and reverses no
PB1 (the order sold nothing)."""

from tests import factories as make
from tests.db_helpers import count, reload
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import visible_text
from tests.refunds.conftest import refund
from webapp.models import AuditEntry, AuditKind, CashKind, CashMovement, ChangeReason, Refund
from webapp.orders import lifecycle


def test_money_paid_after_cancelling_is_refunded_and_the_flag_resolved(cashier_client, app, menu, clock, sandbox, rini):
    payment = make.qris_payment(menu)  # Rp50.000
    settle_quietly(sandbox, payment, clock())
    lifecycle.cancel_order(payment.order, "customer")
    assert cashier_client.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
    order = reload(payment.order)
    assert order.needs_attention and order.attention_reason == "paid_for_closed_order"
    page = visible_text(cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True))
    assert "Kembalikan uang lebih Rp50.000" in page
    refused = refund(cashier_client, order, path="refund-extra", method="transfer")
    assert refused.status_code == 422 and count(Refund) == 0 and reload(order).needs_attention
    fields = {"method": "transfer", "reference": "BCA 0042", "reason": "pesanan sudah batal"}
    assert refund(cashier_client, order, path="refund-extra", **fields).status_code == 303
    order = reload(order)
    [given] = order.refunds
    assert (given.amount, given.extra, given.tax, given.service, given.reference) == (50_000, True, 0, 0, "BCA 0042")
    assert not order.needs_attention and order.refunded == 50_000
    assert [change.reason for change in order.history[-2:]] == [ChangeReason.REFUNDED, ChangeReason.ATTENTION_RESOLVED]
    assert count(CashMovement, kind=CashKind.REFUND) == 0
    assert AuditEntry.query.filter_by(kind=AuditKind.REFUND).one().after["refunded"] == 50_000
    # Nothing is left to give back: a second post is refused.
    assert refund(cashier_client, order, path="refund-extra", **fields).status_code == 303
    assert count(Refund) == 1
