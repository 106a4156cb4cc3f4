"""The table a customer's phone is seated at, remembered in their session.

A scan of a table's QR seats the phone for that sitting: the session keeps the table,
the code it scanned and when. The phone stays seated while all of these hold:

- it scanned within TABLE_SESSION_HOURS, and the table still takes orders;
- the code it scanned is still the table's (a rotated code unseats every phone that
  scanned the old sticker);
- the sitting goes on: no bill of the table has been settled or closed since the scan,
  and the cashier has not cleared the table since. (The phone's sitting is the bill
  open at the scan, or the first one opened after it; whichever it is, its end comes
  after the scan, so a later sitting's guests never see the earlier phones.)

An order placed from the seat is remembered with it: when the cashier moves that order
to another table (the guests moved), the phone is seated there from then on.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import func, null, select

from ..extensions import db
from ..models import BillStatus, DiningTable, Order, OrderStatus, TableBill

SESSION_KEY = "seat"
OPEN_ORDER = [status for status in OrderStatus if not status.is_final]


@dataclass(frozen=True)
class Seat:
    table_id: int
    token: str  # the code scanned
    since: int  # milliseconds since the epoch
    order_id: int | None = None  # the latest order placed from this seat

    @property
    def since_time(self) -> datetime:
        return datetime.fromtimestamp(self.since / 1000, UTC)


def _milliseconds(now: datetime) -> int:
    return int(now.timestamp() * 1000)


def _seat_of(session: MutableMapping) -> Seat | None:
    raw = session.get(SESSION_KEY)
    if not isinstance(raw, dict):
        return None
    table_id, token, since, order_id = raw.get("table"), raw.get("token"), raw.get("since"), raw.get("order")
    if not (isinstance(table_id, int) and isinstance(token, str) and isinstance(since, int)):
        return None
    return Seat(table_id, token, since, order_id if isinstance(order_id, int) else None)


def _store(session: MutableMapping, seat: Seat) -> None:
    session[SESSION_KEY] = {"table": seat.table_id, "token": seat.token, "since": seat.since} | (
        {"order": seat.order_id} if seat.order_id is not None else {}
    )


def remember(session: MutableMapping, table: DiningTable, now: datetime) -> None:
    """A scan of the table's current code: the phone sits there from now on."""
    _store(session, Seat(table.id, table.token, _milliseconds(now)))


def note_order(session: MutableMapping, order: Order) -> None:
    """The seat's latest order, followed if the cashier moves it to another table."""
    seat = _seat_of(session)
    if seat is not None and order.table_id == seat.table_id:
        _store(session, Seat(seat.table_id, seat.token, seat.since, order.id))


def forget(session: MutableMapping) -> None:
    session.pop(SESSION_KEY, None)


def remembered(session: MutableMapping, now: datetime) -> DiningTable | None:
    """The table the phone is seated at now (see the module's docstring), in one query."""
    seat = _seat_of(session)
    if seat is None:
        return None
    hours = current_app.config["TABLE_SESSION_HOURS"]
    if _milliseconds(now) - seat.since > timedelta(hours=hours).total_seconds() * 1000:
        return None
    sitting_ended = (
        select(TableBill.id)
        .where(
            TableBill.table_id == DiningTable.id,
            TableBill.status != BillStatus.OPEN,
            func.coalesce(TableBill.settled_at, TableBill.closed_at) > seat.since_time,
        )
        .exists()
    )
    moved_to = (
        select(Order.table_id)
        .where(Order.id == seat.order_id, Order.table_id != DiningTable.id, Order.status.in_(OPEN_ORDER))
        .scalar_subquery()
        if seat.order_id is not None
        else null()
    )
    row = db.session.execute(
        select(DiningTable, sitting_ended, moved_to).where(DiningTable.id == seat.table_id)
    ).one_or_none()
    if row is None:
        return None
    table, ended, moved_to_table = row
    if moved_to_table is not None:
        return _follow(session, seat, moved_to_table, now)
    cleared = table.cleared_at is not None and table.cleared_at > seat.since_time
    if ended or cleared or table.token != seat.token or not table.active:
        return None
    return table


def _follow(session: MutableMapping, seat: Seat, table_id: int, now: datetime) -> DiningTable | None:
    """The cashier moved the seat's order to another table: the phone sits there now."""
    table = db.session.get(DiningTable, table_id)
    if table is None or not table.active:
        return None
    _store(session, Seat(table.id, table.token, _milliseconds(now), seat.order_id))
    return table
