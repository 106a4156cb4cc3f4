"""Creating QRIS payments: for a web order (its customer, or the restaurant's counter
POS) and for a partner's store license; and a partner cancelling one it created.

The payment is stored as pending and committed before Duitku is asked, so nothing is
lost when Duitku fails; merchantOrderId is new for every inquiry attempt:
WRG-<day>-<order number>-<random> for web orders, WRP-<day>-<random> for partner
payments (at most 25 characters).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from .. import clock
from ..extensions import db
from ..live import feed
from ..models import (
    EventNote,
    License,
    Order,
    OrderStatus,
    Partner,
    Payment,
    PaymentMethod,
    PaymentProvider,
    PaymentStatus,
    new_public_id,
)
from ..state import IllegalTransition, commit_and_publish
from . import gateway, qris_code
from .duitku import GatewayError
from .state import PENDING, move_payment, record_event

log = logging.getLogger(__name__)


class QrisUnavailable(Exception):
    """A QRIS payment could not be created right now; the order is kept as it was."""


class PaymentNotAllowed(Exception):
    """The order is not in a state where this payment action makes sense."""


def is_payable(
    provider: str | None, status: str | None, has_qr: bool, expires_at: datetime | None, now: datetime
) -> bool:
    """Whether a payment's QR can still be paid: a pending Duitku payment with a QR that
    has not expired. The order page's poll applies it to plain columns."""
    return (
        provider == PaymentProvider.DUITKU
        and status == PENDING
        and has_qr
        and expires_at is not None
        and expires_at > now
    )


@dataclass(frozen=True)
class PayableQr:
    """A payment's QR while it can still be paid, as the payer's page shows it."""

    qr_string: str
    expires_at: datetime

    def seconds_left(self, now: datetime) -> int:
        return max(0, int((self.expires_at - now).total_seconds()))


def payable_qr(payment: Payment, now: datetime) -> PayableQr | None:
    """The payment's QR if it can still be paid (`is_payable`), else None."""
    if (
        not payment.qr_string
        or payment.expires_at is None
        or not is_payable(payment.provider, payment.status, True, payment.expires_at, now)
    ):
        return None
    return PayableQr(payment.qr_string, payment.expires_at)


def payable_payment(order: Order, now: datetime) -> Payment | None:
    return payable_payment_of(order.payments, now)


def payable_payment_of(payments: list[Payment], now: datetime) -> Payment | None:
    """The latest of `payments` (an order's or a share's), if its QR can still be paid."""
    payment = payments[-1] if payments else None
    if payment is not None and is_payable(
        payment.provider, payment.status, bool(payment.qr_string), payment.expires_at, now
    ):
        return payment
    return None


@dataclass(frozen=True)
class Payer:
    """Who pays, as far as Duitku needs to know (the name shows in the e-wallet)."""

    name: str
    email: str | None = None
    phone: str | None = None


def create_qris_payment(
    order: Order, now: datetime | None = None, payer: Payer | None = None, actor: str = "customer"
) -> Payment:
    """A QRIS payment for a web order, asked for by its customer (or by staff at a till,
    `actor`); reuses a still-valid pending QR the customer asked for (a double click).

    Raises QrisUnavailable when Duitku is down, refuses, or answers a QR that does not
    match; the attempt is then marked failed and the order is untouched.
    """
    return _create_order_payment(order, now or clock.now(), payer, None, actor)


def create_counter_payment(
    order: Order, license_: License, payer: Payer | None = None, now: datetime | None = None
) -> Payment:
    """The restaurant's counter POS (a partner's counter license) takes QRIS for a web
    order (an unpaid cash order is switched to QRIS first: orders.lifecycle)."""
    return _create_order_payment(order, now or clock.now(), payer, license_, f"partner:{license_.partner_id}")


