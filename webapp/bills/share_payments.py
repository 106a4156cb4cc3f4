"""Paying a share of a table's bill: by its own QRIS on its payer's phone, or in cash
at the counter (a share, or everything left in one). A share is paid at most once;
money that arrives for it later (a second QR, a QR of a cancelled share) is kept and
flagged. A share's payment is a `Payment` like any: this module asks the payments
domain to create, pay and cancel it, and is the payee payments tell when a share's QR
is paid (`SHARE_PAYEE`, registered by the bills package).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models import AttentionReason, BillShare, EventNote, Payment, PaymentProvider, ShareStatus, TableBill
from ..payments.cash import cash_payment
from ..payments.duitku import is_qris_amount
from ..payments.paying import Payee
from ..payments.qris_payments import Payer, PaymentNotAllowed, open_qris, payable_payment_of
from ..payments.state import cancel_pending_payments
from ..state import IllegalTransition, commit_and_publish
from . import bill_splits, bill_state


def share_label(share: BillShare) -> str:
    """How Duitku's payment page and the e-wallet name what is paid."""
    return f"Meja {share.bill.table_label} bagian {share.position}"


def create_share_qris(share: BillShare, now: datetime | None = None, payer: Payer | None = None) -> Payment:
    """A QRIS payment of an open share of a bill being paid; a still-valid pending QR of
    the share is reused (two phones on one share see one QR).

    The payment is stored under the bill's lock, so a split cancelled at the same moment
    cancels it too. Raises PaymentNotAllowed when the share cannot be paid by QRIS (paid,
    cancelled, the split not locked, under Duitku's minimum), QrisUnavailable when
    Duitku fails."""
    now = now or clock.now()
    if not is_qris_amount(share.amount):
        raise PaymentNotAllowed("the share is outside Duitku's QRIS amounts")
    existing = payable_payment_of(share.payments, now)
    if existing is not None and share.status == ShareStatus.OPEN:
        return existing
    bill = share.bill
    if not bill_state.lock_bill(bill.id, now, bill_splits.IS_OPEN, bill_splits.LOCKED):
        db.session.rollback()
        raise PaymentNotAllowed("the bill is not being paid")
    db.session.refresh(share)
    if share.status != ShareStatus.OPEN:
        db.session.rollback()
        raise PaymentNotAllowed("the share is not open")
    payment = Payment(
        share_id=share.id,
        amount=share.amount,
        merchant_order_id=f"WRS-{bill.business_date:%Y%m%d}-{secrets.token_hex(6)}",
    )
    open_qris(
        payment,
        now,
        payer or Payer(share.payer_name or f"Meja {bill.table_label}"),
        share_label(share),
        actor="customer",
        return_path=f"/shares/{share.public_id}",
    )
    commit_and_publish(payment, share)
    return payment


def confirm_share_cash(share: BillShare, tendered: int, actor: str, now: datetime | None = None) -> Payment:
    """The cashier took `tendered` rupiah for one share."""
    payment = _take_cash(share, tendered, actor, now or clock.now())
    commit_and_publish(share, payment)
    return payment


def take_cash_for_rest(bill: TableBill, tendered: int, actor: str, now: datetime | None = None) -> Payment:
    """The cashier took `tendered` rupiah for all that is left of the bill, however it
    was being split: what is left becomes one share, paid in cash (one transaction)."""
    now = now or clock.now()
    payment = _take_cash(bill_splits.rest_share(bill, now, actor), tendered, actor, now)
    commit_and_publish(bill, payment)
    return payment


def _take_cash(share: BillShare, tendered: int, actor: str, now: datetime) -> Payment:
    bill = share.bill
    if not bill_state.lock_bill(bill.id, now, bill_splits.IS_OPEN, bill_splits.LOCKED):
        raise bill_splits.refuse(bill)
    db.session.refresh(share)
    if tendered < share.amount:
        db.session.rollback()
        raise IllegalTransition(_("Uang diterima kurang dari total."))
    if not bill_state.pay_share(share, PaymentProvider.CASH, now, actor):
        db.session.rollback()
        db.session.refresh(share)
        raise IllegalTransition(
            _("Bagian %(position)s sudah %(status)s.", position=share.position, status=share.status.label)
        )
    cancel_pending_payments(share.payments, now, actor, EventNote.SWITCHED_TO_CASH)
    cash = {"tendered": tendered, "change": tendered - share.amount}
    return cash_payment(share.amount, cash, actor, now, share_id=share.id)


def _share_paid(payment: Payment, _previous: str, now: datetime, actor: str) -> bool:
    """A paid QR's share becomes paid (settling the bill if it was the last); a late
    success still pays a share nobody has paid yet: that is what it was for. True (flag
    the payment's event) when the share was already paid or cancelled: the bill is
    flagged for the cashier."""
    share = payment.share
    if share is None:  # never: `pays_for` says it has one
        return False
    if bill_state.pay_share(share, PaymentProvider.DUITKU, now, actor):
        return False
    bill_state.flag_late_money(payment, share, now, actor)
    return True


def _lock_the_bill(payment: Payment, now: datetime) -> None:
    """The bill first: its lock orders every change to the bill's payments."""
    if payment.share is not None:
        bill_state.lock_bill(payment.share.bill_id, now)


def _amount_mismatch(payment: Payment, now: datetime, mismatch: dict) -> None:
    if payment.share is not None:
        bill_state.flag_bill(payment.share.bill_id, now, AttentionReason.AMOUNT_MISMATCH, mismatch)


SHARE_PAYEE = Payee(
    pays_for=lambda payment: payment.share_id is not None,
    paid=_share_paid,
    amount_mismatch=_amount_mismatch,
    lock=_lock_the_bill,
)
