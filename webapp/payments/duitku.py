"""Duitku API client over `requests`, speaking docs/duitku-contract (API v2).

Two failure kinds matter to callers: `GatewayUnavailable` (network error, timeout,
5xx, a body that is not the JSON we expect; worth retrying later) and
`GatewayRejected` (a 4xx: Duitku understood and said no, with its message).
The API key is only ever used inside signatures; it is never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

log = logging.getLogger(__name__)

INQUIRY_PATH = "/webapi/api/merchant/v2/inquiry"
STATUS_PATH = "/webapi/api/merchant/transactionStatus"
PAYMENT_METHODS_PATH = "/webapi/api/merchant/paymentmethod/getpaymentmethod"

# The amounts Duitku takes by QRIS (its inquiry answers 400 "Minimum Payment 10000 IDR").
QRIS_MIN_AMOUNT, QRIS_MAX_AMOUNT = 10_000, 10_000_000


def is_qris_amount(amount: int) -> bool:
    """Whether Duitku takes `amount` rupiah by QRIS (a smaller share is paid in cash)."""
    return QRIS_MIN_AMOUNT <= amount <= QRIS_MAX_AMOUNT


MERCHANT_ORDER_ID_MAX = 50
CUSTOMER_VA_NAME_MAX = 20
PRODUCT_DETAILS_MAX = 255

# transactionStatus statusCode values (not the callback's resultCode!)
STATUS_PAID = "00"
STATUS_PENDING = "01"
STATUS_CANCELLED = "02"
# callback resultCode values
RESULT_SUCCESS = "00"
RESULT_FAILED = "01"


class GatewayError(Exception):
    """Any failure talking to Duitku."""


class GatewayUnavailable(GatewayError):
    """Duitku could not be reached or gave no usable answer; try again later."""


class GatewayRejected(GatewayError):
    """Duitku refused the request (HTTP 4xx); `message` is Duitku's own text."""

    def __init__(self, status_code: int, message: str):
        super().__init__(f"Duitku refused the request ({status_code}): {message}")
        self.status_code = status_code
        self.message = message


def _md5(text: str) -> str:
    # Duitku's protocol signs inquiries and callbacks with MD5; Warung cannot choose another hash.
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324


def inquiry_signature(merchant_code: str, merchant_order_id: str, amount: int, api_key: str) -> str:
    return _md5(f"{merchant_code}{merchant_order_id}{int(amount)}{api_key}")


def callback_signature(merchant_code: str, amount: str, merchant_order_id: str, api_key: str) -> str:
    """`amount` is the callback's amount string exactly as received."""
    return _md5(f"{merchant_code}{amount}{merchant_order_id}{api_key}")


def status_signature(merchant_code: str, merchant_order_id: str, api_key: str) -> str:
    return _md5(f"{merchant_code}{merchant_order_id}{api_key}")


def payment_methods_signature(merchant_code: str, amount: int, when: str, api_key: str) -> str:
    return hashlib.sha256(f"{merchant_code}{int(amount)}{when}{api_key}".encode()).hexdigest()


def signatures_match(expected: str, given: str) -> bool:
    """Constant-time comparison, case-insensitive on the hex digits."""
    return hmac.compare_digest(expected.lower().encode(), (given or "").lower().encode())


@dataclass(frozen=True)
class InquiryResult:
    reference: str
    qr_string: str
    payment_url: str
    amount: int


@dataclass(frozen=True)
class StatusResult:
    status_code: str
    reference: str
    amount: int | None
    message: str

    @property
    def is_paid(self) -> bool:
        return self.status_code == STATUS_PAID

    @property
    def is_cancelled(self) -> bool:
        return self.status_code == STATUS_CANCELLED


