"""The "BATAL" tickets: when staff void lines (or a whole order) that a station already
has on its kitchen ticket, that station gets a ticket listing what was voided, made the
one way print jobs are made (webapp/printing/making.py: from the void's status-history
row, in the transaction of the void), shown on its display until bumped, and printed
on its printer (kitchen/printing.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, bindparam, cast, insert, literal, select, update

from ..extensions import db
from ..models import ChangeReason, KitchenTicket, OrderItem, OrderStatusChange, OrderVoidLine, Station, VoidTicket
from ..state import commit_and_publish, rows_matched
from . import steps
from .tickets import LineIds, print_columns


def _void_tickets_statement():
    """One INSERT ... SELECT: a BATAL ticket for each station whose kitchen ticket held
    any of the void's lines, queued for printing where the station has a printer."""
    table = VoidTicket.metadata.tables[VoidTicket.__tablename__]
    order_id, void_id, now = (
        bindparam("p_order_id", type_=table.c.order_id.type),
        bindparam("p_void_id", type_=table.c.void_id.type),
        bindparam("p_now", type_=table.c.created_at.type),
    )
    held = (literal(",") + KitchenTicket.item_ids + literal(",")).like(
        literal("%,") + cast(OrderVoidLine.item_id, String) + literal(",%")
    )
    return (
        insert(table)
        .from_select(
            ["order_id", "void_id", "station_id", "item_ids", "created_at", "print_state", "print_due_at"],
            select(
                KitchenTicket.order_id,
                void_id,
                KitchenTicket.station_id,
                LineIds(OrderVoidLine.item_id),
                now,
                *print_columns(now),
            )
            .join(Station, Station.id == KitchenTicket.station_id)
            .join(OrderVoidLine, (OrderVoidLine.void_id == void_id) & held)
            .where(KitchenTicket.order_id == order_id)
            .group_by(KitchenTicket.order_id, KitchenTicket.station_id, Station.printer),
            include_defaults=False,
        )
        .returning(table.c.id, table.c.print_state)
    )


VOID_TICKETS_STATEMENT = _void_tickets_statement()


def voided(change: OrderStatusChange | None) -> dict | None:
    """A void's history row makes its BATAL tickets."""
    if change is None or change.reason != ChangeReason.VOIDED or not change.reason_params:
        return None
    return {"p_void_id": change.reason_params["void"]}


def waiting(station: Station) -> list[VoidTicket]:
    """The station's BATAL tickets not yet bumped, oldest first."""
    return list(
        db.session.scalars(
            select(VoidTicket)
            .where(VoidTicket.station_id == station.id, VoidTicket.bumped_at.is_(None))
            .order_by(VoidTicket.id)
        )
    )


def _emptied(ticket: VoidTicket) -> KitchenTicket | None:
    """The station's own ticket for the order, not bumped, if voids left none of its
    lines on the order."""
    own = db.session.scalar(
        select(KitchenTicket).where(
            KitchenTicket.order_id == ticket.order_id,
            KitchenTicket.station_id == ticket.station_id,
            KitchenTicket.bumped_at.is_(None),
        )
    )
    if own is None or db.session.scalar(select(OrderItem.id).where(OrderItem.id.in_(own.item_id_list)).limit(1)):
        return None
    return own


def bump(ticket: VoidTicket, actor: str, now: datetime) -> bool:
    """The station has seen it: off its display, exactly once. True if this tap did.
    The station's own ticket for the order goes with it when nothing is left on it to
    cook (bumped as the station's "Selesai" would: the last one makes the order ready)."""
    bumped = rows_matched(
        update(VoidTicket)
        .where(VoidTicket.id == ticket.id, VoidTicket.bumped_at.is_(None))
        .values(bumped_at=now, bumped_by=actor[:60])
        .execution_options(synchronize_session=False)
    )
    if bumped == 1 and (emptied := _emptied(ticket)) is not None:
        steps.bump(emptied, actor, now)  # commits this bump with its own
    else:
        commit_and_publish(ticket)
    return bumped == 1
