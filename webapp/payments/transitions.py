"""The one way a payment's or an order's state changes, and the payment event log.

Every transition is one conditional UPDATE (`... WHERE id = :id AND status = :seen`)
inside the caller's transaction, so concurrent callbacks, status checks and clicks in
any number of processes apply a change exactly once: the loser updates zero rows and
records a duplicate. Every touch of a payment is written to `PaymentEvent`. Every
write to an order or payment row names the order (`feed.order_changed`), so that what
any process has cached about it is dropped when the transaction commits.

Money that really arrived is never dropped: a confirmed success for a payment that had
already expired, failed or been cancelled is still recorded as paid (`paying.mark_paid`),
and its order (or its table's bill) is flagged for the cashier. Bills and their shares
change through the same `transition` (`bill_state`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..extensions import db, rows_matched
from ..live import feed
from ..models import (
    AttentionReason,
    ChangeReason,
    EventKind,
    EventNote,
    Order,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentEvent,
    PaymentStatus,
)
from . import partner_webhooks

PENDING, PAID = PaymentStatus.PENDING, PaymentStatus.PAID
# Ordered: the usual status first (see transition).
NOT_PAID = (PaymentStatus.PENDING, PaymentStatus.EXPIRED, PaymentStatus.CANCELLED, PaymentStatus.FAILED)


class IllegalTransition(Exception):
    """A refused order change; the message says why, for the cashier or customer."""


def transition(model, row_id: int, allowed_from: Iterable, to, now: datetime, **values) -> str | None:
    """Move one row's status to `to` if it is one of `allowed_from`, exactly once.

    Returns the status it moved from, or None if nothing changed (the status was not
    allowed, or a concurrent transaction moved it first). Callers list the usual
    current status first: it is tried with a single UPDATE, and only when that matches
    no row is the status read and the UPDATE retried with what was found.
    """
    allowed = list(allowed_from)
    guess = allowed[0]
    for _attempt in range(len(allowed) + 1):
        moved = rows_matched(
            update(model)
            .where(model.id == row_id, model.status == guess)
            .values(status=to, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        if moved == 1:
            return guess
        guess = db.session.scalar(select(model.status).where(model.id == row_id))
        if guess not in allowed:
            return None
    return None


def move_payment(
    payment: Payment, allowed_from: Iterable[PaymentStatus], to: PaymentStatus, now: datetime, **values
) -> str | None:
    """A payment transition; a partner's payment also queues its webhook event in the
    same transaction."""
    previous = transition(Payment, payment.id, allowed_from, to, now, **values)
    if previous is not None:
        feed.order_changed(payment.order_id)
        partner_webhooks.enqueue(payment, now)
    return previous


def record_event(
    payment: Payment | None,
    kind: str,
    now: datetime,
    note: EventNote | None = None,
    note_params: dict | None = None,
    **fields,
) -> PaymentEvent:
    """Append a payment event: its kind and note are codes (EventKind, EventNote) with
    parameters; webapp/labels.py words them for whoever reads the log."""
    event = PaymentEvent(
        payment_id=payment.id if payment else None,
        kind=EventKind(kind),
        created_at=now,
        note=note or "",
        note_params=note_params,
        **fields,
    )
    db.session.add(event)
    return event


def move_order(
    order_id: int,
    allowed_from: Iterable[OrderStatus],
    to: OrderStatus,
    now: datetime,
    actor: str,
    reason: ChangeReason | None = None,
    reason_params: dict | None = None,
) -> str | None:
    """An order transition (conditional, exactly once) and its status history row."""
    previous = transition(Order, order_id, allowed_from, to, now)
    if previous is not None:
        _add_history(order_id, previous, to, now, actor, reason or "", reason_params)
    return previous


def note_order_change(
    order_id: int, status: OrderStatus, now: datetime, actor: str, reason: ChangeReason, params: dict | None = None
) -> None:
    """A change to an order other than its status (how it is paid, its table, a flag
    handled), kept in its status history as a row from and to the status it stays in."""
    _add_history(order_id, status, status, now, actor, reason, params)


def _add_history(
    order_id: int, from_status: str, to_status: str, now: datetime, actor: str, reason: str, params: dict | None
) -> None:
    feed.order_changed(order_id)
    db.session.add(
        OrderStatusChange(
            order_id=order_id,
            from_status=from_status,
            to_status=to_status,
            actor=actor[:60],
            reason=reason,
            reason_params=params,
            created_at=now,
        )
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
    feed.order_changed(order_id)
    db.session.execute(
        update(Order)
        .where(Order.id == order_id)
        .values(needs_attention=True, attention_reason=reason, attention_params=params, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def commit_and_publish(*rows) -> None:
    """Commit, let the caller's objects show what the database now holds, wake this
    process's waiters, and send the partner events the transaction queued."""
    db.session.commit()
    for row in rows:
        if row is not None:
            db.session.refresh(row)
    feed.announce()
    partner_webhooks.dispatch_committed()


def cancel_pending_payments(
    payments: Iterable[Payment],
    now: datetime,
    actor: str,
    note: EventNote | None = None,
    note_params: dict | None = None,
) -> None:
    """Cancel those of `payments` (an order's or a share's) still pending, each logged."""
    for payment in payments:
        previous = move_payment(payment, [PENDING], PaymentStatus.CANCELLED, now)
        if previous:
            record_event(
                payment,
                "cancelled",
                now,
                actor=actor,
                from_status=previous,
                to_status=PaymentStatus.CANCELLED,
                note=note,
                note_params=note_params,
            )
