"""Reconciling pending QRIS payments with Duitku: expiry, the throttled status check
that recovers a lost callback, and the sweep cron runs."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from .. import clock
from ..extensions import db
from ..live import feed
from ..models import EventNote, Payment, PaymentProvider, PaymentStatus
from ..state import commit_and_publish, rows_matched
from . import gateway
from .duitku import GatewayError
from .paying import mark_paid
from .state import PAID, PENDING, move_payment, record_event


def check_with_gateway(payment: Payment, now: datetime) -> None:
    """Ask Duitku's transactionStatus and apply what it says (lost-callback recovery)."""
    try:
        status = gateway.client().transaction_status(payment.duitku_order_id)
    except GatewayError as exc:
        record_event(payment, "status_check", now, note=EventNote.GATEWAY_ERROR, note_params={"error": str(exc)[:255]})
        commit_and_publish(payment)
        return
    result = asdict(status)
    if status.is_paid and status.amount in (None, payment.amount):
        mark_paid(
            payment,
            now,
            kind="status_check",
            actor="system",
            reference=status.reference or None,
            payload=result,
            note=EventNote.PAID_PER_STATUS_CHECK,
        )
    elif status.is_cancelled:
        expired = payment.expires_at is not None and now >= payment.expires_at
        to = PaymentStatus.EXPIRED if expired else PaymentStatus.FAILED
        previous = move_payment(payment, [PENDING], to, now, failure_reason=status.message[:255])
        record_event(
            payment,
            "status_check",
            now,
            payload=result,
            from_status=previous,
            to_status=to if previous else None,
            note=EventNote.CANCELLED_BY_GATEWAY,
            note_params={"message": status.message[:255]},
        )
    else:
        record_event(payment, "status_check", now, payload=result, note=EventNote.STILL_PENDING)
    commit_and_publish(payment)


def expire_if_due(payment: Payment, now: datetime) -> bool:
    """Expire an overdue pending payment, unless Duitku says it was paid after all."""
    if payment.status != PENDING or payment.expires_at is None or now < payment.expires_at:
        return False
    duitku_order_id = payment.duitku_order_id
    db.session.commit()  # no connection held while Duitku answers (the writes below are conditional)
    try:
        status = gateway.client().transaction_status(duitku_order_id)
    except GatewayError:
        status = None  # expire anyway: a success arriving later is still recorded and flagged
    if status is not None and status.is_paid and status.amount in (None, payment.amount):
        mark_paid(
            payment,
            now,
            kind="status_check",
            actor="system",
            reference=status.reference or None,
            payload=asdict(status),
            note=EventNote.PAID_AT_EXPIRY_CHECK,
        )
    else:
        previous = move_payment(payment, [PENDING], PaymentStatus.EXPIRED, now)
        record_event(
            payment,
            "expired",
            now,
            from_status=previous,
            to_status=PaymentStatus.EXPIRED if previous else None,
            note=None if status is not None else EventNote.EXPIRED_UNCONFIRMED,
        )
    commit_and_publish(payment)
    return True


def status_check_interval() -> timedelta:
    return timedelta(seconds=current_app.config["DUITKU_STATUS_CHECK_INTERVAL"])


def reconcile_due(
    provider: str | None,
    status: str | None,
    expires_at: datetime | None,
    last_checked_at: datetime | None,
    now: datetime,
) -> bool:
    """Whether a status read of this payment must do more than read: expire an overdue
    QR, or ask Duitku about a pending one (at most once per interval). The order page's
    poll uses the same rule to answer 204 without loading anything."""
    if provider != PaymentProvider.DUITKU or status != PENDING:
        return False
    return (
        (expires_at is not None and now >= expires_at)
        or last_checked_at is None
        or now - last_checked_at >= status_check_interval()
    )


def reconcile_if_due(payment: Payment | None, now: datetime | None = None) -> None:
    """On a status read: expire an overdue QR, or (at most once per interval across all
    processes) ask Duitku about a pending one whose callback may have been lost."""
    now = now or clock.now()
    if payment is None or not reconcile_due(
        payment.provider, payment.status, payment.expires_at, payment.last_checked_at, now
    ):
        return
    if expire_if_due(payment, now):
        return
    interval = status_check_interval()
    checked = [feed.checked_topic(payment.order_id)] if payment.order_id is not None else []
    claimed = (
        rows_matched(
            update(Payment)
            .where(
                Payment.id == payment.id,
                Payment.status == PENDING,
                or_(Payment.last_checked_at.is_(None), Payment.last_checked_at <= now - interval),
            )
            .values(last_checked_at=now)
            .execution_options(synchronize_session=False, **feed.names(*checked))
        )
        == 1
    )
    db.session.commit()
    if claimed:
        check_with_gateway(payment, now)
    else:
        db.session.refresh(payment)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """For cron: expire overdue pending QRIS payments and reconcile the rest with Duitku."""
    now = now or clock.now()
    counts = {"checked": 0, "expired": 0, "paid": 0}
    pending = db.session.scalars(
        select(Payment).where(Payment.status == PENDING, Payment.provider == PaymentProvider.DUITKU)
    ).all()
    for payment in pending:
        if payment.expires_at is not None and now >= payment.expires_at:
            expire_if_due(payment, now)
        else:
            check_with_gateway(payment, now)
        counts["checked"] += 1
        if payment.status == PAID:
            counts["paid"] += 1
        elif payment.status == PaymentStatus.EXPIRED:
            counts["expired"] += 1
    return counts