@dataclass
class DuitkuClient:
    base_url: str
    merchant_code: str
    api_key: str
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self):
        self.base_url = self.base_url.rstrip("/")

    def __repr__(self) -> str:  # keep the API key out of logs and tracebacks
        return f"DuitkuClient(base_url={self.base_url!r}, merchant_code={self.merchant_code!r})"

    def inquiry(
        self,
        *,
        merchant_order_id: str,
        amount: int,
        product_details: str,
        email: str,
        customer_va_name: str,
        callback_url: str,
        return_url: str,
        payment_method: str,
        expiry_minutes: int,
        phone_number: str | None = None,
    ) -> InquiryResult:
        """Create a transaction; `merchant_order_id` must be new for every attempt."""
        if len(merchant_order_id) > MERCHANT_ORDER_ID_MAX:
            raise ValueError("merchantOrderId is longer than 50 characters")
        body: dict[str, Any] = {
            "merchantCode": self.merchant_code,
            "paymentAmount": int(amount),
            "merchantOrderId": merchant_order_id,
            "productDetails": product_details[:PRODUCT_DETAILS_MAX],
            "email": email,
            "paymentMethod": payment_method,
            "customerVaName": customer_va_name[:CUSTOMER_VA_NAME_MAX],
            "callbackUrl": callback_url,
            "returnUrl": return_url,
            "expiryPeriod": int(expiry_minutes),
            "signature": inquiry_signature(self.merchant_code, merchant_order_id, amount, self.api_key),
        }
        if phone_number:
            body["phoneNumber"] = phone_number
        data = self._post(INQUIRY_PATH, body)
        try:
            if data.get("statusCode") != "00":
                raise GatewayRejected(200, str(data.get("statusMessage") or "inquiry not successful"))
            return InquiryResult(
                reference=str(data["reference"]),
                qr_string=str(data.get("qrString") or ""),
                payment_url=str(data.get("paymentUrl") or ""),
                amount=int(data.get("amount") or amount),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise GatewayUnavailable(f"unexpected inquiry answer: {exc!r}") from exc

    def transaction_status(self, merchant_order_id: str) -> StatusResult:
        data = self._post(
            STATUS_PATH,
            {
                "merchantCode": self.merchant_code,
                "merchantOrderId": merchant_order_id,
                "signature": status_signature(self.merchant_code, merchant_order_id, self.api_key),
            },
        )
        try:
            amount = data.get("amount")
            return StatusResult(
                status_code=str(data["statusCode"]),
                reference=str(data.get("reference") or ""),
                amount=int(amount) if amount not in (None, "") else None,
                message=str(data.get("statusMessage") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise GatewayUnavailable(f"unexpected transactionStatus answer: {exc!r}") from exc

    def payment_methods(self, amount: int, when: datetime) -> list[dict]:
        stamp = when.strftime("%Y-%m-%d %H:%M:%S")
        data = self._post(
            PAYMENT_METHODS_PATH,
            {
                "merchantcode": self.merchant_code,
                "amount": int(amount),
                "datetime": stamp,
                "signature": payment_methods_signature(self.merchant_code, amount, stamp, self.api_key),
            },
        )
        methods = data.get("paymentFee")
        if data.get("responseCode") != "00" or not isinstance(methods, list):
            raise GatewayUnavailable("unexpected getpaymentmethod answer")
        return methods

    def _post(self, path: str, body: dict) -> dict:
        url = self.base_url + path
        try:
            response = self.session.post(url, json=body, timeout=(self.connect_timeout, self.read_timeout))
        except requests.RequestException as exc:
            log.warning("Duitku %s unreachable: %s", path, type(exc).__name__)
            raise GatewayUnavailable(f"Duitku unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            log.warning("Duitku %s answered %s", path, response.status_code)
            raise GatewayUnavailable(f"Duitku answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            data = None
        if 400 <= response.status_code < 500:
            message = data.get("Message") if isinstance(data, dict) else None
            raise GatewayRejected(response.status_code, str(message or response.reason or "refused"))
        if response.status_code != 200 or not isinstance(data, dict):
            log.warning("Duitku %s gave an unusable answer (HTTP %s)", path, response.status_code)
            raise GatewayUnavailable(f"Duitku gave an unusable answer (HTTP {response.status_code})")
        return data
