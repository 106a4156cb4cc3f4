"""Helpers for payment tests: orders with QRIS payments, sandbox payments, callbacks."""
from __future__ import annotations

import requests

from webapp.extensions import db
from webapp.models import Order, Payment, PaymentMethod
from webapp.orders.cart import Cart, price_cart
from webapp.orders.placing import CustomerDetails, place_order
from webapp.payments import duitku, qris_payments
from duitku_sandbox import DEFAULT_API_KEY, DEFAULT_MERCHANT_CODE


def qris_order(menu, quantity: int = 2) -> Order:
    cart = Cart({})
    cart.add(menu["Nasi Goreng"].id, quantity)
    customer = CustomerDetails(name="Sari", table_label="7", note="", payment_method=PaymentMethod.QRIS)
    return place_order(price_cart(cart), customer)


def qris_payment(menu, quantity: int = 2) -> Payment:
    return qris_payments.create_qris_payment(qris_order(menu, quantity))


def end_transaction() -> None:
    """End the test thread's transaction before another thread writes: on SQLite an
    open transaction holds the write lock (the app runs BEGIN IMMEDIATE)."""
    db.session.commit()


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


def reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)
