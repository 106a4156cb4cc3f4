"""The payment service: creating QRIS payments and every payment and order transition.

Every transition is one conditional UPDATE (`... WHERE id = :id AND status = :seen`)
inside the caller's transaction, so concurrent callbacks, status checks and clicks in
any number of processes apply a change exactly once: the loser updates zero rows and
records a duplicate. Every touch of a payment is written to `PaymentEvent`. Every
write to an order or payment row names the order (`changes.order_changed`), so that
what any process has cached about it is dropped when the transaction commits.

Money that really arrived is never dropped: a confirmed success for a payment that had
already expired, failed or been cancelled is still recorded as paid, and its order is
flagged for the cashier.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from .. import clock
from ..extensions import db
from ..models import (
    AttentionReason,
    ChangeReason,
    EventKind,
    EventNote,
    License,
    Order,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentEvent,
    PaymentMethod,
    PaymentProvider,
    PaymentStatus,
    Partner,
    new_public_id,
)
from . import changes, gateway, partner_webhooks, qris
from .callback_payload import stored_callback
from .duitku import RESULT_SUCCESS, GatewayError, callback_signature, signatures_match
from .issuers import issuer_name

log = logging.getLogger(__name__)

PENDING, PAID = PaymentStatus.PENDING, PaymentStatus.PAID
# Ordered: the usual status first (see _transition).
NOT_PAID = (PaymentStatus.PENDING, PaymentStatus.EXPIRED, PaymentStatus.CANCELLED, PaymentStatus.FAILED)
CALLBACK_REQUIRED_FIELDS = ("merchantCode", "amount", "merchantOrderId", "resultCode", "signature")


class QrisUnavailable(Exception):
    """A QRIS payment could not be created right now; the order is kept as it was."""


class PaymentNotAllowed(Exception):
    """The order is not in a state where this payment action makes sense."""


class IllegalTransition(Exception):
    """A refused order change; the message says why, for the cashier or customer."""


KITCHEN_STEPS = {
    OrderStatus.PAID: OrderStatus.PREPARING,
    OrderStatus.PREPARING: OrderStatus.READY,
    OrderStatus.READY: OrderStatus.COMPLETED,
}


@dataclass(frozen=True)
class CallbackOutcome:
    http_status: int
    message: str
    field: str | None = None  # the offending field of a refused callback


# Transitions --------------------------------------------------------------------------

def _transition(model, row_id: int, allowed_from: Iterable, to, now: datetime, **values) -> str | None:
    """Move one row's status to `to` if it is one of `allowed_from`, exactly once.

    Returns the status it moved from, or None if nothing changed (the status was not
    allowed, or a concurrent transaction moved it first). Callers list the usual
    current status first: it is tried with a single UPDATE, and only when that matches
    no row is the status read and the UPDATE retried with what was found.
    """
    allowed = [status.value for status in allowed_from]
    guess = allowed[0]
    for _attempt in range(len(allowed) + 1):
        result = db.session.execute(
            update(model)
            .where(model.id == row_id, model.status == guess)
            .values(status=to.value, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            return guess
        guess = db.session.scalar(select(model.status).where(model.id == row_id))
        if guess not in allowed:
            return None
    return None


def _move_payment(payment: Payment, allowed_from: Iterable[PaymentStatus], to: PaymentStatus, now: datetime,
                  **values) -> str | None:
    """A payment transition; a partner's payment also queues its webhook event in the
    same transaction."""
    previous = _transition(Payment, payment.id, allowed_from, to, now, **values)
    if previous is not None:
        changes.order_changed(payment.order_id)
        partner_webhooks.enqueue(payment, now)
    return previous


def _record(payment: Payment | None, kind: str, now: datetime, note: EventNote | None = None,
            note_params: dict | None = None, **fields) -> PaymentEvent:
    """Append a payment event: its kind and note are codes (EventKind, EventNote) with
    parameters; webapp/labels.py words them for whoever reads the log."""
    event = PaymentEvent(payment_id=payment.id if payment else None, kind=EventKind(kind).value, created_at=now,
                         note=note.value if note else "", note_params=note_params, **fields)
    db.session.add(event)
    return event


def _move_order(
    order_id: int, allowed_from: Iterable[OrderStatus], to: OrderStatus, now: datetime,
    actor: str, reason: ChangeReason | None = None, reason_params: dict | None = None,
) -> str | None:
    """An order transition (conditional, exactly once) and its status history row."""
    previous = _transition(Order, order_id, allowed_from, to, now)
    if previous is not None:
        changes.order_changed(order_id)
        db.session.add(OrderStatusChange(
            order_id=order_id, from_status=previous, to_status=to.value, actor=actor[:60],
            reason=reason.value if reason else "", reason_params=reason_params, created_at=now,
        ))
    return previous


def refusal(order: Order, wanted: OrderStatus) -> str:
    """Why `order`, as it is now, cannot become `wanted`: for the cashier or customer."""
    return _("Pesanan %(number)s %(status)s: tidak bisa menjadi %(wanted)s.",
             number=order.number, status=order.status_enum.label, wanted=wanted.label)


def _refuse(order: Order, wanted: OrderStatus) -> IllegalTransition:
    """Undo the attempt and explain, from the order's current status, why it failed."""
    db.session.rollback()
    db.session.refresh(order)
    return IllegalTransition(refusal(order, wanted))


