"""The receipt of a settled table bill (pay later): every order of the sitting, its
figures as fixed when its split was locked, and one payment per share (QRIS with the
payer's issuer, or cash with what was tendered and the change)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..billing.receipts import Receipt, first_staff, make_receipt, paid_by, paid_payment
from ..models import BillStatus, EventNote, ShareStatus, TableBill
from .table_bills import bill_view, stored_figures


def bill_receipt_for(bill: TableBill) -> Receipt | None:
    """The receipt of a settled table bill: every order of the sitting, one payment per share."""
    if bill.status != BillStatus.SETTLED:
        return None
    view = bill_view(bill)
    paid_shares = [share for share in bill.shares if share.status == ShareStatus.PAID]
    payments, staff = [], []
    for share in paid_shares:
        payment = paid_payment(share.payments)
        if payment is None:
            continue
        cash_event = next((e for e in payment.events if e.note == EventNote.CASH_RECEIVED), None)
        who = " · ".join(part for part in (_("Bagian %(position)s", position=share.position), share.payer_name) if part)
        payments.append(paid_by(payment, (cash_event.note_params or {}) if cash_event else {}, who))
        staff += [cash_event.actor] if cash_event else []
    return make_receipt(
        public_id=bill.public_id,
        number=_("Meja %(table)s", table=bill.table_label),
        place=_("Meja %(table)s", table=bill.table_label),
        name=", ".join(dict.fromkeys(order.customer_name for order in view.orders)),
        items=[item for order in view.orders for item in order.items],
        note="",
        bill=stored_figures(bill, bill.total),
        paid_at=bill.settled_at or bill.updated_at,
        payments=payments,
        cashier=first_staff(staff),
        discounts=[discount for order in view.orders for discount in order.discounts],
    )
