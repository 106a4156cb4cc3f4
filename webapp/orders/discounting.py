"""Staff's discount on an order still waiting for its payment (the cashier's order page),
on one of its lines or on the whole order, replacing the one staff gave there before.

The order's figures are worked out again from what it keeps (billing/bill.py's rules):
its lines at menu prices, its promotions' rupiah as they were, each other discount as
it was given (a voucher's percentage again off what is left), at the order's own service
and tax rates, rounded as the shop rounds now. The new figures are one conditional
UPDATE through the kernel (the order is still awaiting payment, whatever raced it), kept
in its history; a QRIS asked for the old amount is cancelled (the customer's page offers
a new one; money that still arrives for it is recorded and flagged, as late money is);
the audit trail keeps who gave it and who approved it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flask_babel import gettext as _

from .. import clock
from ..billing.bill import Bill, BillRules, Discount, compute_bill, order_discounts
from ..billing.settings import current_rules
from ..discounts import manual
from ..discounts.given import Given
from ..extensions import db
from ..models import DiscountSource, Order, OrderDiscount, OrderItem, OrderStatus
from ..payments.state import cancel_pending_payments
from ..state import IllegalTransition, commit_and_publish
from .placing import bill_columns
from .state import lock_with_payments, refigure_order


def _staffs(row: OrderDiscount, item: OrderItem | None) -> bool:
    return row.source == DiscountSource.MANUAL and row.order_item is item


def _promoted(order: Order, item: OrderItem) -> int:
    """What the line costs after its promotion (its own discount is taken off that)."""
    return item.line_total - sum(
        row.amount for row in order.discounts if row.order_item is item and not _staffs(row, item)
    )


def too_late(order: Order) -> str:
    """Why the order can get no discount now (it is paid, cancelled or on a table's bill)."""
    return _(
        "Pesanan %(number)s %(status)s: diskon hanya untuk pesanan yang menunggu pembayaran.",
        number=order.number,
        status=order.status.label,
    )


def discountable(order: Order, item: OrderItem | None) -> int:
    """What a discount staff give there is taken off: the line after its promotion, or
    the order's lines after their own discounts and the order's other discounts."""
    if item is not None:
        return _promoted(order, item)
    kept = [row for row in order.discounts if not _staffs(row, None)]
    return sum(order_item.line_total for order_item in order.items) - sum(row.amount for row in kept)


def refigured(order: Order, rows: list[OrderDiscount]) -> list[OrderDiscount]:
    """`rows` with their rupiah worked out again, as billing/bill.py takes them off."""
    for item in order.items:
        promoted = _promoted(order, item)
        for row in rows:
            if _staffs(row, item):
                row.amount = Discount(row.kind, row.value).off(promoted)
    spend = sum(item.line_total for item in order.items) - sum(row.amount for row in rows if row.order_item)
    on_order = [row for row in rows if row.order_item is None]
    for row, off in zip(
        on_order, order_discounts(spend, [Discount(row.kind, row.value) for row in on_order]), strict=True
    ):
        row.amount = off
    return rows


def refigured_bill(order: Order, rows: list[OrderDiscount]) -> Bill:
    """The order's bill from its lines as they are now and its discounts `rows`, at its
    own service and tax rates, rounded as the shop rounds now."""
    lines = sum(line.line_total for line in order.items)
    rules = BillRules(order.bill_tax_rate, order.bill_service_rate, order.bill_mode)
    rounding = current_rules()
    rules = replace(rules, rounding_step=rounding.rounding_step, rounding_direction=rounding.rounding_direction)
    return compute_bill(lines, rules, discount=sum(row.amount for row in rows))


def discount_order(order: Order, item: OrderItem | None, given: Given, now: datetime | None = None) -> None:
    """Give `given` (staff's) on `item` (None: on the whole order): IllegalTransition if
    the order is no longer awaiting payment."""
    now = now or clock.now()
    if order.status != OrderStatus.AWAITING_PAYMENT or order.bill_id is not None:
        raise IllegalTransition(too_late(order))
    lock_with_payments(order)  # a discount at once (a double tap) or its QRIS paid meanwhile waits
    new = given.snapshot(0, now, item)
    rows = refigured(order, [*(row for row in order.discounts if not _staffs(row, item)), new])
    bill = refigured_bill(order, rows)
    if bill.total <= 0:
        db.session.rollback()
        raise IllegalTransition(manual.nothing_to_pay())
    params = {"amount": new.amount, "total": bill.total}
    if not refigure_order(order.id, now, given.given_by, params, bill_columns(bill)):
        db.session.rollback()
        db.session.refresh(order)
        raise IllegalTransition(too_late(order))
    order.discounts = rows
    cancel_pending_payments(order.payments, now, given.given_by)
    manual.record(new, order.number, item.name if item else "", now)
    commit_and_publish(order)
