"""The state changes of a table's bill and its shares, exactly once, whatever races.

Every change to a bill starts with `lock_bill`: one conditional UPDATE that checks
what the change needs (open, split or not, locked or not) and raises the bill's
`version`. Its row lock (PostgreSQL; SQLite's writes are serial) makes every change to
one bill wait for the one before, so "is every share paid now?" is answered on
committed facts and a bill is settled exactly once. Lock order is always the bill,
then its payments and shares, so two changes to one bill never deadlock.

Shares and bills move through `transitions.transition` (the conditional UPDATE every
state change uses); each change is kept in the bill's history (`BillEvent`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update

from ..extensions import db
from ..models import (
    AttentionReason,
    BillEvent,
    BillEventKind,
    BillShare,
    BillStatus,
    ChangeReason,
    Order,
    OrderStatus,
    Payment,
    PaymentProvider,
    ShareStatus,
    TableBill,
)
from ..orders.state import move_order
from ..state import rows_matched, transition


def lock_bill(bill_id: int, now: datetime, *conditions: ColumnElement[bool], **values) -> bool:
    """Raise the bill's version (and set `values`) if it meets `conditions`; whether it
    did. Until the transaction ends, every other change to this bill waits."""
    return (
        rows_matched(
            update(TableBill)
            .where(TableBill.id == bill_id, *conditions)
            .values(version=TableBill.version + 1, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        == 1
    )


def event(bill_id: int, kind: BillEventKind, now: datetime, actor: str, **params) -> BillEvent:
    """A row of the bill's history; webapp/labels.py words it."""
    return BillEvent(bill_id=bill_id, kind=kind, actor=actor[:60], params=params or None, created_at=now)


def record(bill_id: int, kind: BillEventKind, now: datetime, actor: str, **params) -> None:
    """Append to the bill's history."""
    db.session.add(event(bill_id, kind, now, actor, **params))


def next_position(bill_id: int) -> int:
    """The number after the bill's last share that is not cancelled (a split chosen
    again starts from 1). The caller holds the bill's lock."""
    last = db.session.scalar(
        select(func.max(BillShare.position)).where(
            BillShare.bill_id == bill_id, BillShare.status != ShareStatus.CANCELLED
        )
    )
    return (last or 0) + 1


def pay_share(share: BillShare, method: PaymentProvider, now: datetime, actor: str) -> bool:
    """An open share becomes paid, exactly once, and the bill is settled if that was its
    last open share. The caller holds the bill's lock. False if the share was not open
    (paid another way, or cancelled): the caller records and flags the money."""
    if (
        transition(BillShare, share.id, [ShareStatus.OPEN], ShareStatus.PAID, now, paid_method=method, paid_at=now)
        is None
    ):
        return False
    record(
        share.bill_id,
        BillEventKind.SHARE_PAID,
        now,
        actor,
        share_id=share.id,  # a number is used again once its share is cancelled
        position=share.position,
        amount=share.amount,
        method=method,
    )
    _settle_if_covered(share.bill_id, now, actor)
    return True


def _settle_if_covered(bill_id: int, now: datetime, actor: str) -> None:
    """Settle a locked bill none of whose shares is left to pay (the shares sum to the
    bill, so the paid ones cover it)."""
    left = db.session.scalar(
        select(BillShare.id).where(BillShare.bill_id == bill_id, BillShare.status == ShareStatus.OPEN).limit(1)
    )
    if left is not None:
        return
    if transition(TableBill, bill_id, [BillStatus.OPEN], BillStatus.SETTLED, now, settled_at=now) is not None:
        total, table = db.session.execute(
            select(TableBill.total, TableBill.table_label).where(TableBill.id == bill_id)
        ).one()
        record(bill_id, BillEventKind.SETTLED, now, actor, total=total)
        _orders_paid(bill_id, table, now, actor)


# What settling a bill does to its orders: one still to cook is now paid like any
# paid order; one already served (ready) is done.
ON_SETTLING = {OrderStatus.ON_BILL: OrderStatus.PAID, OrderStatus.READY: OrderStatus.COMPLETED}


def _orders_paid(bill_id: int, table: str, now: datetime, actor: str) -> None:
    rows = db.session.execute(
        select(Order.id, Order.status).where(Order.bill_id == bill_id, Order.status.in_(ON_SETTLING))
    ).all()
    for order_id, status in rows:
        move_order(order_id, [status], ON_SETTLING[status], now, actor, ChangeReason.BILL_SETTLED, {"table": table})


def cancel_share(share: BillShare, now: datetime) -> bool:
    """An open share is dropped (the split changed, the rest is paid in one, the bill was
    closed); the caller holds the bill's lock and cancels its pending QR."""
    return transition(BillShare, share.id, [ShareStatus.OPEN], ShareStatus.CANCELLED, now) is not None


def flag_late_money(payment: Payment, share: BillShare, now: datetime, actor: str) -> None:
    """Money arrived for a share that no longer wanted it: kept (the payment is paid),
    and the bill is flagged for the cashier to refund or reconcile."""
    bill_status, share_status = db.session.execute(
        select(TableBill.status, BillShare.status)
        .join(BillShare, BillShare.bill_id == TableBill.id)
        .where(BillShare.id == share.id)
    ).one()
    params = {"position": share.position, "share_status": share_status, "bill_status": bill_status}
    flag_bill(share.bill_id, now, AttentionReason.PAID_FOR_CLOSED_SHARE, params)
    record(share.bill_id, BillEventKind.LATE_MONEY, now, actor, amount=payment.amount, **params)


def flag_bill(bill_id: int, now: datetime, reason: AttentionReason, params: dict) -> None:
    """The bill needs the cashier: money came that no share wanted, or not the amount asked."""
    lock_bill(bill_id, now, needs_attention=True, attention_reason=reason, attention_params=params)
