"""The cashier's floor view: every active table with today's open orders on it and
its open bill (pay later), and the list of today's bills.

A table is busy while it has an open order of today (Asia/Jakarta) or an open bill;
its tile says how many orders, whether any still waits for payment, how long the
oldest has waited, and for an open bill its total, what is paid, how long it has been
open, whether it is being paid and whether money arrived late. The whole floor has a
version (a CRC of what it shows, minutes included), so a polling tablet is answered
204 while it is unchanged.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from ..billing.table_bills import BillTotals, bill_totals
from ..extensions import db
from ..models import BillStatus, DiningTable, Order, OrderStatus, OrderType, TableBill
from ..timeutil import jakarta_date, minutes_since
from .registry import all_tables

OPEN_STATUSES = [status for status in OrderStatus if not status.is_final]


@dataclass(frozen=True)
class TableTile:
    table: DiningTable
    orders: list[Order]  # open, oldest first
    oldest_minutes: int
    bill: BillTotals | None = None  # the table's open bill
    bill_minutes: int = 0  # since the bill opened

    @property
    def busy(self) -> bool:
        return bool(self.orders) or self.bill is not None

    @property
    def unpaid(self) -> int:
        return sum(1 for order in self.orders if order.status == OrderStatus.AWAITING_PAYMENT)


@dataclass(frozen=True)
class Floor:
    tiles: list[TableTile]
    bills: list[BillTotals]  # today's, open ones first (oldest first), then the rest (latest first)
    version: str


def floor(now: datetime) -> Floor:
    """Active tables in floor order, each with its open orders of today and its open
    bill, and today's bills (3 queries)."""
    today = jakarta_date(now)
    tables = all_tables(active_only=True)
    orders = db.session.scalars(
        select(Order)
        .where(
            Order.business_date == today,
            Order.order_type == OrderType.DINE_IN,
            Order.table_id.in_([table.id for table in tables]),
            Order.status.in_(OPEN_STATUSES),
        )
        .order_by(Order.created_at, Order.id)
    ).all()
    bills = bill_totals(or_(TableBill.business_date == today, TableBill.status == BillStatus.OPEN))
    open_bills = {totals.bill.table_id: totals for totals in bills if totals.bill.status == BillStatus.OPEN}
    by_table: dict[int, list[Order]] = {}
    for order in orders:
        by_table.setdefault(order.table_id or 0, []).append(order)
    tiles = []
    for table in tables:
        open_orders = by_table.get(table.id, [])
        oldest = minutes_since(open_orders[0].created_at, now) if open_orders else 0
        bill = open_bills.get(table.id)
        open_for = minutes_since(bill.bill.opened_at, now) if bill else 0
        tiles.append(TableTile(table, open_orders, oldest, bill, open_for))
    listed = [totals for totals in bills if totals.bill.status == BillStatus.OPEN] + sorted(
        (totals for totals in bills if totals.bill.status != BillStatus.OPEN),
        key=lambda totals: totals.bill.updated_at,
        reverse=True,
    )
    return Floor(tiles, listed, _version(tiles, listed))


def _bill_key(totals: BillTotals | None) -> str:
    if totals is None:
        return ""
    bill = totals.bill
    return f"{bill.id}.{bill.version}.{bill.status}.{totals.figures.total}.{totals.paid}.{bill.needs_attention}"


def _version(tiles: list[TableTile], bills: list[BillTotals]) -> str:
    key = "|".join(
        f"{tile.table.id}:{tile.table.label}:{tile.table.area}:{tile.oldest_minutes}:{tile.bill_minutes}:"
        + ",".join(f"{order.id}.{order.status}" for order in tile.orders)
        + f":{_bill_key(tile.bill)}"
        for tile in tiles
    )
    key += "|" + ",".join(_bill_key(totals) for totals in bills)
    return f"{zlib.crc32(key.encode()):08x}"
