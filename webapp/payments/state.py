"""A payment's state changes and its event log.

A payment moves through the transition kernel (`webapp.state.transition`: one
conditional UPDATE, exactly once whatever races); every touch of a payment, a move or
not (a duplicate callback, a status check that changed nothing), is appended to its
event log (`PaymentEvent`). Every write to a payment names its order for the change feed
(`feed.order_changed`), so that what any process has cached about the order is dropped
when the transaction commits. A partner's payment also queues its webhook event in the
same transaction.

Money that really arrived is never dropped: a confirmed success for a payment that had
already expired, failed or been cancelled is still recorded as paid (`paying.mark_paid`),
and what it paid for is flagged for the cashier by the domain that owns it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ..extensions import db
from ..live import feed
from ..models import EventKind, EventNote, Payment, PaymentEvent, PaymentStatus
from ..state import transition
from . import partner_webhooks

PENDING, PAID = PaymentStatus.PENDING, PaymentStatus.PAID
# Ordered: the usual status first (see transition).
NOT_PAID = (PaymentStatus.PENDING, PaymentStatus.EXPIRED, PaymentStatus.CANCELLED, PaymentStatus.FAILED)


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
