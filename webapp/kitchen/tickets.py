"""Kitchen tickets: made when an order is paid (or placed on a table's bill), one per
station that cooks any of its items, and worked through on that station's display.

One flow with the board's kitchen steps (paid -> preparing -> ready -> completed): a
station starts its ticket ("Mulai masak") or bumps it when done ("Selesai"). The first
station to start or bump moves the order to preparing, so the customer's page says it
is being cooked; the last station to bump moves it to ready. The cashier's board shows
each station's progress on the order's card and may still step the order itself (a
station without a screen): its start starts every station's waiting part too
(`step_order`), so the stations and the card agree with the order. Every move goes through `orders.state.move_order`,
the conditional update the board uses, so a cashier's tap and a bump never both win;
a ticket's own step that leaves the order's status as it was still touches the order,
so the board's card (whose version is the order's `updated_at`) shows the progress.
Steps on one order's tickets are serialised by locking the order's row (`FOR UPDATE`,
a no-op on SQLite, whose writes are serial anyway): of two stations bumping at once,
the second sees the first's bump and is the one that moves the order. Orders with no
station's items (or paid before stations existed) keep the board's steps only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import Text, bindparam, case, func, insert, literal, null, or_, select, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..live import feed
from ..models import (
    BillStatus,
    ChangeReason,
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
from ..orders.lifecycle import advance_order
from ..orders.state import move_order, note_order_change
from ..state import IllegalTransition, commit_and_publish, rows_matched

# While an order is in one of these, its unbumped tickets show on their stations (a
# pay-later order, on its table's bill, is cooked before it is paid).
COOKING = (OrderStatus.ON_BILL, OrderStatus.PAID, OrderStatus.PREPARING)
# An order reaching one of these goes to the kitchen: it gets its tickets.
TO_KITCHEN = (OrderStatus.ON_BILL, OrderStatus.PAID)
# How long a station may take back its bump ("Batalkan selesai"), counted by the app's clock.
UNDO_SECONDS = 30


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


def _lock_order(order_id: int) -> None:
    db.session.execute(select(Order.id).where(Order.id == order_id).with_for_update())


def _order_follows(order_id: int, to: OrderStatus, allowed: tuple[OrderStatus, ...], actor: str, now: datetime) -> None:
    """The order moves to `to` if it is in `allowed`; else it is only touched (its card
    on the board shows the ticket's step)."""
    if move_order(order_id, allowed, to, now, actor) is None:
        _touch(order_id, now)


def _touch(order_id: int, now: datetime) -> None:
    """The order changes without a move: its card on the board shows it (the card's
    version is its `updated_at`)."""
    feed.order_changed(order_id)
    touch = update(Order).where(Order.id == order_id).values(updated_at=now)
    db.session.execute(touch.execution_options(synchronize_session=False))


def start(ticket: KitchenTicket, actor: str, now: datetime) -> bool:
    """The station begins cooking its part of the order, exactly once; the order is
    being prepared from now. True if this tap started it."""
    _lock_order(ticket.order_id)
    started = (
        rows_matched(
            update(KitchenTicket)
            .where(KitchenTicket.id == ticket.id, KitchenTicket.started_at.is_(None), KitchenTicket.bumped_at.is_(None))
            .values(started_at=now)
            .execution_options(synchronize_session=False)
        )
        == 1
    )
    if started:
        _order_follows(ticket.order_id, OrderStatus.PREPARING, TO_KITCHEN, actor, now)
    commit_and_publish(ticket)
    return started


def step_order(order: Order, to: OrderStatus, actor: str, now: datetime) -> None:
    """A kitchen step the board takes for the whole order (`lifecycle.advance_order`).
    Starting the order starts each station's part that still waits, so the stations
    stop offering "Mulai masak" and the card's chips say "dimasak", as the order does.
    The later steps need nothing of the tickets: a ready order is on no station. The
    order's row is locked first, as a station's tap locks it, so the two take turns; a
    refused step is undone whole (`refuse` rolls back), the tickets' start with it."""
    _lock_order(order.id)
    if to == OrderStatus.PREPARING:
        waiting = KitchenTicket.started_at.is_(None), KitchenTicket.bumped_at.is_(None)
        start_all = update(KitchenTicket).where(KitchenTicket.order_id == order.id, *waiting).values(started_at=now)
        db.session.execute(start_all.execution_options(synchronize_session=False))
    advance_order(order, to, actor, now)


def bump(ticket: KitchenTicket, actor: str, now: datetime) -> bool:
    """The station is done with its part of the order, exactly once. The order is being
    prepared while other stations still cook; when none is left, it is ready. True if
    this tap bumped."""
    _lock_order(ticket.order_id)
    started = func.coalesce(KitchenTicket.started_at, literal(now, KitchenTicket.started_at.type))
    bumped = (
        rows_matched(
            update(KitchenTicket)
            .where(KitchenTicket.id == ticket.id, KitchenTicket.bumped_at.is_(None))
            .values(bumped_at=now, bumped_by=actor[:60], started_at=started)
            .execution_options(synchronize_session=False)
        )
        == 1
    )
    if bumped:
        left = db.session.scalar(
            select(KitchenTicket.id).where(KitchenTicket.order_id == ticket.order_id, KitchenTicket.bumped_at.is_(None))
        )
        if left is None:
            _order_follows(ticket.order_id, OrderStatus.READY, COOKING, actor, now)
        else:
            _order_follows(ticket.order_id, OrderStatus.PREPARING, TO_KITCHEN, actor, now)
    commit_and_publish(ticket)
    return bumped


@dataclass(frozen=True)
class BumpedTicket:
    """A ticket its station bumped moments ago, which it may still take back."""

    ticket: KitchenTicket
    order: Order
    seconds_left: int


def undoable(station: Station, now: datetime) -> list[BumpedTicket]:
    """The station's tickets bumped within UNDO_SECONDS that `undo_bump` would take
    back, newest bump first (1 query, and 1 more for each whose order is ready)."""
    since = now - timedelta(seconds=UNDO_SECONDS)
    rows = db.session.execute(
        select(KitchenTicket, Order)
        .join(Order, Order.id == KitchenTicket.order_id)
        .where(
            KitchenTicket.station_id == station.id,
            KitchenTicket.bumped_at >= since,
            Order.status.in_((*COOKING, OrderStatus.READY)),
        )
        .order_by(KitchenTicket.bumped_at.desc(), KitchenTicket.id.desc())
    ).all()
    return [
        BumpedTicket(ticket, order, max(0, UNDO_SECONDS - int((now - ticket.bumped_at).total_seconds())))
        for ticket, order in rows
        if ticket.bumped_at is not None
        and not (order.status == OrderStatus.READY and _readied_by_someone_else(ticket, ticket.bumped_at))
    ]


def undo_bump(ticket: KitchenTicket, actor: str, now: datetime) -> None:
    """Take back a bump made by mistake ("Batalkan selesai"), within UNDO_SECONDS of it:
    the ticket is back on its station's display, and an order that this bump made
    ready is being prepared again (`move_order`, the board's conditional update). The
    order's history keeps who took it back, also when its status stays.

    Like `bump`, it first locks the order's row, so it runs one after the other with
    every other station's steps on the order; the board's and the bill's moves are
    conditional updates that the lock makes wait, and then find the order moved. It is
    refused (IllegalTransition, saying why) when the bump is older, was already taken
    back, or the order has been taken further since: made ready by another station's
    later bump or by the board, completed, cancelled. One function in this module, not
    a module of its own: it is the inverse of `bump`, on the same lock and rules.
    """
    _lock_order(ticket.order_id)
    number = ticket.order.number
    bumped_at, status = db.session.execute(
        select(KitchenTicket.bumped_at, Order.status)
        .join(Order, Order.id == KitchenTicket.order_id)
        .where(KitchenTicket.id == ticket.id)
    ).one()
    if bumped_at is None:
        raise _refused(_("%(number)s sudah kembali ke daftar.", number=number))
    if now - bumped_at > timedelta(seconds=UNDO_SECONDS):
        raise _refused(
            _(
                "%(number)s selesai lebih dari %(seconds)s detik lalu: tidak bisa dibatalkan lagi.",
                number=number,
                seconds=UNDO_SECONDS,
            )
        )
    if status not in (*COOKING, OrderStatus.READY):
        raise _refused(
            _("%(number)s sudah %(status)s: tidak bisa dibatalkan.", number=number, status=OrderStatus(status).label)
        )
    if status == OrderStatus.READY and _readied_by_someone_else(ticket, bumped_at):
        raise _refused(
            _(
                "%(number)s sudah ditandai siap oleh stasiun lain atau kasir: tidak bisa dibatalkan di sini.",
                number=number,
            )
        )
    unbumped = rows_matched(
        update(KitchenTicket)
        .where(KitchenTicket.id == ticket.id, KitchenTicket.bumped_at == bumped_at)
        .values(bumped_at=None, bumped_by="")
        .execution_options(synchronize_session=False)
    )
    if unbumped != 1:  # another tap took it back first
        raise _refused(_("%(number)s sudah kembali ke daftar.", number=number))
    station = {"station": ticket.station.name}
    if status == OrderStatus.READY:  # this bump made it ready, and the lock keeps it so
        move_order(
            ticket.order_id, (OrderStatus.READY,), OrderStatus.PREPARING, now, actor, ChangeReason.BUMP_UNDONE, station
        )
    else:
        note_order_change(ticket.order_id, status, now, actor, ChangeReason.BUMP_UNDONE, station)
        _touch(ticket.order_id, now)
    commit_and_publish(ticket)


def _readied_by_someone_else(ticket: KitchenTicket, bumped_at: datetime) -> bool:
    """A ready order was not made ready by this bump: another of its tickets was bumped
    after it (or at the same moment: in doubt, refuse), or is not bumped at all (the
    board made the order ready)."""
    other = db.session.scalar(
        select(KitchenTicket.id)
        .where(
            KitchenTicket.order_id == ticket.order_id,
            KitchenTicket.id != ticket.id,
            or_(KitchenTicket.bumped_at.is_(None), KitchenTicket.bumped_at >= bumped_at),
        )
        .limit(1)
    )
    return other is not None


def _refused(message: str) -> IllegalTransition:
    db.session.rollback()
    return IllegalTransition(message)
