"""The one way a payment's or an order's state changes, and the payment event log.

Every transition is one conditional UPDATE (`... WHERE id = :id AND status = :seen`)
inside the caller's transaction, so concurrent callbacks, status checks and clicks in
any number of processes apply a change exactly once: the loser updates zero rows and
records a duplicate. Every touch of a payment is written to `PaymentEvent`. Every
write to an order or payment row names the order (`feed.order_changed`), so that what
any process has cached about it is dropped when the transaction commits.

Money that really arrived is never dropped: a confirmed success for a payment that had
already expired, failed or been cancelled is still recorded as paid (`mark_paid`), and
its order is flagged for the cashier.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy import BindParameter, Insert, Select, bindparam, exists, func, insert, literal, select, update

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
from .issuers import issuer_name

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
        feed.order_changed(order_id)
        db.session.add(
            OrderStatusChange(
                order_id=order_id,
                from_status=previous,
                to_status=to,
                actor=actor[:60],
                reason=reason or "",
                reason_params=reason_params,
                created_at=now,
            )
        )
    return previous


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


def mark_paid(
    payment: Payment,
    now: datetime,
    *,
    kind: str,
    actor: str,
    issuer_code: str = "",
    reference: str | None = None,
    **event_fields,
) -> bool:
    """Mark a payment paid (from any unpaid status) and its order paid; flag what is odd."""
    paid_values = {
        "paid_at": now,
        "payer_issuer_code": issuer_code[:16],
        "payer_issuer_name": issuer_name(issuer_code)[:64],
        "reference": reference or payment.reference,
    }
    order_id = payment.order_id
    if order_id is not None and _chains_in_one_statement(payment):
        order_moved = _pay_pending_web_order(payment, order_id, now, actor, kind, paid_values, event_fields)
        if order_moved is False:
            order_status = db.session.scalar(select(Order.status).where(Order.id == order_id))
            flag_order(order_id, now, AttentionReason.PAID_FOR_CLOSED_ORDER, {"order_status": order_status})
        if order_moved is not None:
            return True
    previous = move_payment(payment, NOT_PAID, PAID, now, **paid_values)
    if previous is None:
        record_event(payment, kind, now, actor=actor, **{**event_fields, "note": EventNote.ALREADY_PAID})
        return False
    flagged = previous != PENDING
    if payment.order_id is not None:
        order_before = move_order(
            payment.order_id,
            [OrderStatus.AWAITING_PAYMENT],
            OrderStatus.PAID,
            now,
            actor,
            ChangeReason.QRIS_PAID,
            {"merchant_order_id": payment.merchant_order_id},
        )
        if order_before is None:
            order_status = db.session.scalar(select(Order.status).where(Order.id == payment.order_id))
            flagged = True
            flag_order(payment.order_id, now, AttentionReason.PAID_FOR_CLOSED_ORDER, {"order_status": order_status})
        elif flagged:
            flag_order(payment.order_id, now, AttentionReason.PAID_AFTER_QR_CLOSED, {"payment_status": previous})
    record_event(payment, kind, now, actor=actor, from_status=previous, to_status=PAID, flagged=flagged, **event_fields)
    return True


def cancel_pending_payments(
    order: Order, now: datetime, actor: str, note: EventNote | None, note_params: dict | None = None
) -> None:
    for payment in order.payments:
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


# Sent with an order's id (and `paid_at`) when `_pay_pending_web_order` paid it in one
# statement: its history row was written by SQL, not by a flush, so whoever makes work
# from new "paid" history rows in a flush (the kitchen's tickets) hears of it here.
order_paid_in_one_statement = Namespace().signal("order-paid-in-one-statement")


def _chains_in_one_statement(payment: Payment) -> bool:
    """No partner to tell (the caller checks that there is an order), and PostgreSQL,
    whose data-modifying WITH queries let `_pay_pending_web_order` chain its writes."""
    return payment.partner_id is None and db.engine.dialect.name == "postgresql"


def _pay_pending_web_order(
    payment: Payment, order_id: int, now: datetime, actor: str, kind: str, paid_values: dict, event_fields: dict
) -> bool | None:
    """`mark_paid`'s usual case in one statement: the pending payment paid, its order
    moved from awaiting payment to paid with its history row, and the payment's event.

    The same conditional UPDATEs as `transition` (exactly once: a concurrent winner
    leaves this one's UPDATE matching no row, and then nothing else is written). Returns
    None when the payment was not pending (the caller takes the general path), else
    whether the order moved (if not, the event is already flagged and the caller flags
    the order).
    """
    feed.order_changed(order_id)
    event_values = {"note": "", "note_params": None, **event_fields, "kind": EventKind(kind), "actor": actor}
    paid_count, moved_count = db.session.execute(
        _one_statement(tuple(paid_values), tuple(event_values)),
        {
            "p_payment_id": payment.id,
            "p_order_id": order_id,
            "p_now": now,
            "p_history_actor": actor[:60],
            "p_reason_params": {"merchant_order_id": payment.merchant_order_id},
            **{f"p_paid_{name}": value for name, value in paid_values.items()},
            **{f"p_event_{name}": value for name, value in event_values.items()},
        },
    ).one()
    if not paid_count:
        return None
    if moved_count:
        order_paid_in_one_statement.send(order_id, paid_at=now)
    return bool(moved_count)


# The statements of `_pay_pending_web_order`, one per set of fields, with every value a
# parameter: built and keyed for SQLAlchemy's statement cache once, not per callback
# (building them cost a callback more CPU than its round trips). The parameters' names
# start with "p_": an UPDATE would take a parameter named as one of its columns as a
# value to set.
_ONE_STATEMENTS: dict[tuple[tuple[str, ...], tuple[str, ...]], Select] = {}


def _one_statement(paid_names: tuple[str, ...], event_names: tuple[str, ...]) -> Select:
    statement = _ONE_STATEMENTS.get((paid_names, event_names))
    if statement is None:
        statement = _ONE_STATEMENTS[paid_names, event_names] = _build_one_statement(paid_names, event_names)
    return statement


def _build_one_statement(paid_names: tuple[str, ...], event_names: tuple[str, ...]) -> Select:
    def param(model, column: str, name: str) -> BindParameter:
        return bindparam(name, type_=model.__table__.c[column].type)

    now = param(Payment, "updated_at", "p_now")
    paid = (
        update(Payment)
        .where(Payment.id == bindparam("p_payment_id"), Payment.status == PENDING)
        .values(status=PAID, updated_at=now, **{name: param(Payment, name, f"p_paid_{name}") for name in paid_names})
        .returning(Payment.id)
        .cte("paid")
    )
    moved = (
        update(Order)
        .where(
            Order.id == bindparam("p_order_id"), Order.status == OrderStatus.AWAITING_PAYMENT, exists(select(paid.c.id))
        )
        .values(status=OrderStatus.PAID, updated_at=now)
        .returning(Order.id)
        .cte("moved")
    )
    history = _insert_from(
        OrderStatusChange,
        select(moved.c.id),
        ("order_id",),
        from_status=OrderStatus.AWAITING_PAYMENT,
        to_status=OrderStatus.PAID,
        actor=param(OrderStatusChange, "actor", "p_history_actor"),
        reason=ChangeReason.QRIS_PAID,
        reason_params=param(OrderStatusChange, "reason_params", "p_reason_params"),
        created_at=now,
    ).cte("history")
    recorded = _insert_from(
        PaymentEvent,
        select(paid.c.id, ~exists(select(moved.c.id))),
        ("payment_id", "flagged"),
        **{name: param(PaymentEvent, name, f"p_event_{name}") for name in event_names},
        created_at=now,
        from_status=PENDING,
        to_status=PAID,
    ).cte("recorded")
    return select(
        select(func.count()).select_from(paid).scalar_subquery(),
        select(func.count()).select_from(moved).scalar_subquery(),
    ).add_cte(history, recorded)


def _insert_from(model, selected: Select, names: tuple[str, ...], **values) -> Insert:
    """INSERT INTO model (names..., values...) SELECT: `selected`'s columns fill `names`,
    and each value, a parameter or a constant (bound as its column's type binds it:
    JSON, codes), its column."""
    table = model.__table__
    columns = (
        value if isinstance(value, BindParameter) else literal(value, table.c[name].type)
        for name, value in values.items()
    )
    query = selected.add_columns(*columns)
    return insert(table).from_select([*names, *values], query).returning(table.c.id)
