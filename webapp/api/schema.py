"""Validating the JSON body of POST /api/v1/payments/qris, field by field."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..payments.duitku import QRIS_MAX_AMOUNT as MAX_AMOUNT
from ..payments.duitku import QRIS_MIN_AMOUNT as MIN_AMOUNT
from .errors import invalid

METADATA_MAX_BYTES = 4096
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PartnerPaymentRequest:
    license_key: str
    amount: int
    reference_id: str | None
    description: str
    metadata: dict | None


@dataclass(frozen=True)
class OrderPaymentRequest:
    order_id: str
    name: str | None
    email: str | None
    phone: str | None


def _optional_string(body: dict, field: str, max_length: int) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid(field, f"{field} must be a string")
    if len(value) > max_length:
        raise invalid(field, f"{field} must be at most {max_length} characters")
    return value


def _required_string(body: dict, field: str, max_length: int) -> str:
    value = _optional_string(body, field, max_length)
    if not value:
        raise invalid(field, f"{field} is required")
    return value


def parse_create(body) -> PartnerPaymentRequest | OrderPaymentRequest:
    if not isinstance(body, dict):
        raise invalid(None, "the body must be a JSON object")
    if "order_id" in body and "license_key" in body:
        raise invalid("order_id", "give either license_key (a partner payment) or order_id (a web order), not both")
    if "order_id" in body:
        return _parse_order_payment(body)
    return _parse_partner_payment(body)


def _parse_partner_payment(body: dict) -> PartnerPaymentRequest:
    license_key = _required_string(body, "license_key", 64)
    amount = body.get("amount")
    if amount is None:
        raise invalid("amount", "amount is required")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise invalid("amount", "amount must be a whole number of rupiah (a JSON integer)")
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise invalid("amount", f"amount must be between {MIN_AMOUNT} and {MAX_AMOUNT} rupiah")
    metadata = body.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise invalid("metadata", "metadata must be a JSON object")
        if len(json.dumps(metadata, separators=(",", ":")).encode()) > METADATA_MAX_BYTES:
            raise invalid("metadata", f"metadata must be at most {METADATA_MAX_BYTES} bytes of JSON")
    return PartnerPaymentRequest(
        license_key=license_key,
        amount=amount,
        reference_id=_optional_string(body, "reference_id", 64),
        description=_optional_string(body, "description", 255) or "",
        metadata=metadata,
    )


def _parse_order_payment(body: dict) -> OrderPaymentRequest:
    order_id = _required_string(body, "order_id", 64)
    details = body.get("customer_details") or {}
    if not isinstance(details, dict):
        raise invalid("customer_details", "customer_details must be a JSON object")
    prefixed = {key: details.get(key) for key in ("name", "email", "phone")}
    for key, limit in (("name", 60), ("email", 255), ("phone", 20)):
        value = prefixed[key]
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise invalid(f"customer_details.{key}", f"customer_details.{key} must be a string of at most {limit}")
    if prefixed["email"] and not EMAIL.match(prefixed["email"]):
        raise invalid("customer_details.email", "customer_details.email is not an email address")
    return OrderPaymentRequest(order_id=order_id, **prefixed)


def parse_timeout(raw: str | None, default: int = 60) -> int:
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= 120:
        raise invalid("timeout", "timeout must be a whole number of seconds from 1 to 120")
    return int(raw)
