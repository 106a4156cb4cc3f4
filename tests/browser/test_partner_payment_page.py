"""A partner payment's public page, where Duitku sends the payer back: at phone size,
accessible, and flipping to paid by itself."""

import requests
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import assert_accessible, pay_on_the_sandbox_page
from tests.db_helpers import end_transaction


def test_partner_payment_page_flips_to_paid_after_the_sandbox_payment(app, server, phone):
    pos = make.partner("Kasir Browser", store="Toko Browser")
    headers, license_key = pos.headers, pos.license_key
    end_transaction()  # (SQLite: the server writes next)
    created = requests.post(
        f"{server}/api/v1/payments/qris",
        headers=headers,
        json={"license_key": license_key, "amount": 42000, "description": "Kopi"},
        timeout=15,
    ).json()
    assert "transaction_id" in created, created

    page = phone().new_page()
    page.goto(f"/payments/{created['transaction_id']}")
    expect(page.get_by_role("heading", name="Scan untuk membayar")).to_be_visible()
    expect(page.get_by_text("Rp42.000")).to_be_visible()
    expect(page.get_by_text("Toko Browser")).to_be_visible()
    assert_accessible(page, "payment page (QR)")

    pay_on_the_sandbox_page(page)
    assert_accessible(page, "payment page (paid)")
