"""Sending the payment callback to the merchant, as Duitku does: form-encoded, md5-signed,
retried on anything but HTTP 200, five attempts in all."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import requests

from webapp.payments.duitku import callback_signature

from .store import Store, Transaction

log = logging.getLogger(__name__)
ATTEMPTS = 5


def callback_form(txn: Transaction, api_key: str, result_code: str, settlement_date: str) -> dict[str, str]:
    amount = str(txn.amount)
    return {
        "merchantCode": txn.merchant_code,
        "amount": amount,
        "merchantOrderId": txn.merchant_order_id,
        "productDetail": txn.product_details,
        "additionalParam": "",
        "paymentCode": txn.payment_method,
        "resultCode": result_code,
        "merchantUserId": "",
        "reference": txn.reference,
        "signature": callback_signature(txn.merchant_code, amount, txn.merchant_order_id, api_key),
        "publisherOrderId": f"PUB{txn.reference}",
        "spUserHash": "",
        "settlementDate": settlement_date,
        "issuerCode": txn.issuer_code,
    }


def deliver(
    store: Store,
    txn: Transaction,
    form: dict[str, str],
    retry_delays: Sequence[float],
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """POST the callback until it is answered 200, at most ATTEMPTS times."""
    delays = [0.0, *list(retry_delays)[: ATTEMPTS - 1]]
    for delay in delays:
        if delay:
            sleep(delay)
        try:
            response = requests.post(txn.callback_url, data=form, timeout=(3.05, 10))
            result, delivered = f"HTTP {response.status_code}", response.status_code == 200
        except requests.RequestException as exc:
            result, delivered = type(exc).__name__, False
        store.record_callback(txn.reference, result)
        if delivered:
            return True
        log.info("sandbox callback for %s not accepted: %s", txn.merchant_order_id, result)
    return False
