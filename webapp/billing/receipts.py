"""A paid order's receipt: who sold it, what, the bill as it was placed, and how it was paid.

The figures come from the order's stored bill (never recomputed), the merchant's address
and tax number from today's bill settings, the payment from the order's paid payment:
QRIS with the payer's issuer, or cash with what was tendered and the change (as the
cashier confirmed it, `ChangeReason.CASH_PAID`), and the cashier who took it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models import ChangeReason, Order, OrderStatus, Payment, PaymentProvider, PaymentStatus
from .bill import Bill, order_bill
from .settings import current_settings

PAID_STATUSES = (OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED)
STAFF_PREFIX = "cashier:"
PAPERS = ("58", "80", "a4")  # thermal rolls of 58 mm (32 characters) and 80 mm (48), or A4
DEFAULT_PAPER = "80"


@dataclass(frozen=True)
class Receipt:
    order: Order
    bill: Bill
    merchant_address: str
    merchant_tax_number: str
    paid_at: datetime
    by_cash: bool
    issuer: str  # QRIS: the payer's bank or e-wallet, when Duitku said
    tendered: int | None  # cash: what was handed over, and the change given
    change: int | None
    cashier: str  # the username of who took the money, or of the first staff member who handled it


def receipt_for(order: Order) -> Receipt | None:
    """The receipt of a paid order; None while it is unpaid (or was cancelled unpaid)."""
    payment = _paid_payment(order)
    if order.status not in PAID_STATUSES or payment is None:
        return None
    settings = current_settings()
    cash_change = next((c for c in order.history if c.reason == ChangeReason.CASH_PAID), None)
    cash = (cash_change.reason_params or {}) if cash_change else {}
    return Receipt(
        order=order,
        bill=order_bill(order),
        merchant_address=settings.merchant_address if settings else "",
        merchant_tax_number=settings.merchant_tax_number if settings else "",
        paid_at=payment.paid_at or payment.updated_at,
        by_cash=payment.provider == PaymentProvider.CASH,
        issuer=payment.payer_issuer_name or payment.payer_issuer_code,
        tendered=cash.get("tendered"),
        change=cash.get("change"),
        cashier=_cashier(order, cash_change.actor if cash_change else None),
    )


def paper_size(requested: str | None) -> str:
    return requested if requested in PAPERS else DEFAULT_PAPER


def _paid_payment(order: Order) -> Payment | None:
    return next((p for p in reversed(order.payments) if p.status == PaymentStatus.PAID), None)


def _cashier(order: Order, cash_actor: str | None) -> str:
    staff = [cash_actor] if cash_actor else []
    staff += [change.actor for change in order.history]
    return next((actor.removeprefix(STAFF_PREFIX) for actor in staff if actor.startswith(STAFF_PREFIX)), "")
