"""The cashier's floor view: every active table with today's open orders on it.

A table is busy while it has an open order of today (Asia/Jakarta); its tile says how
many, whether any still waits for payment, and how long the oldest has waited. The
whole floor has a version (a CRC of what the tiles show, minutes included), so a
polling tablet is answered 204 while it is unchanged.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import DiningTable, Order, OrderStatus, OrderType
from ..timeutil import jakarta_date
from .registry import all_tables

OPEN_STATUSES = [status for status in OrderStatus if not status.is_final]


@dataclass(frozen=True)
class TableTile:
    table: DiningTable
    orders: list[Order]  # open, oldest first
    oldest_minutes: int

    @property
    def busy(self) -> bool:
        return bool(self.orders)

    @property
    def unpaid(self) -> int:
        return sum(1 for order in self.orders if order.status == OrderStatus.AWAITING_PAYMENT)


@dataclass(frozen=True)
class Floor:
    tiles: list[TableTile]
    version: str


def _minutes(since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds() // 60))


def floor(now: datetime) -> Floor:
    """Active tables in floor order, each with its open orders of today (2 queries)."""
    tables = all_tables(active_only=True)
    orders = db.session.scalars(
        select(Order)
        .where(
            Order.business_date == jakarta_date(now),
            Order.order_type == OrderType.DINE_IN,
            Order.table_id.in_([table.id for table in tables]),
            Order.status.in_(OPEN_STATUSES),
        )
        .order_by(Order.created_at, Order.id)
    ).all()
    by_table: dict[int, list[Order]] = {}
    for order in orders:
        by_table.setdefault(order.table_id or 0, []).append(order)
    tiles = []
    for table in tables:
        open_orders = by_table.get(table.id, [])
        oldest = _minutes(open_orders[0].created_at, now) if open_orders else 0
        tiles.append(TableTile(table, open_orders, oldest))
    return Floor(tiles, _version(tiles))


def _version(tiles: list[TableTile]) -> str:
    key = "|".join(
        f"{tile.table.id}:{tile.table.label}:{tile.table.area}:{tile.oldest_minutes}:"
        + ",".join(f"{order.id}.{order.status}" for order in tile.orders)
        for tile in tiles
    )
    return f"{zlib.crc32(key.encode()):08x}"
