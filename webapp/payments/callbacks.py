"""The Duitku callback: verify, record, confirm and apply it, exactly once.

The usual one, a signed success for a pending payment of the amount it says, with
nothing to ask of Duitku (confirmation off), is paid on PostgreSQL by one statement
keyed by its merchantOrderId before anything is read (`paying.pay_pending_at_once`):
BEGIN, that statement, COMMIT. When it matches nothing it writes nothing, and the
callback is read and answered as any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import EventNote, Payment
from ..state import commit_and_publish
from . import gateway
from .callback_payload import stored_callback
from .duitku import RESULT_SUCCESS, GatewayError, callback_signature, signatures_match
from .paying import amount_mismatch, mark_paid, pay_pending_at_once
from .state import record_event

CALLBACK_REQUIRED_FIELDS = ("merchantCode", "amount", "merchantOrderId", "resultCode", "signature")


@dataclass(frozen=True)
class CallbackOutcome:
    http_status: int
    message: str
    field: str | None = None  # the offending field of a refused callback


def _callback_amount(raw: str) -> int | None:
    """The amount a callback says, in whole rupiah; None for anything else (read before
    the payment, so also of refused callbacks: "Infinity" is none either)."""
    try:
        amount = Decimal(raw)
    except (InvalidOperation, TypeError):
        return None
    return int(amount) if amount.is_finite() and amount == amount.to_integral_value() else None


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
    refusal = _refusal(payload, config)
    amount = _callback_amount(payload.get("amount", ""))
    paid_by = _paid_fields(payload)
    if (
        refusal is None
        and amount is not None
        and payload["resultCode"] == RESULT_SUCCESS
        and not config["DUITKU_CONFIRM_CALLBACKS"]
        and pay_pending_at_once(merchant_order_id, amount, now, **paid_by)
    ):
        commit_and_publish()
        return CallbackOutcome(200, "paid")
    payment = (
        db.session.scalar(select(Payment).where(Payment.merchant_order_id == merchant_order_id))
        if merchant_order_id
        else None
    )

    def answer(status: int, message: str, field: str | None = None, **event_fields) -> CallbackOutcome:
        """Record the callback (its note says the same as `message`, as a code) and answer."""
        stored = stored_callback(payload, verified=bool(event_fields.get("signature_valid")))
        record_event(payment, "callback", now, actor="duitku", payload=stored, **event_fields)
        commit_and_publish()  # the answer is all the caller needs: no refresh of the payment
        return CallbackOutcome(status, message, field)

    if refusal is not None:
        return answer(**refusal)
    if payment is None:
        return answer(
            200,
            "recorded: unknown merchantOrderId",
            signature_valid=True,
            flagged=True,
            note=EventNote.UNKNOWN_ORDER_ID,
        )
    if amount != payment.amount:
        amount_mismatch(payment, now, {"received": payload["amount"], "expected": payment.amount})
        return answer(
            200, "recorded: amount mismatch", signature_valid=True, flagged=True, note=EventNote.AMOUNT_MISMATCH
        )
    if payload["resultCode"] != RESULT_SUCCESS:
        return answer(
            200,
            f"recorded: resultCode {payload['resultCode']}, payment not completed",
            signature_valid=True,
            note=EventNote.NOT_COMPLETED,
            note_params={"result_code": payload["resultCode"]},
        )

    if config["DUITKU_CONFIRM_CALLBACKS"]:
        # Nothing is written yet: end the read, so no database connection (and on SQLite
        # no write lock) is held while Duitku answers, for up to its timeout.
        db.session.commit()
        try:
            status = gateway.client().transaction_status(merchant_order_id)
        except GatewayError as exc:
            return answer(
                503,
                f"not confirmed: Duitku unavailable ({exc})",
                signature_valid=True,
                note=EventNote.UNCONFIRMED_GATEWAY_DOWN,
                note_params={"error": str(exc)[:255]},
            )
        if not status.is_paid or status.amount not in (None, payment.amount):
            return answer(
                200,
                f"recorded: transactionStatus says {status.status_code}, not marked paid",
                signature_valid=True,
                note=EventNote.UNCONFIRMED_BY_STATUS,
                note_params={"status_code": status.status_code},
            )

    changed = mark_paid(payment, now, **paid_by)
    commit_and_publish()
    return CallbackOutcome(200, "paid" if changed else "duplicate: already paid")


def _refusal(payload: dict[str, str], config: Mapping[str, Any]) -> dict[str, Any] | None:
    """Why a callback is refused whatever its payment (400: a field missing, the
    signature wrong, compared in constant time, or another merchant's code), as the
    answer's arguments; None when it is signed by us."""

    def refused(message: str, field: str, note: EventNote, **event_fields) -> dict[str, Any]:
        return {"status": 400, "message": message, "field": field, "note": note, **event_fields}

    missing = [field for field in CALLBACK_REQUIRED_FIELDS if not payload.get(field)]
    if missing:
        field = missing[0]
        return refused(f"missing field: {field}", field, EventNote.MISSING_FIELD, note_params={"field": field})
    expected = callback_signature(
        payload["merchantCode"], payload["amount"], payload["merchantOrderId"], config["DUITKU_API_KEY"]
    )
    if not signatures_match(expected, payload["signature"]):
        return refused("invalid signature", "signature", EventNote.INVALID_SIGNATURE, signature_valid=False)
    if payload["merchantCode"] != config["DUITKU_MERCHANT_CODE"]:
        return refused("unknown merchant code", "merchantCode", EventNote.UNKNOWN_MERCHANT, signature_valid=True)
    return None


def _paid_fields(payload: dict[str, str]) -> dict[str, Any]:
    """What marking a payment paid by a signed callback records."""
    return dict(
        kind="callback",
        actor="duitku",
        issuer_code=payload.get("issuerCode", ""),
        reference=payload.get("reference"),
        payload=stored_callback(payload, verified=True),
        signature_valid=True,
    )
