"""How a payment looks to partners: the fields of GET /api/v1/payments/<id>, which the
partner webhooks carry too."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from ..models import Payment, PaymentStatus

# "failed" is internal (Duitku refused or cancelled the QR); partners see it as cancelled.
PUBLIC_STATUS = {PaymentStatus.FAILED: PaymentStatus.CANCELLED}


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, e.g. 2026-11-22T05:10:00Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class PaymentFields(Protocol):
    """What the resource shows: a Payment, or a row of these columns (RESOURCE_COLUMNS)."""

    @property
    def public_id(self) -> str: ...
    @property
    def status(self) -> PaymentStatus: ...
    @property
    def amount(self) -> int: ...
    @property
    def reference_id(self) -> str | None: ...
    @property
    def description(self) -> str: ...
    @property
    def extra(self) -> dict | None: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def paid_at(self) -> datetime | None: ...
    @property
    def payer_issuer_name(self) -> str: ...


RESOURCE_COLUMNS = (
    Payment.public_id,
    Payment.status,
    Payment.amount,
    Payment.reference_id,
    Payment.description,
    Payment.extra,
    Payment.expires_at,
    Payment.paid_at,
    Payment.payer_issuer_name,
)


def public_status(payment: PaymentFields) -> str:
    return PUBLIC_STATUS.get(payment.status, payment.status)


def payment_resource(payment: PaymentFields) -> dict:
    return {
        "transaction_id": payment.public_id,
        "status": public_status(payment),
        "amount": payment.amount,
        "reference_id": payment.reference_id,
        "description": payment.description,
        "metadata": payment.extra,
        "expires_at": iso(payment.expires_at),
        "paid_at": iso(payment.paid_at),
        "payer_info": {"bank": payment.payer_issuer_name or None, "account_name": None},
    }
