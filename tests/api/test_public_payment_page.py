"""Every payment has a public page to return to from Duitku (/payments/<public_id>):
amount, merchant and a status that updates itself."""

import re

import requests
from sqlalchemy import select

from tests import factories as make
from tests.apps import NOWHERE
from tests.duitku_side import callback_form, settle_quietly
from tests.http_helpers import API, poll_payment, post_qris, seen_version
from webapp.extensions import db
from webapp.models import Payment


def partner_payment(client, pos, **body) -> Payment:
    created = post_qris(client, pos, **body).json
    return db.session.scalar(select(Payment).where(Payment.public_id == created["transaction_id"]))


def test_duitku_returns_the_payer_to_the_payments_public_page(client, pos, sandbox):
    payment = partner_payment(client, pos)
    stored = sandbox.extensions["sandbox_store"].get(payment.reference)
    assert stored.return_url == f"{NOWHERE}/payments/{payment.public_id}"
    back = requests.get(
        f"{sandbox.config['BASE_URL']}/pay/{payment.reference}/return", allow_redirects=False, timeout=5
    )
    landing = client.get(back.headers["Location"].removeprefix(NOWHERE))
    assert landing.status_code == 200


def test_the_page_shows_amount_merchant_and_a_polling_status(client, pos, clock):
    payment = partner_payment(client, pos, description="Kopi susu")
    page = client.get(f"/payments/{payment.public_id}").get_data(as_text=True)
    assert "Rp50.000" in page and "Toko Sinar Jaya" in page and "Kopi susu" in page
    assert "Scan untuk membayar" in page and '<svg class="qr"' in page
    assert "Berlaku sampai 12.10 WIB" in page
    assert f'hx-get="/payments/{payment.public_id}/status?seen=' in page and 'hx-trigger="every 2s"' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_polling_answers_204_until_paid_then_stops(client, pos, sandbox, clock):
    payment = partner_payment(client, pos)
    first = poll_payment(client, payment)
    version = seen_version(first.get_data(as_text=True))
    assert poll_payment(client, payment, version).status_code == 204
    settle_quietly(sandbox, payment, clock(), issuer="93600915")
    client.post(f"{API}/webhooks/duitku", data=callback_form(payment, issuerCode="93600915"))
    paid = poll_payment(client, payment, version)
    html = paid.get_data(as_text=True)
    assert paid.status_code == 286 and "Pembayaran diterima" in html and "DANA" in html
    assert "hx-trigger" not in html


def test_an_expired_payment_says_so_and_stops_polling(client, pos, clock):
    payment = partner_payment(client, pos)
    version = seen_version(poll_payment(client, payment).get_data(as_text=True))
    clock.advance(minutes=11)
    expired = poll_payment(client, payment, version)
    assert expired.status_code == 286 and "QR kedaluwarsa" in expired.get_data(as_text=True)


def test_a_cancelled_payment_says_so(client, pos):
    payment = partner_payment(client, pos)
    client.post(f"{API}/payments/{payment.public_id}/cancel", headers=pos.headers)
    page = client.get(f"/payments/{payment.public_id}").get_data(as_text=True)
    assert "Pembayaran dibatalkan" in page and "hx-trigger" not in page


def test_the_page_is_in_english_too(client, pos):
    payment = partner_payment(client, pos)
    page = client.get(f"/payments/{payment.public_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "QRIS payment" in page and "Scan to pay" in page


def test_a_web_order_payment_leads_to_its_order_page(client, menu):
    payment = make.qris_payment(menu)
    response = client.get(f"/payments/{payment.public_id}")
    assert response.status_code == 303 and response.location.endswith(f"/orders/{payment.order.public_id}")
    assert client.get(f"/payments/{payment.public_id}/status").status_code == 404


def test_unknown_payments_are_404(client, menu):
    assert client.get("/payments/no-such-id").status_code == 404
    assert client.get("/payments/no-such-id/status").status_code == 404


def test_the_live_region_stays_in_place_and_only_its_content_is_polled(client, pos):
    """As on the order page: one live region the screen reader already knows; an inner
    element polls and the answer replaces only the region's content."""
    payment = partner_payment(client, pos)
    page = client.get(f"/payments/{payment.public_id}").get_data(as_text=True)
    assert len(re.findall(r"aria-live=", page)) == 1
    region = re.search(r'<div id="payment-status"[^>]*>', page).group(0)
    assert 'aria-live="polite"' in region and "hx-" not in region
    fragment = poll_payment(client, payment).get_data(as_text=True)
    assert 'id="payment-status"' not in fragment and "aria-live" not in fragment
    trigger = re.search(r"<[^>]*hx-trigger=[^>]*>", fragment).group(0)
    assert 'hx-target="#payment-status"' in trigger and 'hx-swap="innerHTML"' in trigger
