"""Discounts staff give by hand, at the till or on the cashier's order page: a percentage
or rupiah off a line or the order, with a reason. One above a limit (DISCOUNT_APPROVAL_
PERCENT, 20%, or taking more than DISCOUNT_APPROVAL_AMOUNT, Rp50.000, off) needs a
manager's approval on the same device (staff/approvals.py); every one is kept in the
audit trail with who gave it and who approved it, in the transaction that gives it to
the order.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from .. import audit
from ..billing.bill import Discount
from ..formatting import rupiah
from ..models import AuditKind, DiscountKind, DiscountSource, OrderDiscount
from .given import Given


def needs_approval(discount: Discount, off: int) -> bool:
    """Whether a manager must approve it: above the percentage, or above the rupiah it
    takes off (`off`), as configured."""
    percent_limit = current_app.config["DISCOUNT_APPROVAL_PERCENT"] * 100
    above_percent = discount.kind == DiscountKind.PERCENT and discount.value > percent_limit
    return above_percent or off > current_app.config["DISCOUNT_APPROVAL_AMOUNT"]


def nothing_to_pay() -> str:
    """Why discounts (staff's, a voucher) may not take an order to Rp0: a payment is
    always of some rupiah, and an order nobody pays for is one cancelled with its reason."""
    return _("Diskon tidak boleh membuat total Rp0: kurangi diskonnya.")


def approval_lapsed(row: OrderDiscount) -> str | None:
    """Why staff's discount `row`, given without a manager, may not be placed as it now
    stands: lines added since it was given made it take more off than the limit."""
    if (
        row.source != DiscountSource.MANUAL
        or row.approver
        or not needs_approval(Discount(row.kind, row.value), row.amount)
    ):
        return None
    return _(
        "Diskon '%(reason)s' sekarang memotong %(amount)s, di atas batas tanpa manajer: hapus, lalu berikan lagi.",
        reason=row.label,
        amount=rupiah(row.amount),
    )


def beyond(discount: Discount, base: int, on_line: bool) -> str | None:
    """Why it cannot be given off `base` rupiah (a line's, or the order's), if it cannot:
    an amount of rupiah above it."""
    if discount.kind == DiscountKind.AMOUNT and discount.value > base:
        if on_line:
            return _("Potongan lebih besar dari harga barisnya (%(amount)s).", amount=rupiah(base))
        return _("Potongan lebih besar dari total pesanan (%(amount)s).", amount=rupiah(base))
    return None


def by_staff(discount: Discount, reason: str, actor: str, approver: str = "") -> Given:
    return Given(DiscountSource.MANUAL, discount, reason, actor, approver)


def record(row: OrderDiscount, subject: str, line: str, now: datetime) -> None:
    """The audit row of staff's discount `row` on the order `subject` ("Pesanan A-012"),
    on its `line` (the item's name; "" for the whole order)."""
    after = {"line": line, "kind": row.kind.value, "value": row.value, "amount": row.amount}
    audit.record(AuditKind.DISCOUNT, row.given_by, subject, after=after, approver=row.approver, note=row.label, now=now)
