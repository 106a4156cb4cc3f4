"""What the live part of a share's payment page shows, in the order page's terms
(`orders.tracking`): a QR to scan, a QR expired or unavailable, paid or cancelled."""

from __future__ import annotations

from datetime import datetime

from ..models import BillShare, PaymentStatus, ShareStatus
from ..orders.tracking import POLL_KITCHEN, POLL_SECONDS, DisplayState, LiveView
from ..payments import qr
from ..payments.qris_payments import payable_qr


def share_state(share: BillShare, now: datetime) -> DisplayState:
    if share.status == ShareStatus.PAID:
        return DisplayState.PAID
    if share.status == ShareStatus.CANCELLED:
        return DisplayState.CANCELLED
    payment = share.current_payment
    if payment is None:
        return DisplayState.AWAITING_CASH  # no QR asked for yet: QRIS here, or cash at the counter
    if payable_qr(payment, now) is not None:
        return DisplayState.QRIS_PENDING
    if payment.status == PaymentStatus.FAILED:
        return DisplayState.QRIS_UNAVAILABLE
    return DisplayState.QRIS_EXPIRED


def share_live_view(share: BillShare, now: datetime) -> LiveView:
    state = share_state(share, now)
    payment = share.current_payment
    payable = payable_qr(payment, now) if payment is not None and state == DisplayState.QRIS_PENDING else None
    final = share.status != ShareStatus.OPEN
    return LiveView(
        state=state,
        version=f"{state}.{payment.public_id if payment else '-'}.{payment.status if payment else '-'}",
        poll_seconds=None if final else POLL_SECONDS.get(state, POLL_KITCHEN),
        payment=payment if payable else None,
        qr_svg=qr.inline_svg(payable.qr_string, f"Kode QRIS meja {share.bill.table_label}") if payable else None,
        seconds_left=payable.seconds_left(now) if payable else 0,
    )
