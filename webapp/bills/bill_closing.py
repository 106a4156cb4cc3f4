"""The cashier's changes to a table's bill: closing it unpaid (walk-out, comped),
moving an order to another table, and clearing the flag of money that arrived late.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from .. import audit, clock
from ..extensions import db
from ..models import (
    AuditKind,
    BillEventKind,
    BillStatus,
    ChangeReason,
    CloseReason,
    DiningTable,
    Order,
    OrderItem,
    OrderStatus,
    OrderType,
    ShareClaim,
    TableBill,
)
from ..orders.state import note_order_change
from ..state import IllegalTransition, commit_and_publish, rows_matched, transition
from . import bill_splits, bill_state, open_bills
from .table_bills import bill_view, open_bill_of


def close_bill(bill: TableBill, reason: CloseReason, note: str, actor: str, now: datetime | None = None) -> None:
    """Close an open bill that will not be paid (in full): shares still to pay are
    cancelled with their QRs; paid shares stay paid. Kept in the bill's history."""
    now = now or clock.now()
    bill_splits.lock_open(bill, now)
    view = bill_view(bill)
    bill_splits.drop_open_shares(bill, view, now, actor)
    _close(bill.id, reason, note, actor, now)
    audit.record(
        AuditKind.BILL_CLOSED,
        actor,
        f"Meja {bill.table_label}",
        before={"total": view.figures.total, "paid": view.paid},
        after={"reason": reason},
        note=note,
        now=now,
    )
    commit_and_publish(bill)


def _close(bill_id: int, reason: CloseReason, note: str, actor: str, now: datetime) -> None:
    note = " ".join(note.split())[:200]
    transition(
        TableBill,
        bill_id,
        [BillStatus.OPEN],
        BillStatus.CLOSED,
        now,
        record=lambda _open: bill_state.event(bill_id, BillEventKind.CLOSED, now, actor, reason=reason, note=note),
        close_reason=reason,
        close_note=note,
        closed_by=actor[:60],
        closed_at=now,
    )


def movable(order: Order) -> bool:
    """An open dine-in order can move to another table."""
    return not order.status.is_final and order.order_type == OrderType.DINE_IN


def move_order(order: Order, table: DiningTable, actor: str, now: datetime | None = None) -> None:
    """An open dine-in order moves to `table`. On a bill, it moves to that table's open
    bill (opened if it has none), taking its lines out of any item split; neither bill
    may be being paid. A bill left with no order is closed."""
    now = now or clock.now()
    if not movable(order) or not table.active:
        raise IllegalTransition(_("Pesanan %(number)s tidak bisa pindah meja.", number=order.number))
    if order.table_id == table.id:
        return
    source = order.bill
    from_label = order.table_label
    target = None
    if source is not None:
        target = _lock_both(source, open_bill_of(table.id), now)
        target = target or open_bills.bill_for_order(table, now, actor)
        if target is None:
            raise bill_splits.refuse(source)
        items = select(OrderItem.id).where(OrderItem.order_id == order.id).scalar_subquery()
        db.session.execute(delete(ShareClaim).where(ShareClaim.order_item_id.in_(items)))
    db.session.execute(
        update(Order)
        .where(Order.id == order.id)
        .values(table_id=table.id, table_label=table.label, bill_id=target.id if target else None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    params = {"from_table": from_label, "to_table": table.label}
    note_order_change(order.id, order.status, now, actor, ChangeReason.MOVED_TABLE, params)
    audit.record(
        AuditKind.ORDER_MOVED,
        actor,
        f"Pesanan {order.number}",
        before={"table": from_label},
        after={"table": table.label},
        now=now,
    )
    if source is not None and target is not None:
        bill_state.record(source.id, BillEventKind.ORDER_MOVED_OUT, now, actor, number=order.number, **params)
        bill_state.record(target.id, BillEventKind.ORDER_MOVED_IN, now, actor, number=order.number, **params)
        if not _has_orders(source.id):
            bill_splits.drop_open_shares(source, bill_view(source), now, actor)  # joined an item split
            _close(source.id, CloseReason.EMPTIED, "", actor, now)
    commit_and_publish(order)


def _lock_both(source: TableBill, target: TableBill | None, now: datetime) -> TableBill | None:
    """Lock the two bills (lowest id first, so two moves the other way never deadlock),
    both open and not being paid; refuse otherwise. The target, if it exists."""
    for bill in sorted((bill for bill in (source, target) if bill is not None), key=lambda bill: bill.id):
        bill_splits.lock_open(bill, now, bill_splits.UNLOCKED)
    return target


def _has_orders(bill_id: int) -> bool:
    return (
        db.session.scalar(
            select(Order.id).where(Order.bill_id == bill_id, Order.status != OrderStatus.CANCELLED).limit(1)
        )
        is not None
    )


def resolve_attention(bill: TableBill, actor: str, now: datetime | None = None) -> None:
    """The cashier has dealt with money that arrived late (refunded, or kept)."""
    now = now or clock.now()
    resolved = rows_matched(
        update(TableBill)
        .where(TableBill.id == bill.id, TableBill.needs_attention)
        .values(needs_attention=False, version=TableBill.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if resolved:
        bill_state.record(bill.id, BillEventKind.ATTENTION_RESOLVED, now, actor)
    commit_and_publish(bill)
