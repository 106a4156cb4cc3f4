"""The cashier's floor view: every active table with today's open orders on it and
its open bill (pay later), and the list of today's bills.

A table is busy while it has an open order of today (Asia/Jakarta) or an open bill;
its tile says how many orders, whether any is unpaid (awaiting payment, or on a bill
closed unpaid), how long the oldest has waited, and for an open bill its total, what is paid, how long it has been
open, whether it is being paid and whether money arrived late. The whole floor has a
version (a CRC of what it shows, minutes included), so a polling tablet is answered
204 while it is unchanged.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select

from ..bills.table_bills import BillTotals, bill_totals
from ..extensions import db
from ..models import BillStatus, DiningTable, Order, OrderStatus, OrderType, TableBill
from ..timeutil import jakarta_date, minutes_since
from .registry import all_tables

OPEN_STATUSES = [status for status in OrderStatus if not status.is_final]
STILL_COOKING = (OrderStatus.PAID, OrderStatus.PREPARING)


@dataclass(frozen=True)
class TableTile:
    table: DiningTable
    orders: list[Order]  # open, oldest first
    oldest_minutes: int
    bill: BillTotals | None = None  # the table's open bill
    bill_minutes: int = 0  # since the bill opened
    unpaid: int = 0  # orders awaiting payment, or on a bill closed unpaid (those on `bill` are its)
    late_money: bool = False  # a bill of the table, settled or closed, that money came for late

    @property
    def busy(self) -> bool:
        return bool(self.orders) or self.bill is not None

    @property
    def cooking(self) -> int:
        """Its orders the kitchen still has: paid and not ready yet."""
        return sum(1 for order in self.orders if order.status in STILL_COOKING)

    @property
    def clearable(self) -> bool:
        """The cashier may free the table (`clearing.clear_table`): it has orders, all
        served (ready) and paid, or on a bill the cashier closed, and no open bill."""
        return (
            bool(self.orders)
            and self.bill is None
            and not self.cooking
            and all(order.status != OrderStatus.AWAITING_PAYMENT for order in self.orders)
        )


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
    on_bills = {order.bill_id for order in orders if order.bill_id is not None}
    bills = bill_totals(
        or_(TableBill.business_date == today, TableBill.status == BillStatus.OPEN, TableBill.id.in_(on_bills))
    )
    by_table: dict[int, list[Order]] = {}
    for order in orders:
        by_table.setdefault(order.table_id or 0, []).append(order)
    tiles = [_tile(table, by_table.get(table.id, []), bills, now) for table in tables]
    listed = _todays(bills, today)
    return Floor(tiles, listed, _version(tiles, listed))


def _tile(table: DiningTable, orders: list[Order], bills: list[BillTotals], now: datetime) -> TableTile:
    bill = next((t for t in bills if t.bill.table_id == table.id and t.bill.status == BillStatus.OPEN), None)
    closed = {totals.bill.id for totals in bills if totals.bill.status == BillStatus.CLOSED}
    unpaid = sum(1 for order in orders if order.status == OrderStatus.AWAITING_PAYMENT or order.bill_id in closed)
    late = any(
        totals.bill.table_id == table.id and totals.bill.needs_attention and totals.bill.status != BillStatus.OPEN
        for totals in bills
    )
    return TableTile(
        table,
        orders,
        minutes_since(orders[0].created_at, now) if orders else 0,
        bill,
        minutes_since(bill.bill.opened_at, now) if bill else 0,
        unpaid,
        late,
    )


def _todays(bills: list[BillTotals], today: date) -> list[BillTotals]:
    """Today's bills and any still open: the open ones first (oldest first), then the
    others (latest change first)."""
    shown = [totals for totals in bills if totals.bill.business_date == today or totals.bill.status == BillStatus.OPEN]
    still_open = [totals for totals in shown if totals.bill.status == BillStatus.OPEN]
    done = [totals for totals in shown if totals.bill.status != BillStatus.OPEN]
    return still_open + sorted(done, key=lambda totals: totals.bill.updated_at, reverse=True)


def _bill_key(totals: BillTotals | None) -> str:
    if totals is None:
        return ""
    bill = totals.bill
    return f"{bill.id}.{bill.version}.{bill.status}.{totals.figures.total}.{totals.paid}.{bill.needs_attention}"


def _version(tiles: list[TableTile], bills: list[BillTotals]) -> str:
    key = "|".join(
        f"{tile.table.id}:{tile.table.label}:{tile.table.area}:{tile.oldest_minutes}:{tile.bill_minutes}:{tile.unpaid}:"
        + f"{tile.late_money}:"
        + ",".join(f"{order.id}.{order.status}" for order in tile.orders)
        + f":{_bill_key(tile.bill)}"
        for tile in tiles
    )
    key += "|" + ",".join(_bill_key(totals) for totals in bills)
    return f"{zlib.crc32(key.encode()):08x}"
