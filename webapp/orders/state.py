"""An order's state changes and its status history.

An order moves through the transition kernel (`webapp.state.transition`: one
conditional UPDATE, exactly once whatever races), and every change, of its status or
not (how it is paid, its table, a flag handled), is a row of its status history, in the
same transaction. Every write to an order names it for the change feed
(`feed.order_changed`), so that what any process has cached about it is dropped at
commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..extensions import db
from ..live import feed
from ..models import AttentionReason, ChangeReason, Order, OrderStatus, OrderStatusChange, Payment, PaymentStatus
from ..state import IllegalTransition, transition


def move_order(
    order_id: int,
    allowed_from: Iterable[OrderStatus],
    to: OrderStatus,
    now: datetime,
    actor: str,
    reason: ChangeReason | None = None,
    reason_params: dict | None = None,
    where: Iterable = (),
) -> str | None:
    """An order transition (conditional, exactly once, on `where` too) and its status
    history row."""
    return transition(
        Order,
        order_id,
        allowed_from,
        to,
        now,
        record=lambda previous: _history(order_id, previous, to, now, actor, reason or "", reason_params),
        where=where,
    )


def refigure_order(
    order_id: int,
    now: datetime,
    actor: str,
    params: dict,
    figures: dict,
    *,
    status: OrderStatus = OrderStatus.AWAITING_PAYMENT,
    reason: ChangeReason = ChangeReason.DISCOUNTED,
) -> bool:
    """New figures (`figures`: its bill's columns) for an order still in `status` (by
    default awaiting payment), exactly once whatever raced it (False: it moved
    meanwhile), kept in its history with `reason` (a discount: `params` the rupiah off
    and the new total; a void: what was voided)."""
    moved = transition(
        Order,
        order_id,
        [status],
        status,
        now,
        record=lambda previous: _history(order_id, previous, status, now, actor, reason, params),
        **figures,
    )
    return moved is not None


# An order that took money may give some back (a cancelled one: money paid after it was cancelled).
REFUNDABLE = (OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED, OrderStatus.CANCELLED)


def paid_for(order_id: int):
    """What the order's payments brought (SQL: the paid ones' sum)."""
    paid = Payment.order_id == order_id, Payment.status == PaymentStatus.PAID
    return select(func.coalesce(func.sum(Payment.amount), 0)).where(*paid).scalar_subquery()


def add_refunded(order_id: int, amount: int, now: datetime, actor: str, params: dict) -> bool:
    """`amount` more given back of what the order was paid, exactly once whatever
    races: one conditional UPDATE (refunded + amount <= paid) that keeps its status,
    kept in its history (`params`: the amount, the method). False: that would pass what
    was paid (another refund came first), or the order took no money."""
    moved = transition(
        Order,
        order_id,
        REFUNDABLE,
        Order.status,  # it stays as it is
        now,
        record=lambda previous: _history(order_id, previous, previous, now, actor, ChangeReason.REFUNDED, params),
        where=[Order.refunded + amount <= paid_for(order_id)],
        refunded=Order.refunded + amount,
    )
    return moved is not None


def lock_with_payments(order: Order) -> None:
    """The order's payments' rows, then its own, are this transaction's until it ends, in
    the order a QRIS callback takes them (the payment, then the order: the other way
    round the two would deadlock on PostgreSQL; SQLite writes one at a time anyway);
    then read as they are, its lines and discounts too. For a change worked out from
    what the order holds (a void, a discount) that must not race its payment or
    another such change."""
    # FOR NO KEY UPDATE: what every UPDATE of these rows takes, so those wait; a row
    # inserted that refers to them (an event, a history row) takes KEY SHARE, and need not.
    by_payments = select(Payment.id).where(Payment.order_id == order.id).order_by(Payment.id)
    db.session.execute(by_payments.with_for_update(key_share=True))
    db.session.execute(select(Order.id).where(Order.id == order.id).with_for_update(key_share=True))
    for row in (order, *order.items, *order.payments):
        db.session.refresh(row)


def note_order_change(
    order_id: int, status: OrderStatus, now: datetime, actor: str, reason: ChangeReason, params: dict | None = None
) -> None:
    """A change to an order other than its status (how it is paid, its table, a flag
    handled), kept in its status history as a row from and to the status it stays in."""
    db.session.add(_history(order_id, status, status, now, actor, reason, params))


def _history(
    order_id: int, from_status: str, to_status: str, now: datetime, actor: str, reason: str, params: dict | None
) -> OrderStatusChange:
    feed.order_changed(order_id)
    return OrderStatusChange(
        order_id=order_id,
        from_status=from_status,
        to_status=to_status,
        actor=actor[:60],
        reason=reason,
        reason_params=params,
        created_at=now,
    )


def refusal(order: Order, wanted: OrderStatus) -> str:
    """Why `order`, as it is now, cannot become `wanted`: for the cashier or customer."""
    return _(
        "Pesanan %(number)s %(status)s: tidak bisa menjadi %(wanted)s.",
        number=order.number,
        status=order.status.label,
        wanted=wanted.label,
    )


def refuse(order: Order, wanted: OrderStatus) -> IllegalTransition:
    """Undo the attempt and explain, from the order's current status, why it failed."""
    db.session.rollback()
    db.session.refresh(order)
    return IllegalTransition(refusal(order, wanted))


def flag_order(order_id: int, now: datetime, reason: AttentionReason, params: dict) -> None:
    """The order needs the cashier: money came that it no longer wanted, or not the
    amount asked."""
    feed.order_changed(order_id)
    db.session.execute(
        update(Order)
        .where(Order.id == order_id)
        .values(needs_attention=True, attention_reason=reason, attention_params=params, updated_at=now)
        .execution_options(synchronize_session=False)
    )
