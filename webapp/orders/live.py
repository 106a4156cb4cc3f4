"""What the live part of the order page shows, and how often it polls."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from ..models import Order, OrderStatus, Payment, PaymentMethod, PaymentStatus
from ..payments import qr
from ..payments.service import usable_qris

POLL_WAITING_FOR_QRIS = 2
POLL_WAITING_FOR_CASH = 3
POLL_KITCHEN = 5
POLL_QR_UNUSABLE = 5


@dataclass(frozen=True)
class LiveView:
    state: str  # which panel the template shows
    version: str  # changes whenever what the customer sees changes
    poll_seconds: int | None  # None: final, no polling
    payment: Payment | None
    qr_svg: Markup | None
    seconds_left: int


def _state(order: Order, qris_payment: Payment | None) -> str:
    if order.status != OrderStatus.AWAITING_PAYMENT.value:
        return order.status
    if order.payment_method == PaymentMethod.CASH.value:
        return "awaiting_cash"
    if qris_payment is not None:
        return "qris_pending"
    current = order.current_payment
    if current is None or current.status == PaymentStatus.FAILED.value:
        return "qris_unavailable"
    return "qris_expired"


POLL_SECONDS = {
    "qris_pending": POLL_WAITING_FOR_QRIS,
    "awaiting_cash": POLL_WAITING_FOR_CASH,
    "qris_unavailable": POLL_QR_UNUSABLE,
    "qris_expired": POLL_QR_UNUSABLE,
}


def live_view(order: Order, now: datetime) -> LiveView:
    payment = usable_qris(order, now)
    state = _state(order, payment)
    current = order.current_payment
    version = f"{state}.{current.public_id if current else '-'}.{current.status if current else '-'}"
    final = order.status_enum.is_final
    return LiveView(
        state=state,
        version=version,
        poll_seconds=None if final else POLL_SECONDS.get(state, POLL_KITCHEN),
        payment=payment,
        qr_svg=qr.inline_svg(payment.qr_string, f"Kode QRIS pesanan {order.number}") if payment else None,
        seconds_left=max(0, int((payment.expires_at - now).total_seconds())) if payment else 0,
    )
