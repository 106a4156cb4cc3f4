"""Duitku's side of a QRIS payment, played by the sandbox: a customer paying on its
payer page, a payment settled without a callback, and the callback Duitku posts."""

from __future__ import annotations

import requests

from duitku_sandbox import DEFAULT_API_KEY, DEFAULT_MERCHANT_CODE
from tests.db_helpers import end_transaction
from webapp.models import Payment
from webapp.payments import duitku


def pay_on_sandbox(sandbox, payment: Payment, action: str = "pay", issuer: str = "93600914") -> None:
    """Press the payer page's button, as a customer's e-wallet would."""
    url = f"{sandbox.config['BASE_URL']}/pay/{payment.reference}"
    end_transaction()
    response = requests.post(
        url,
        data={"action": action, "issuer": issuer},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 303, response.text


def settle_quietly(sandbox, payment: Payment, now, issuer: str = "93600918") -> None:
    """Mark it paid at Duitku without sending any callback (a lost callback)."""
    assert sandbox.extensions["sandbox_store"].settle(payment.reference, "00", issuer, now)


def callback_form(payment: Payment, api_key: str = DEFAULT_API_KEY, **overrides) -> dict[str, str]:
    """The form Duitku posts to the callback URL for `payment`, signed with `api_key`;
    `overrides` replace fields (a given `signature` is kept as it is)."""
    form = {
        "merchantCode": DEFAULT_MERCHANT_CODE,
        "amount": str(payment.amount),
        "merchantOrderId": payment.merchant_order_id,
        "productDetail": "Pesanan",
        "additionalParam": "",
        "paymentCode": "SP",
        "resultCode": "00",
        "merchantUserId": "",
        "reference": payment.reference or "",
        "publisherOrderId": "PUB1",
        "spUserHash": "",
        "settlementDate": "2026-11-22",
        "issuerCode": "93600918",
    }
    form.update(overrides)
    form.setdefault(
        "signature",
        duitku.callback_signature(form["merchantCode"], form["amount"], form["merchantOrderId"], api_key),
    )
    return form
