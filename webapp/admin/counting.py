"""What the reports count as paid, so that a table's bill (pay later) counts once.

An order paid on its own counts on its own day with its own total and payments. A
table's bill counts on the bill's business day: its money is its shares' payments, by
the method each was paid with; its orders count as paid when the bill is settled, and
are worth the bill's total (rounded once for the sitting), never their own totals. A
bill closed unpaid (walk-out, comped) brings in only the shares actually paid, and its
orders are not paid orders.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from ..extensions import db
from ..models import BillShare, BillStatus, Order, OrderStatus, Payment, TableBill

PAID_STATUSES = [OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED]


def paid_alone(start: date, end: date) -> ColumnElement[bool]:
    """Orders of the days `start`..`end` paid on their own (not on a table's bill)."""
    return and_(Order.bill_id.is_(None), Order.business_date.between(start, end), Order.status.in_(PAID_STATUSES))


def settled_bills(start: date, end: date) -> ColumnElement[bool]:
    """Table bills of the days `start`..`end` paid in full."""
    return and_(TableBill.status == BillStatus.SETTLED, TableBill.business_date.between(start, end))


def paid_orders(start: date, end: date) -> ColumnElement[bool]:
    """Orders counted as paid on the days `start`..`end`: paid on their own (on the
    order's day), or on a table's bill settled (on the bill's day)."""
    on_settled_bill = Order.bill_id.in_(select(TableBill.id).where(settled_bills(start, end)))
    return or_(paid_alone(start, end), and_(on_settled_bill, Order.status != OrderStatus.CANCELLED))


def payments_of_day(day: date) -> ColumnElement[bool]:
    """Payments for the day's orders, or for shares of the day's table bills."""
    return or_(Order.business_date == day, TableBill.business_date == day)


def with_orders_and_bills(query: Select) -> Select:
    """`query` over payments, joined to the order or the bill share each pays."""
    return (
        query.outerjoin(Order, Payment.order_id == Order.id)
        .outerjoin(BillShare, Payment.share_id == BillShare.id)
        .outerjoin(TableBill, BillShare.bill_id == TableBill.id)
    )


def settled_bills_value(start: date, end: date) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(TableBill.total), 0)).where(settled_bills(start, end))))
