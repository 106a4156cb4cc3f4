"""Freeing a table when its guests have left.

The cashier's "Kosongkan meja": every order still open at the table is completed (the
guests ate and went) and the table is marked cleared, so phones that scanned its QR
before no longer order onto it (webapp/tables/visit.py). Refused while the table has
money to collect (an open bill, an order still awaiting payment) or food the kitchen has
not finished (a paid order not ready yet: clearing would take it off the stations).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from .. import clock
from ..bills.table_bills import open_bill_of
from ..extensions import db
from ..models import ChangeReason, DiningTable, Order, OrderStatus, OrderType
from ..orders.state import move_order
from ..state import IllegalTransition, commit_and_publish

# What a cleared table's orders may be in: ready (served or collected), or on a bill the
# cashier closed unpaid. Awaiting payment, paid or preparing refuse the clearing.
CLEARED_FROM = (OrderStatus.READY, OrderStatus.ON_BILL)
NOT_YET = (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PREPARING)


def open_orders_of(table_id: int) -> list[Order]:
    """The dine-in orders still open at the table, oldest first."""
    return list(
        db.session.scalars(
            select(Order)
            .where(
                Order.table_id == table_id,
                Order.order_type == OrderType.DINE_IN,
                Order.status.in_([*CLEARED_FROM, *NOT_YET]),
            )
            .order_by(Order.created_at, Order.id)
        )
    )


def clear_table(table: DiningTable, actor: str, now: datetime | None = None) -> list[Order]:
    """The guests have left: complete the table's open orders and unseat its phones.
    Returns the orders completed."""
    now = now or clock.now()
    if open_bill_of(table.id) is not None:
        raise IllegalTransition(
            _("Meja %(table)s masih punya tagihan terbuka: terima pembayarannya atau tutup dulu.", table=table.label)
        )
    orders = open_orders_of(table.id)
    unpaid = next((order for order in orders if order.status == OrderStatus.AWAITING_PAYMENT), None)
    if unpaid is not None:
        raise IllegalTransition(
            _("Pesanan %(number)s di Meja %(table)s belum dibayar.", number=unpaid.number, table=table.label)
        )
    cooking = next((order for order in orders if order.status in NOT_YET), None)
    if cooking is not None:
        raise IllegalTransition(
            _("Pesanan %(number)s di Meja %(table)s belum selesai dimasak.", number=cooking.number, table=table.label)
        )
    params = {"table": table.label}
    completed = [
        order
        for order in orders
        if move_order(order.id, [order.status], OrderStatus.COMPLETED, now, actor, ChangeReason.TABLE_CLEARED, params)
    ]
    db.session.execute(
        update(DiningTable)
        .where(DiningTable.id == table.id)
        .values(cleared_at=now)
        .execution_options(synchronize_session=False)
    )
    commit_and_publish(table, *completed)
    return completed
