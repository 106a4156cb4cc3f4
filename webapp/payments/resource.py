"""How a payment looks to partners: the fields of GET /api/v1/payments/<id>, which the
partner webhooks carry too."""

from __future__ import annotations

from datetime import UTC, datetime

from ..models import Payment, PaymentStatus

# "failed" is internal (Duitku refused or cancelled the QR); partners see it as cancelled.
PUBLIC_STATUS = {PaymentStatus.FAILED: PaymentStatus.CANCELLED}


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, e.g. 2026-11-22T05:10:00Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def public_status(payment: Payment) -> str:
    return PUBLIC_STATUS.get(payment.status, payment.status)


def payment_resource(payment: Payment) -> dict:
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
