"""The customer's QRIS order page: QR, polling, expiry, Duitku down, paying for real."""

import re

import pytest

from tests.apps import NOWHERE
from tests.db_helpers import reload
from tests.duitku_side import pay_on_sandbox
from tests.http_helpers import check_out, csrf_token_from, poll_order, seen_version
from tests.qr_images import decode_png
from webapp.extensions import db
from webapp.payments import gateway, qr


def test_qr_png_decodes_to_the_stored_qr_string(client, csrf, menu):
    payment = check_out(client, csrf, menu, method="qris").current_payment
    response = client.get(f"/payments/{payment.public_id}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert payment.qr_string in decode_png(response.data)
    svg = client.get(f"/payments/{payment.public_id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.data.startswith(b"<svg")


def test_page_shows_qr_amount_merchant_and_printed_expiry(client, csrf, menu, clock):
    order = check_out(client, csrf, menu, method="qris")
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert '<svg class="qr"' in page and "Rp50.000" in page
    assert "Warung Makan Sederhana" in page
    assert "Berlaku sampai 12.10 WIB" in page  # 05:00 UTC + 10 min, in Jakarta
    assert 'data-seconds-left="600"' in page
    assert "Bayar di sandbox Duitku" not in page  # only with the built-in sandbox


def test_unknown_payment_image_is_404(client, menu):
    assert client.get("/payments/nope/qr.png").status_code == 404
    assert client.get("/payments/nope/qr.gif").status_code == 404


def test_polling_answers_204_until_something_changes(client, csrf, menu, clock):
    order = check_out(client, csrf, menu, method="qris")
    first = poll_order(client, order)
    assert first.status_code == 200 and 'hx-trigger="every 2s"' in first.get_data(as_text=True)
    version = seen_version(first.get_data(as_text=True))
    assert poll_order(client, order, version).status_code == 204
    clock.advance(minutes=10)
    expired = poll_order(client, order, version)
    assert expired.status_code == 200
    assert "QR kedaluwarsa" in expired.get_data(as_text=True)


def test_a_status_check_that_finds_nothing_new_answers_204_without_drawing_the_qr(
    client, csrf, menu, clock, monkeypatch
):
    order = check_out(client, csrf, menu, method="qris")
    version = seen_version(poll_order(client, order).get_data(as_text=True))
    checked = reload(order.current_payment).last_checked_at
    drawn = []
    monkeypatch.setattr(qr, "inline_svg", lambda *args: drawn.append(args))
    clock.advance(seconds=11)  # past DUITKU_STATUS_CHECK_INTERVAL: this poll asks Duitku
    assert poll_order(client, order, version).status_code == 204
    assert reload(order.current_payment).last_checked_at > checked
    assert drawn == []


def test_expired_qr_then_pay_cash_instead(client, csrf, menu, clock):
    order = check_out(client, csrf, menu, method="qris")
    clock.advance(minutes=11)
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "QR kedaluwarsa" in page and "QR baru" in page and "Bayar tunai saja" in page
    response = client.post(f"/orders/{order.public_id}/cash", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 303
    order = reload(order)
    assert order.payment_method == "cash" and order.current_payment.status == "expired"
    assert "Silakan bayar di kasir" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_a_valid_qr_can_be_swapped_for_cash(client, csrf, menu, clock):
    order = check_out(client, csrf, menu, method="qris")
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Scan untuk membayar" in page
    cash_form = re.search(rf'<form[^>]*action="/orders/{order.public_id}/cash".*?</form>', page, re.S)
    assert cash_form and "Bayar tunai saja" in cash_form.group(0)
    response = client.post(f"/orders/{order.public_id}/cash", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 303
    order = reload(order)
    assert order.payment_method == "cash" and order.current_payment.status == "cancelled"
    assert "Silakan bayar di kasir" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_expired_qr_then_a_new_qr(client, csrf, menu, clock):
    order = check_out(client, csrf, menu, method="qris")
    first = order.current_payment
    clock.advance(minutes=11)
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    client.post(f"/orders/{order.public_id}/qris", data={"csrf_token": csrf_token_from(page)})
    order = reload(order)
    assert order.current_payment.id != first.id and order.current_payment.status == "pending"
    assert "Scan untuk membayar" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_order_actions_need_csrf(client, csrf, menu):
    order = check_out(client, csrf, menu, method="qris")
    assert client.post(f"/orders/{order.public_id}/cash").status_code == 400
    assert reload(order).payment_method == "qris"


def test_gateway_down_at_checkout_keeps_the_order_and_offers_retry_and_cash(client, csrf, menu):
    duitku = gateway.client()
    original, duitku.base_url = duitku.base_url, NOWHERE
    try:
        order = check_out(client, csrf, menu, method="qris")
        page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    finally:
        duitku.base_url = original
    assert "QRIS sedang tidak tersedia" in page and "Coba lagi" in page and "Bayar tunai saja" in page
    assert reload(order).status == "awaiting_payment"
    client.post(f"/orders/{order.public_id}/qris", data={"csrf_token": csrf_token_from(page)})
    assert "Scan untuk membayar" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_paying_on_the_sandbox_flips_the_polled_fragment_to_paid(client, csrf, menu, sandbox, live_app):
    order = check_out(client, csrf, menu, method="qris")
    version = seen_version(poll_order(client, order).get_data(as_text=True))
    pay_on_sandbox(sandbox, order.current_payment)
    response = poll_order(client, order, version)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pembayaran diterima" in body and order.number in body
    assert 'hx-trigger="every 5s"' in body  # the kitchen's slower poll


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_final_states_stop_polling_even_when_seen(client, csrf, menu, status):
    order = check_out(client, csrf, menu, method="qris")
    version = seen_version(poll_order(client, order).get_data(as_text=True))
    order.status = status
    db.session.commit()
    response = poll_order(client, order, version)
    assert response.status_code == 286 and "hx-trigger" not in response.get_data(as_text=True)
