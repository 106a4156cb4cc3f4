"""Python client for the Warung partner payment API. Needs only `requests`.

Usage::

    from warung_client import WarungClient, verify_webhook

    client = WarungClient("https://warung.example", api_key="wrg_...")
    qris = client.generate_qris(license_key="LIC-...", amount=50000, reference_id="TXN-001")
    show_qr(qris["qris_image_url"])
    result = client.wait_for_payment(qris["transaction_id"], timeout=120)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import time
from typing import Any

import requests

__all__ = [
    "AuthenticationError",
    "ConflictError",
    "GatewayError",
    "NotFoundError",
    "PaymentTimeoutError",
    "ValidationError",
    "WarungClient",
    "WarungError",
    "WebhookVerificationError",
    "verify_webhook",
]

FINAL_STATUSES = {"paid", "expired", "cancelled"}


class WarungError(Exception):
    """Base class; `status`, `code` and `field` come from the API's error body."""

    def __init__(self, message: str, status: int | None = None, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.field = status, code, field


class ValidationError(WarungError):
    """400 or 422: the request was malformed or a field is invalid (see `field`)."""


class AuthenticationError(WarungError):
    """401: missing, wrong or rotated API key."""


class ForbiddenError(WarungError):
    """403: a web order's payment, and this partner is not the restaurant's counter POS."""


class NotFoundError(WarungError):
    """404: unknown transaction, license key or order."""


class ConflictError(WarungError):
    """409: e.g. cancelling a paid payment, or an Idempotency-Key reused with another body."""


class GatewayError(WarungError):
    """503 or a network failure: QRIS is unavailable right now; retry later."""

    def __init__(self, message: str, retry_after: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class PaymentTimeoutError(WarungError):
    """wait_for_payment ran out of time; the message contains "timeout"."""


class WebhookVerificationError(Exception):
    """A webhook whose signature or timestamp is not acceptable."""


_ERRORS = {
    400: ValidationError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
}


class WarungClient:
    def __init__(self, base_url: str, api_key: str, timeout: float = 15.0, session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/") + "/api/v1"
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {api_key}", "Accept": "application/json"})

    def generate_qris(
        self,
        license_key: str | None = None,
        amount: int | None = None,
        *,
        reference_id: str | None = None,
        description: str | None = None,
        metadata: dict | None = None,
        order_id: str | None = None,
        customer_details: dict | None = None,
        idempotency_key: str | None = None,
    ) -> dict:
        """Create a QRIS payment for a store license (license_key + amount) or for a web
        order (order_id). Returns transaction_id, qris_string, qris_image_url, ..."""
        if order_id is not None:
            body: dict[str, Any] = {"order_id": order_id}
            if customer_details:
                body["customer_details"] = customer_details
        else:
            body = {"license_key": license_key, "amount": amount}
            for name, value in (("reference_id", reference_id), ("description", description), ("metadata", metadata)):
                if value is not None:
                    body[name] = value
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._request("POST", "/payments/qris", json=body, headers=headers)

    def check_payment_status(self, transaction_id: str) -> dict:
        return self._request("GET", f"/payments/{transaction_id}")

    def wait_for_payment(self, transaction_id: str, timeout: float = 120, interval: float = 3) -> dict:
        """Block until the payment is paid, expired or cancelled, using the server's
        long-poll; raise PaymentTimeoutError when `timeout` seconds pass first. `interval`
        is the pause before trying again when the server is too busy to hold a wait."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PaymentTimeoutError(f"timeout: payment {transaction_id} not final after {timeout} s")
            chunk = max(1, min(120, math.ceil(remaining)))
            try:
                result = self._request(
                    "GET", f"/payments/{transaction_id}/wait", params={"timeout": chunk}, timeout=chunk + self.timeout
                )
            except GatewayError:
                time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
                continue
            if result.get("status") in FINAL_STATUSES:
                return result

    def cancel_payment(self, transaction_id: str) -> dict:
        return self._request("POST", f"/payments/{transaction_id}/cancel")

    def _request(self, method: str, path: str, timeout: float | None = None, **kwargs) -> dict:
        try:
            response = self.session.request(method, self.base_url + path, timeout=timeout or self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise GatewayError(f"cannot reach Warung: {exc}") from exc
        if response.status_code < 400:
            return response.json()
        try:
            error = response.json()["error"]
        except (ValueError, KeyError, TypeError):
            error = {"code": None, "message": response.text[:200], "field": None}
        kwargs = {"status": response.status_code, "code": error.get("code"), "field": error.get("field")}
        message = error.get("message") or f"HTTP {response.status_code}"
        if response.status_code >= 500:
            retry_after = response.headers.get("Retry-After")
            raise GatewayError(
                message, retry_after=int(retry_after) if retry_after and retry_after.isdigit() else None, **kwargs
            )
        raise _ERRORS.get(response.status_code, WarungError)(message, **kwargs)


def verify_webhook(raw_body: bytes, header: str, secret: str, tolerance: int = 300, now: float | None = None) -> dict:
    """Check a webhook's `Warung-Signature` header against the raw body and return the
    event. Rejects bad signatures and timestamps more than `tolerance` seconds away."""
    try:
        parts = dict(item.split("=", 1) for item in (header or "").split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (ValueError, KeyError) as exc:
        raise WebhookVerificationError("malformed Warung-Signature header") from exc
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        raise WebhookVerificationError("timestamp outside the tolerance: possible replay")
    if isinstance(raw_body, str):
        raw_body = raw_body.encode()
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        raise WebhookVerificationError("signature mismatch")
    return json.loads(raw_body)
