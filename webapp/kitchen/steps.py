"""Working through kitchen tickets: a station starts its ticket ("Mulai masak") or bumps
it when done ("Selesai"), and may take a bump back within UNDO_SECONDS.

One flow with the board's kitchen steps (paid -> preparing -> ready -> completed): the
first station to start or bump moves the order to preparing, so the customer's page
says it is being cooked; the last station to bump moves it to ready. The cashier's
board shows each station's progress on the order's card and may still step the order
itself (a station without a screen): its start starts every station's waiting part
too (`step_order`), so the stations and the card agree with the order. Every move goes
through `orders.state.move_order`, the conditional update the board uses, so a
cashier's tap and a bump never both win; a ticket's own step that leaves the order's
status as it was still touches the order, so the board's card (whose version is the
order's `updated_at`) shows the progress. Steps on one order's tickets are serialised
by locking the order's row (`FOR UPDATE`, a no-op on SQLite, whose writes are serial
anyway): of two stations bumping at once, the second sees the first's bump and is the
one that moves the order. Orders with no station's items (or paid before stations
existed) keep the board's steps only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, literal, or_, select, update

from ..extensions import db
from ..live import feed
from ..models import ChangeReason, KitchenTicket, Order, OrderStatus, Station
from ..orders.lifecycle import advance_order
from ..orders.state import move_order, note_order_change
from ..state import IllegalTransition, commit_and_publish, rows_matched
from .tickets import COOKING, TO_KITCHEN

# How long a station may take back its bump ("Batalkan selesai"), counted by the app's clock.
UNDO_SECONDS = 30


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
