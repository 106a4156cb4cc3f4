"""The Python partner client against the app served on a loopback port."""

import re
import threading

import pytest
import requests

from tests.db_helpers import end_transaction
from tests.http_helpers import wait_until_watched
from warung_client import (
    AuthenticationError,
    ConflictError,
    ForbiddenError,
    GatewayError,
    NotFoundError,
    PaymentTimeoutError,
    ValidationError,
    WarungClient,
    verify_webhook,
)
from webapp.payments import gateway


def test_partner_from_the_cli_takes_a_payment_with_the_client_alone(app, sandbox, live_app, endpoint):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["partners", "create", "Kasir Maju", "--webhook-url", endpoint.url]).output
    api_key = re.search(r"API key: (\S+)", created).group(1)
    secret = re.search(r"Webhook secret: (\S+)", created).group(1)
    license_key = runner.invoke(args=["partners", "add-license", "Kasir Maju", "--store", "Toko Maju"]).output.strip()
    end_transaction()

    client = WarungClient(live_app, api_key)
    qris = client.generate_qris(license_key=license_key, amount=50000, reference_id="POS-1")
    assert qris["amount"] == 50000 and qris["status"] == "pending"
    image = requests.get(qris["qris_image_url"], timeout=5)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"

    def pay():
        wait_until_watched(app)
        requests.post(
            f"{sandbox.config['BASE_URL']}/pay/{qris['transaction_token']}", data={"action": "pay"}, timeout=10
        )

    payer = threading.Thread(target=pay)
    payer.start()
    result = client.wait_for_payment(qris["transaction_id"], timeout=30)
    payer.join()
    assert result["status"] == "paid" and result["paid_at"]

    [hook] = endpoint.received
    event = verify_webhook(hook["body"], hook["signature"], secret)
    assert event["event"] == "payment.paid" and event["data"]["reference_id"] == "POS-1"
    assert client.check_payment_status(qris["transaction_id"])["status"] == "paid"
    with pytest.raises(ConflictError):
        client.cancel_payment(qris["transaction_id"])


def test_client_errors_map_to_exceptions(app, pos, other_pos, live_app):
    end_transaction()
    client = WarungClient(live_app, pos.api_key)
    with pytest.raises(ForbiddenError) as forbidden:
        WarungClient(live_app, other_pos.api_key).generate_qris(order_id="any-order")
    assert forbidden.value.status == 403 and forbidden.value.field == "order_id"
    with pytest.raises(ValidationError) as invalid:
        client.generate_qris(license_key=pos.license_key, amount=5)
    assert invalid.value.field == "amount" and invalid.value.status == 422
    with pytest.raises(NotFoundError):
        client.generate_qris(license_key="LIC-NOPE", amount=50000)
    with pytest.raises(NotFoundError):
        client.check_payment_status("nope")
    with pytest.raises(AuthenticationError):
        WarungClient(live_app, "wrong").check_payment_status("x")
    qris = client.generate_qris(license_key=pos.license_key, amount=50000)
    assert client.cancel_payment(qris["transaction_id"])["status"] == "cancelled"
    assert client.cancel_payment(qris["transaction_id"])["status"] == "cancelled"


def test_gateway_errors_carry_retry_after(app, pos, live_app):
    duitku = gateway.client()
    original, duitku.base_url = duitku.base_url, "http://127.0.0.1:9"
    end_transaction()
    try:
        with pytest.raises(GatewayError) as raised:
            WarungClient(live_app, pos.api_key).generate_qris(license_key=pos.license_key, amount=50000)
    finally:
        duitku.base_url = original
    assert raised.value.retry_after == 30


def test_wait_for_payment_raises_a_timeout_error(app, pos, live_app):
    end_transaction()
    client = WarungClient(live_app, pos.api_key)
    qris = client.generate_qris(license_key=pos.license_key, amount=50000)
    with pytest.raises(PaymentTimeoutError, match="timeout"):
        client.wait_for_payment(qris["transaction_id"], timeout=1)


def test_unreachable_server_is_a_gateway_error():
    with pytest.raises(GatewayError):
        WarungClient("http://127.0.0.1:9", "key", timeout=1).check_payment_status("x")
