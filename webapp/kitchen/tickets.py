"""Kitchen tickets: made when an order is paid (or placed on a table's bill), one per
station that cooks any of its items, and shown on that station's display (what it
shows, and the light version its stream compares). How a station works through them,
and how the board's steps carry them along, is kitchen/steps.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Text, bindparam, case, insert, null, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..models import (
    BillStatus,
    KitchenTicket,
    MenuItem,
    Order,
    OrderItem,
    OrderStatus,
    OrderStatusChange,
    PaymentMethod,
    PrintState,
    Station,
    StationCategory,
    TableBill,
)

# While an order is in one of these, its unbumped tickets show on their stations (a
# pay-later order, on its table's bill, is cooked before it is paid).
COOKING = (OrderStatus.ON_BILL, OrderStatus.PAID, OrderStatus.PREPARING)
# An order reaching one of these goes to the kitchen: it gets its tickets.
TO_KITCHEN = (OrderStatus.ON_BILL, OrderStatus.PAID)


class LineIds(FunctionElement):
    """The ids of a ticket's order lines, comma-separated, in no particular order
    (`KitchenTicket.item_id_list` sorts them): `string_agg` on PostgreSQL, `group_concat`
    on SQLite, so one statement serves both."""

    type = Text()
    inherit_cache = True


@compiles(LineIds)
def _line_ids_sqlite(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)}, ',')"


@compiles(LineIds, "postgresql")
def _line_ids_postgresql(element, compiler, **kw):
    return f"string_agg(CAST({compiler.process(element.clauses, **kw)} AS TEXT), ',')"


def print_columns(now) -> tuple:
    """A station's new print job's state and due time: queued, due `now`, where the
    station has a printer; else not needed."""
    printed = Station.printer != ""
    return (
        case((printed, PrintState.QUEUED.value), else_=PrintState.NOT_NEEDED.value),
        case((printed, now), else_=null()),
    )


def _tickets_statement():
    """The order's tickets in one INSERT ... SELECT, built once with the order and the
    time as parameters: one ticket per station that cooks any of its lines, queued for
    printing where the station has a printer; it returns each ticket's id and print
    state."""
    table = KitchenTicket.metadata.tables[KitchenTicket.__tablename__]  # `__table__` is typed as any FromClause
    order_id, now = (
        bindparam("p_order_id", type_=table.c.order_id.type),
        bindparam("p_now", type_=table.c.created_at.type),
    )
    return (
        insert(table)
        .from_select(
            ["order_id", "station_id", "item_ids", "created_at", "print_state", "print_due_at"],
            select(OrderItem.order_id, StationCategory.station_id, LineIds(OrderItem.id), now, *print_columns(now))
            .join(MenuItem, MenuItem.id == OrderItem.menu_item_id)
            .join(StationCategory, StationCategory.category_id == MenuItem.category_id)
            .join(Station, Station.id == StationCategory.station_id)
            .where(OrderItem.order_id == order_id)
            .group_by(OrderItem.order_id, StationCategory.station_id, Station.printer),
            # The other columns take the database's defaults, so that this INSERT can go
            # in one statement with the receipts' (webapp/printing/making.py).
            include_defaults=False,
        )
        .returning(table.c.id, table.c.print_state)
    )


TICKETS_STATEMENT = _tickets_statement()


def make_tickets(order_id: int, now: datetime) -> list[int]:
    """A just-paid order's tickets, written at once in one round trip (however the order
    was paid); returns the ids of those queued for printing."""
    rows = db.session.execute(TICKETS_STATEMENT, {"p_order_id": order_id, "p_now": now})
    return [ticket_id for ticket_id, print_state in rows if print_state == PrintState.QUEUED]


def orders_to_kitchen_in(rows: Iterable[object]) -> list[tuple[int, datetime]]:
    """The orders that a flush's new status-history rows send to the kitchen: paid, or
    placed on a table's bill (not a pay-later order whose bill was just paid: it went
    to the kitchen when it was placed)."""
    return [
        (row.order_id, row.created_at)
        for row in rows
        if isinstance(row, OrderStatusChange)
        and row.to_status in TO_KITCHEN
        and row.from_status in (None, OrderStatus.AWAITING_PAYMENT)
    ]


def cooked_unpaid(payment_method: str, bill_status: str | None) -> bool:
    """A pay-later order whose table's bill is not settled: the kitchen cooks it before
    it is paid, and its tickets say so."""
    return payment_method == PaymentMethod.BILL and bill_status != BillStatus.SETTLED


@dataclass(frozen=True)
class ShownTicket:
    ticket: KitchenTicket
    order: Order
    items: list[OrderItem]
    unpaid: bool = False  # see cooked_unpaid


def _waiting(station_id: int, *columns):
    """`columns` of a station's tickets still to cook, oldest order first, with their
    orders and their tables' bills (outer-joined) to select from."""
    return (
        select(*columns)
        .join(Order, Order.id == KitchenTicket.order_id)
        .outerjoin(TableBill, TableBill.id == Order.bill_id)
        .where(
            KitchenTicket.station_id == station_id,
            KitchenTicket.bumped_at.is_(None),
            Order.status.in_(COOKING),
        )
        .order_by(Order.created_at, Order.id)
    )


def waiting(station: Station) -> list[ShownTicket]:
    """A station's tickets still to cook, oldest order first, each with its order and
    whether it is still unpaid on its table's bill (3 queries: the tickets, their
    items, the items' options)."""
    rows = db.session.execute(_waiting(station.id, KitchenTicket, Order, TableBill.status)).all()
    wanted = {item_id for ticket, _order, _bill in rows for item_id in ticket.item_id_list}
    items = {
        item.id: item
        for item in db.session.scalars(
            select(OrderItem).where(OrderItem.id.in_(wanted)).options(selectinload(OrderItem.options))
        )
    }
    return [
        ShownTicket(
            ticket,
            order,
            [items[i] for i in ticket.item_id_list if i in items],
            cooked_unpaid(order.payment_method, bill_status),
        )
        for ticket, order, bill_status in rows
    ]


def shown_version(shown: list[ShownTicket]) -> str:
    """What a display shows, in short: changes when a ticket comes, starts or goes, or
    its order's bill is paid."""
    return _version((entry.ticket.id, entry.unpaid, entry.ticket.started_at is not None) for entry in shown)


def waiting_version(station_id: int) -> str:
    """`shown_version(waiting(station))` from one query of a few columns, loading no
    ticket, order or item: what a station's stream compares at every change."""
    rows = db.session.execute(
        _waiting(station_id, KitchenTicket.id, Order.payment_method, TableBill.status, KitchenTicket.started_at)
    )
    return _version(
        (ticket_id, cooked_unpaid(method, bill_status), started_at is not None)
        for ticket_id, method, bill_status, started_at in rows
    )


def _version(tickets: Iterable[tuple[int, bool, bool]]) -> str:
    """From each ticket's id, whether it is cooked unpaid and whether it was started."""
    return (
        "_".join(
            f"{ticket_id}{'u' if unpaid else ''}{'s' if started else ''}" for ticket_id, unpaid, started in tickets
        )
        or "0"
    )