def _flag_order(order_id: int, now: datetime, reason: AttentionReason, params: dict) -> None:
    changes.order_changed(order_id)
    db.session.execute(
        update(Order)
        .where(Order.id == order_id)
        .values(needs_attention=True, attention_reason=reason.value, attention_params=params, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def _finish(*rows) -> None:
    """Commit, let the caller's objects show what the database now holds, and send the
    partner events the transaction queued."""
    db.session.commit()
    for row in rows:
        if row is not None:
            db.session.refresh(row)
    changes.announce()
    partner_webhooks.dispatch_committed()


def _apply_paid(
    payment: Payment, now: datetime, *, kind: str, actor: str, issuer_code: str = "",
    reference: str | None = None, **event_fields,
) -> bool:
    """Mark a payment paid (from any unpaid status) and its order paid; flag what is odd."""
    previous = _move_payment(
        payment, NOT_PAID, PAID, now,
        paid_at=now,
        payer_issuer_code=issuer_code[:16],
        payer_issuer_name=issuer_name(issuer_code)[:64],
        reference=reference or payment.reference,
    )
    if previous is None:
        _record(payment, kind, now, actor=actor, note=EventNote.ALREADY_PAID, **event_fields)
        return False
    flagged = previous != PENDING.value
    if payment.order_id is not None:
        order_before = _move_order(payment.order_id, [OrderStatus.AWAITING_PAYMENT], OrderStatus.PAID, now,
                                   actor, ChangeReason.QRIS_PAID, {"merchant_order_id": payment.merchant_order_id})
        if order_before is None:
            order_status = db.session.scalar(select(Order.status).where(Order.id == payment.order_id))
            flagged = True
            _flag_order(payment.order_id, now, AttentionReason.PAID_FOR_CLOSED_ORDER, {"order_status": order_status})
        elif flagged:
            _flag_order(payment.order_id, now, AttentionReason.PAID_AFTER_QR_CLOSED, {"payment_status": previous})
    _record(payment, kind, now, actor=actor, from_status=previous, to_status=PAID.value, flagged=flagged, **event_fields)
    return True


# Creating a QRIS payment ---------------------------------------------------------------
# merchantOrderId is new for every inquiry attempt: WRG-<day>-<order number>-<random>
# for web orders, WRP-<day>-<random> for partner payments (at most 25 characters).


def qr_usable(provider: str | None, status: str | None, has_qr: bool, expires_at: datetime | None,
              now: datetime) -> bool:
    """Whether a payment's QR can still be paid: a pending Duitku payment with a QR that
    has not expired. The order page's poll applies it to plain columns."""
    return (provider == PaymentProvider.DUITKU.value and status == PENDING.value and has_qr
            and expires_at is not None and expires_at > now)


def usable_qris(order: Order, now: datetime) -> Payment | None:
    payment = order.current_payment
    if payment is not None and qr_usable(payment.provider, payment.status, bool(payment.qr_string),
                                         payment.expires_at, now):
        return payment
    return None


@dataclass(frozen=True)
class Payer:
    """Who pays, as far as Duitku needs to know (the name shows in the e-wallet)."""

    name: str
    email: str | None = None
    phone: str | None = None


def create_qris_payment(order: Order, now: datetime | None = None, payer: Payer | None = None) -> Payment:
    """A QRIS payment for a web order, asked for by its customer; reuses a still-valid
    pending QR the customer asked for (a double click).

    Raises QrisUnavailable when Duitku is down, refuses, or answers a QR that does not
    match; the attempt is then marked failed and the order is untouched.
    """
    return _create_order_payment(order, now or clock.now(), payer, None, actor="customer")


def create_counter_payment(order: Order, license_: License, payer: Payer | None = None,
                           now: datetime | None = None) -> Payment:
    """The restaurant's counter POS (a partner's counter license) takes QRIS for a web
    order. An unpaid cash order is switched to QRIS first (once, in its history)."""
    now = now or clock.now()
    actor = f"partner:{license_.partner_id}"
    switch_to_qris(order, actor, now)
    return _create_order_payment(order, now, payer, license_, actor)


def _create_order_payment(order: Order, now: datetime, payer: Payer | None, license_: License | None,
                          actor: str) -> Payment:
    """A web order's QRIS payment for its customer or for a counter license; a still-valid
    QR of the same party is reused."""
    if order.status != OrderStatus.AWAITING_PAYMENT.value or order.payment_method != PaymentMethod.QRIS.value:
        raise PaymentNotAllowed("order is not awaiting a QRIS payment")
    partner_id = license_.partner_id if license_ else None
    existing = usable_qris(order, now)
    if existing is not None and existing.partner_id == partner_id:
        return existing
    payment = Payment(
        order_id=order.id, amount=order.total, partner_id=partner_id, license_id=license_.id if license_ else None,
        merchant_order_id=f"WRG-{order.business_date:%Y%m%d}-{order.daily_seq:03d}-{secrets.token_hex(4)}",
    )
    _open_qris(payment, now, payer or Payer(order.customer_name), f"Pesanan {order.number}", actor=actor,
               return_path=f"/orders/{order.public_id}")
    _finish(payment, order)
    return payment


def create_partner_payment(
    partner: Partner, license_: License, amount: int, *, reference_id: str | None = None,
    description: str = "", metadata: dict | None = None, now: datetime | None = None,
) -> Payment:
    """A QRIS payment a partner POS asked for, for one of its store licenses."""
    now = now or clock.now()
    payment = Payment(
        partner_id=partner.id, license_id=license_.id, amount=amount, reference_id=reference_id,
        description=description, extra=metadata,
        merchant_order_id=f"WRP-{now:%Y%m%d}-{secrets.token_hex(6)}",
    )
    _open_qris(payment, now, Payer(license_.store_name), description or f"Pembayaran {license_.store_name}",
               actor=f"partner:{partner.id}")
    _finish(payment)
    return payment


def _open_qris(payment: Payment, now: datetime, payer: Payer, product_details: str, actor: str,
               return_path: str | None = None) -> None:
    """Store the payment as pending first (committed: nothing is lost if Duitku fails),
    then ask Duitku for the QR and keep its reference and qrString.

    Duitku's payment page sends the payer back to `return_path` (a web order's page),
    else to the payment's own public page, /payments/<public_id>."""
    config = current_app.config
    payment.public_id = payment.public_id or new_public_id()
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    payment.provider = PaymentProvider.DUITKU.value
    payment.status = PENDING.value
    payment.expires_at = now + timedelta(minutes=config["DUITKU_EXPIRY_MINUTES"])
    payment.last_checked_at = payment.created_at = payment.updated_at = now
    db.session.add(payment)
    db.session.flush()
    _record(payment, "created", now, actor=actor, to_status=PENDING.value)
    changes.order_changed(payment.order_id)
    db.session.commit()
    try:
        result = gateway.client().inquiry(
            merchant_order_id=payment.merchant_order_id,
            amount=payment.amount,
            product_details=f"{product_details} {config['MERCHANT_NAME']}",
            email=payer.email or config["DUITKU_CUSTOMER_EMAIL"],
            customer_va_name=payer.name,
            phone_number=payer.phone,
            callback_url=base + "/api/v1/webhooks/duitku",
            return_url=base + (return_path or f"/payments/{payment.public_id}"),
            payment_method=config["DUITKU_PAYMENT_METHOD"],
            expiry_minutes=config["DUITKU_EXPIRY_MINUTES"],
        )
        qris.parse_for_payment(result.qr_string, payment.amount)
    except (GatewayError, qris.QrisError) as exc:
        log.warning("QRIS inquiry for %s failed: %s", payment.merchant_order_id, exc)
        previous = _move_payment(payment, [PENDING], PaymentStatus.FAILED, now, failure_reason=str(exc)[:255])
        _record(payment, "inquiry_failed", now, from_status=previous,
                to_status=PaymentStatus.FAILED.value if previous else None,
                note=EventNote.GATEWAY_ERROR, note_params={"error": str(exc)[:255]})
        _finish(payment)
        raise QrisUnavailable(str(exc)) from exc
    payment.reference = result.reference
    payment.qr_string = result.qr_string
    payment.payment_url = result.payment_url[:255] or None
    changes.order_changed(payment.order_id)
    _record(payment, "inquiry", now, note=EventNote.DUITKU_REFERENCE, note_params={"reference": result.reference})


# The Duitku callback ------------------------------------------------------------------

def _callback_amount(raw: str) -> int | None:
    try:
        amount = Decimal(raw)
    except (InvalidOperation, TypeError):
        return None
    return int(amount) if amount == amount.to_integral_value() else None


def handle_duitku_callback(form: Mapping[str, str], now: datetime | None = None) -> CallbackOutcome:
    """Verify, record and apply one Duitku callback. Always records it first.

    200: durably recorded (including duplicates and signed callbacks that change
    nothing). 400: a field is missing or the signature or merchant is wrong.
    503: a success could not be confirmed with Duitku right now (Duitku retries).
    """
    now = now or clock.now()
    config = current_app.config
    payload = {key: str(value)[:500] for key, value in form.items()}
    merchant_order_id = payload.get("merchantOrderId", "")
    payment = (
        db.session.scalar(select(Payment).where(Payment.merchant_order_id == merchant_order_id))
        if merchant_order_id
        else None
    )

    def answer(status: int, message: str, field: str | None = None, **event_fields) -> CallbackOutcome:
        """Record the callback (its note says the same as `message`, as a code) and answer."""
        stored = stored_callback(payload, verified=bool(event_fields.get("signature_valid")))
        _record(payment, "callback", now, actor="duitku", payload=stored, **event_fields)
        _finish()  # the answer is all the caller needs: no refresh of the payment
        return CallbackOutcome(status, message, field)

    missing = [field for field in CALLBACK_REQUIRED_FIELDS if not payload.get(field)]
    if missing:
        return answer(400, f"missing field: {missing[0]}", field=missing[0],
                      note=EventNote.MISSING_FIELD, note_params={"field": missing[0]})
    expected = callback_signature(payload["merchantCode"], payload["amount"], merchant_order_id, config["DUITKU_API_KEY"])
    if not signatures_match(expected, payload["signature"]):
        return answer(400, "invalid signature", field="signature", signature_valid=False,
                      note=EventNote.INVALID_SIGNATURE)
    if payload["merchantCode"] != config["DUITKU_MERCHANT_CODE"]:
        return answer(400, "unknown merchant code", field="merchantCode", signature_valid=True,
                      note=EventNote.UNKNOWN_MERCHANT)
    if payment is None:
        return answer(200, "recorded: unknown merchantOrderId", signature_valid=True, flagged=True,
                      note=EventNote.UNKNOWN_ORDER_ID)
    amount = _callback_amount(payload["amount"])
    if amount != payment.amount:
        if payment.order_id:
            _flag_order(payment.order_id, now, AttentionReason.AMOUNT_MISMATCH,
                        {"received": payload["amount"], "expected": payment.amount})
        return answer(200, "recorded: amount mismatch", signature_valid=True, flagged=True,
                      note=EventNote.AMOUNT_MISMATCH)
    if payload["resultCode"] != RESULT_SUCCESS:
        return answer(200, f"recorded: resultCode {payload['resultCode']}, payment not completed", signature_valid=True,
                      note=EventNote.NOT_COMPLETED, note_params={"result_code": payload["resultCode"]})

    if config["DUITKU_CONFIRM_CALLBACKS"]:
        try:
            status = gateway.client().transaction_status(merchant_order_id)
        except GatewayError as exc:
            return answer(503, f"not confirmed: Duitku unavailable ({exc})", signature_valid=True,
                          note=EventNote.UNCONFIRMED_GATEWAY_DOWN, note_params={"error": str(exc)[:255]})
        if not status.is_paid or status.amount not in (None, payment.amount):
            return answer(200, f"recorded: transactionStatus says {status.status_code}, not marked paid",
                          signature_valid=True, note=EventNote.UNCONFIRMED_BY_STATUS,
                          note_params={"status_code": status.status_code})

    changed = _apply_paid(
        payment, now, kind="callback", actor="duitku", issuer_code=payload.get("issuerCode", ""),
        reference=payload.get("reference"), payload=stored_callback(payload, verified=True), signature_valid=True,
    )
    _finish()
    return CallbackOutcome(200, "paid" if changed else "duplicate: already paid")


# Status checks, expiry and reconciliation ---------------------------------------------

def check_with_gateway(payment: Payment, now: datetime) -> None:
    """Ask Duitku's transactionStatus and apply what it says (lost-callback recovery)."""
    try:
        status = gateway.client().transaction_status(payment.merchant_order_id)
    except GatewayError as exc:
        _record(payment, "status_check", now, note=EventNote.GATEWAY_ERROR, note_params={"error": str(exc)[:255]})
        _finish(payment)
        return
    result = asdict(status)
    if status.is_paid and status.amount in (None, payment.amount):
        _apply_paid(payment, now, kind="status_check", actor="system", reference=status.reference or None,
                    payload=result, note=EventNote.PAID_PER_STATUS_CHECK)
    elif status.is_cancelled:
        to = PaymentStatus.EXPIRED if now >= payment.expires_at else PaymentStatus.FAILED
        previous = _move_payment(payment, [PENDING], to, now, failure_reason=status.message[:255])
        _record(payment, "status_check", now, payload=result, from_status=previous,
                to_status=to.value if previous else None, note=EventNote.CANCELLED_BY_GATEWAY,
                note_params={"message": status.message[:255]})
    else:
        _record(payment, "status_check", now, payload=result, note=EventNote.STILL_PENDING)
    _finish(payment)


def expire_if_due(payment: Payment, now: datetime) -> bool:
    """Expire an overdue pending payment, unless Duitku says it was paid after all."""
    if payment.status != PENDING.value or payment.expires_at is None or now < payment.expires_at:
        return False
    try:
        status = gateway.client().transaction_status(payment.merchant_order_id)
    except GatewayError:
        status = None  # expire anyway: a success arriving later is still recorded and flagged
    if status is not None and status.is_paid and status.amount in (None, payment.amount):
        _apply_paid(payment, now, kind="status_check", actor="system", reference=status.reference or None,
                    payload=asdict(status), note=EventNote.PAID_AT_EXPIRY_CHECK)
    else:
        previous = _move_payment(payment, [PENDING], PaymentStatus.EXPIRED, now)
        _record(payment, "expired", now, from_status=previous,
                to_status=PaymentStatus.EXPIRED.value if previous else None,
                note=None if status is not None else EventNote.EXPIRED_UNCONFIRMED)
    _finish(payment)
    return True


def status_check_interval() -> timedelta:
    return timedelta(seconds=current_app.config["DUITKU_STATUS_CHECK_INTERVAL"])


def refresh_due(provider: str | None, status: str | None, expires_at: datetime | None,
                last_checked_at: datetime | None, now: datetime) -> bool:
    """Whether a status read of this payment must do more than read: expire an overdue
    QR, or ask Duitku about a pending one (at most once per interval). The order page's
    poll uses the same rule to answer 204 without loading anything."""
    if provider != PaymentProvider.DUITKU.value or status != PENDING.value:
        return False
    return (expires_at is not None and now >= expires_at) or last_checked_at is None \
        or now - last_checked_at >= status_check_interval()


def refresh(payment: Payment | None, now: datetime | None = None) -> None:
    """On a status read: expire an overdue QR, or (at most once per interval across all
    processes) ask Duitku about a pending one whose callback may have been lost."""
    now = now or clock.now()
    if payment is None or not refresh_due(payment.provider, payment.status, payment.expires_at,
                                          payment.last_checked_at, now):
        return
    if expire_if_due(payment, now):
        return
    interval = status_check_interval()
    claimed = db.session.execute(
        update(Payment)
        .where(
            Payment.id == payment.id,
            Payment.status == PENDING.value,
            or_(Payment.last_checked_at.is_(None), Payment.last_checked_at <= now - interval),
        )
        .values(last_checked_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if claimed:
        changes.order_changed(payment.order_id)
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
        select(Payment).where(Payment.status == PENDING.value, Payment.provider == PaymentProvider.DUITKU.value)
    ).all()
    for payment in pending:
        if payment.expires_at is not None and now >= payment.expires_at:
            expire_if_due(payment, now)
        else:
            check_with_gateway(payment, now)
        counts["checked"] += 1
        if payment.status == PAID.value:
            counts["paid"] += 1
        elif payment.status == PaymentStatus.EXPIRED.value:
            counts["expired"] += 1
    return counts


# Order actions (customers and cashiers) --------------------------------------------------

def advance_order(order: Order, to: OrderStatus, actor: str, now: datetime | None = None) -> None:
    """One kitchen step: paid -> preparing -> ready -> completed."""
    now = now or clock.now()
    allowed = [before for before, after in KITCHEN_STEPS.items() if after == to]
    if not allowed or _move_order(order.id, allowed, to, now, actor) is None:
        raise _refuse(order, to)
    _finish(order)


def cancel_order(order: Order, actor: str, reason: str = "", now: datetime | None = None) -> None:
    """Cancel an unpaid order; its pending QR is cancelled with it. A success that
    arrives for that QR later is still recorded as paid and flagged. `reason` is what
    the cashier typed (customers cancel their own order without one)."""
    now = now or clock.now()
    note = _typed_note(reason)
    if _move_order(order.id, [OrderStatus.AWAITING_PAYMENT], OrderStatus.CANCELLED, now, actor,
                   ChangeReason.NOTE if note else None, note) is None:
        raise _refuse(order, OrderStatus.CANCELLED)
    _cancel_pending_payments(order, now, actor, EventNote.NOTE if note else None, note)
    _finish(order, *order.payments)


def confirm_cash(order: Order, tendered: int, actor: str, now: datetime | None = None) -> Payment:
    """The cashier took `tendered` rupiah for an unpaid cash order: it becomes paid with
    a cash payment naming the cashier. Two clicks or two cashiers confirm it once."""
    now = now or clock.now()
    if order.payment_method != PaymentMethod.CASH.value:
        raise IllegalTransition(_("Pesanan %(number)s dibayar dengan QRIS; ubah ke tunai dulu.", number=order.number))
    if tendered < order.total:
        raise IllegalTransition(_("Uang diterima kurang dari total."))
    cash = {"tendered": tendered, "change": tendered - order.total}
    if _move_order(order.id, [OrderStatus.AWAITING_PAYMENT], OrderStatus.PAID, now, actor,
                   ChangeReason.CASH_PAID, cash) is None:
        raise _refuse(order, OrderStatus.PAID)
    payment = Payment(
        order_id=order.id, provider=PaymentProvider.CASH.value, amount=order.total, status=PAID.value,
        paid_at=now, created_at=now, updated_at=now,
    )
    db.session.add(payment)
    db.session.flush()
    _record(payment, "cash_confirmed", now, actor=actor, to_status=PAID.value,
            note=EventNote.CASH_RECEIVED, note_params=cash)
    _finish(order, payment)
    return payment


def cancel_payment(payment: Payment, actor: str, now: datetime | None = None) -> None:
    """Cancel a pending payment (a partner's cancel call). Already cancelled: nothing to
    do. Paid or expired: IllegalTransition (409 for the API)."""
    now = now or clock.now()
    previous = _move_payment(payment, [PENDING], PaymentStatus.CANCELLED, now)
    if previous is not None:
        _record(payment, "cancelled", now, actor=actor, from_status=previous, to_status=PaymentStatus.CANCELLED.value)
        _finish(payment)
        return
    db.session.rollback()
    db.session.refresh(payment)
    if payment.status != PaymentStatus.CANCELLED.value:
        raise IllegalTransition(f"payment is already {payment.status}")


def resolve_attention(order: Order, actor: str, now: datetime | None = None) -> None:
    """The cashier has dealt with a flagged order (refunded, reinstated, checked)."""
    now = now or clock.now()
    resolved = db.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.needs_attention)
        .values(needs_attention=False, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if resolved:
        changes.order_changed(order.id)
        db.session.add(OrderStatusChange(
            order_id=order.id, from_status=order.status, to_status=order.status, actor=actor[:60],
            reason=ChangeReason.ATTENTION_RESOLVED.value,
            reason_params={"reason": order.attention_reason, "params": order.attention_params}, created_at=now,
        ))
    _finish(order)


def _typed_note(text: str | None) -> dict | None:
    """Parameters of a NOTE reason: the text a person typed, whitespace tidied."""
    text = " ".join((text or "").split())[:200]
    return {"text": text} if text else None


def _cancel_pending_payments(order: Order, now: datetime, actor: str, note: EventNote | None,
                             note_params: dict | None = None) -> None:
    for payment in order.payments:
        previous = _move_payment(payment, [PENDING], PaymentStatus.CANCELLED, now)
        if previous:
            _record(payment, "cancelled", now, actor=actor, from_status=previous,
                    to_status=PaymentStatus.CANCELLED.value, note=note, note_params=note_params)


def _switch_method(order: Order, to: PaymentMethod, actor: str, now: datetime, reason: ChangeReason) -> bool:
    """An unpaid order's payment method becomes `to`, exactly once, in its history."""
    switched = db.session.execute(
        update(Order)
        .where(
            Order.id == order.id,
            Order.status == OrderStatus.AWAITING_PAYMENT.value,
            Order.payment_method != to.value,
        )
        .values(payment_method=to.value, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if switched:
        changes.order_changed(order.id)
        awaiting = OrderStatus.AWAITING_PAYMENT.value
        db.session.add(OrderStatusChange(order_id=order.id, from_status=awaiting, to_status=awaiting,
                                         actor=actor[:60], reason=reason.value, created_at=now))
    return switched


def switch_to_cash(order: Order, actor: str = "customer", now: datetime | None = None) -> bool:
    """An unpaid QRIS order becomes a cash order; its pending QR is cancelled."""
    now = now or clock.now()
    switched = _switch_method(order, PaymentMethod.CASH, actor, now, ChangeReason.SWITCHED_TO_CASH)
    if switched:
        _cancel_pending_payments(order, now, actor, EventNote.SWITCHED_TO_CASH)
    _finish(order, *order.payments)
    return switched


def switch_to_qris(order: Order, actor: str, now: datetime | None = None) -> bool:
    """An unpaid cash order becomes a QRIS order (the QR is asked for separately); the
    cashier board then shows it among the QRIS orders."""
    switched = _switch_method(order, PaymentMethod.QRIS, actor, now or clock.now(), ChangeReason.SWITCHED_TO_QRIS)
    _finish(order)
    return switched
