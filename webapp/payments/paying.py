"""Marking a payment paid, and what it pays: a web order or a share of a table's bill.

Money that really arrived is never dropped: a confirmed success for a payment that had
already expired, failed or been cancelled is still recorded as paid, and what it was
for is flagged for the cashier when it no longer wanted the money (an order closed, a
share paid another way or cancelled, a bill settled or closed).
"""

from __future__ import annotations

from datetime import datetime

from blinker import Namespace
from sqlalchemy import BindParameter, Insert, Select, bindparam, exists, func, insert, literal, select, update

from ..extensions import db
from ..live import feed
from ..models import (
    AttentionReason,
    BillShare,
    ChangeReason,
    EventKind,
    EventNote,
    Order,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentEvent,
    PaymentProvider,
)
from . import bill_state
from .issuers import issuer_name
from .transitions import NOT_PAID, PAID, PENDING, flag_order, move_order, move_payment, record_event


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
    """Mark a payment paid (from any unpaid status), and its order or share; flag what is odd."""
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
    share = payment.share
    if share is not None:  # the bill first: its lock orders every change to the bill's payments
        bill_state.lock_bill(share.bill_id, now)
    previous = move_payment(payment, NOT_PAID, PAID, now, **paid_values)
    if previous is None:
        record_event(payment, kind, now, actor=actor, **{**event_fields, "note": EventNote.ALREADY_PAID})
        return False
    flagged = previous != PENDING
    if payment.order_id is not None:
        flagged = not _pay_order(payment, payment.order_id, previous, now, actor) or flagged
    elif share is not None:
        # A late success still pays a share nobody has paid yet: that is what it was for.
        flagged = not _pay_share(payment, share, now, actor)
    record_event(payment, kind, now, actor=actor, from_status=previous, to_status=PAID, flagged=flagged, **event_fields)
    return True


def _pay_order(payment: Payment, order_id: int, previous: str, now: datetime, actor: str) -> bool:
    """The paid payment's order becomes paid; False (flagged) if it had moved on. A QR
    paid after it expired or was cancelled flags the order too, for the cashier's eyes."""
    order_before = move_order(
        order_id,
        [OrderStatus.AWAITING_PAYMENT],
        OrderStatus.PAID,
        now,
        actor,
        ChangeReason.QRIS_PAID,
        {"merchant_order_id": payment.merchant_order_id},
    )
    if order_before is None:
        order_status = db.session.scalar(select(Order.status).where(Order.id == order_id))
        flag_order(order_id, now, AttentionReason.PAID_FOR_CLOSED_ORDER, {"order_status": order_status})
        return False
    if previous != PENDING:
        flag_order(order_id, now, AttentionReason.PAID_AFTER_QR_CLOSED, {"payment_status": previous})
    return True


def _pay_share(payment: Payment, share: BillShare, now: datetime, actor: str) -> bool:
    """The paid QR's share becomes paid (settling the bill if it was the last); False,
    with the bill flagged, if the share was already paid or cancelled."""
    if bill_state.pay_share(share, PaymentProvider.DUITKU, now, actor):
        return True
    bill_state.flag_late_money(payment, share, now, actor)
    return False


# Sent with an order's id (and `paid_at`) when `_pay_pending_web_order` paid it in one
# statement: its history row was written by SQL, not by a flush, so whoever makes work
# from new "paid" history rows in a flush (the kitchen's tickets) hears of it here.
order_paid_in_one_statement = Namespace().signal("order-paid-in-one-statement")


def _chains_in_one_statement(payment: Payment) -> bool:
    """No partner to tell and no bill to lock first (the caller checks that there is an
    order), and PostgreSQL, whose data-modifying WITH queries let
    `_pay_pending_web_order` chain its writes."""
    return payment.partner_id is None and payment.share_id is None and db.engine.dialect.name == "postgresql"


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