def _create_order_payment(
    order: Order, now: datetime, payer: Payer | None, license_: License | None, actor: str
) -> Payment:
    """A web order's QRIS payment for its customer or for a counter license; a still-valid
    QR of the same party is reused."""
    if order.status != OrderStatus.AWAITING_PAYMENT or order.payment_method != PaymentMethod.QRIS:
        raise PaymentNotAllowed("order is not awaiting a QRIS payment")
    partner_id = license_.partner_id if license_ else None
    existing = payable_payment(order, now)
    if existing is not None and existing.partner_id == partner_id:
        return existing
    payment = Payment(
        order_id=order.id,
        amount=order.total,
        partner_id=partner_id,
        license_id=license_.id if license_ else None,
        merchant_order_id=f"WRG-{order.business_date:%Y%m%d}-{order.daily_seq:03d}-{secrets.token_hex(4)}",
    )
    open_qris(
        payment,
        now,
        payer or Payer(order.customer_name),
        f"Pesanan {order.number}",
        actor=actor,
        return_path=f"/orders/{order.public_id}",
    )
    commit_and_publish(payment, order)
    return payment


def create_partner_payment(
    partner: Partner,
    license_: License,
    amount: int,
    *,
    reference_id: str | None = None,
    description: str = "",
    metadata: dict | None = None,
    now: datetime | None = None,
) -> Payment:
    """A QRIS payment a partner POS asked for, for one of its store licenses."""
    now = now or clock.now()
    payment = Payment(
        partner_id=partner.id,
        license_id=license_.id,
        amount=amount,
        reference_id=reference_id,
        description=description,
        extra=metadata,
        merchant_order_id=f"WRP-{now:%Y%m%d}-{secrets.token_hex(6)}",
    )
    open_qris(
        payment,
        now,
        Payer(license_.store_name),
        description or f"Pembayaran {license_.store_name}",
        actor=f"partner:{partner.id}",
    )
    commit_and_publish(payment)
    return payment


def open_qris(
    payment: Payment, now: datetime, payer: Payer, product_details: str, actor: str, return_path: str | None = None
) -> None:
    """Store the payment as pending first (committed: nothing is lost if Duitku fails),
    then ask Duitku for the QR and keep its reference and qrString.

    Duitku's payment page sends the payer back to `return_path` (a web order's page),
    else to the payment's own public page, /payments/<public_id>."""
    config = current_app.config
    payment.public_id = payment.public_id or new_public_id()
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    payment.provider = PaymentProvider.DUITKU
    payment.status = PENDING
    payment.expires_at = now + timedelta(minutes=config["DUITKU_EXPIRY_MINUTES"])
    payment.last_checked_at = payment.created_at = payment.updated_at = now
    db.session.add(payment)
    db.session.flush()
    record_event(payment, "created", now, actor=actor, to_status=PENDING)
    feed.order_changed(payment.order_id)
    db.session.commit()
    try:
        result = gateway.client().inquiry(
            merchant_order_id=payment.duitku_order_id,
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
        qris_code.parse_for_payment(result.qr_string, payment.amount)
    except (GatewayError, qris_code.QrisError) as exc:
        log.warning("QRIS inquiry for %s failed: %s", payment.merchant_order_id, exc)
        previous = move_payment(payment, [PENDING], PaymentStatus.FAILED, now, failure_reason=str(exc)[:255])
        record_event(
            payment,
            "inquiry_failed",
            now,
            from_status=previous,
            to_status=PaymentStatus.FAILED if previous else None,
            note=EventNote.GATEWAY_ERROR,
            note_params={"error": str(exc)[:255]},
        )
        commit_and_publish(payment)
        raise QrisUnavailable(str(exc)) from exc
    payment.reference = result.reference
    payment.qr_string = result.qr_string
    payment.payment_url = result.payment_url[:255] or None
    feed.order_changed(payment.order_id)
    record_event(payment, "inquiry", now, note=EventNote.DUITKU_REFERENCE, note_params={"reference": result.reference})


def cancel_payment(payment: Payment, actor: str, now: datetime | None = None) -> None:
    """Cancel a pending payment (a partner's cancel call). Already cancelled: nothing to
    do. Paid or expired: IllegalTransition (409 for the API)."""
    now = now or clock.now()
    previous = move_payment(payment, [PENDING], PaymentStatus.CANCELLED, now)
    if previous is not None:
        record_event(payment, "cancelled", now, actor=actor, from_status=previous, to_status=PaymentStatus.CANCELLED)
        commit_and_publish(payment)
        return
    db.session.rollback()
    db.session.refresh(payment)
    if payment.status != PaymentStatus.CANCELLED:
        raise IllegalTransition(f"payment is already {payment.status}")
