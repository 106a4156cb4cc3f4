"""A partner payment's public page, where Duitku sends the payer back: at phone size,
accessible, and flipping to paid by itself."""
import requests
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, pay_on_the_sandbox_page
from tests.payments.helpers import end_transaction
from webapp.partners import accounts as partners


def test_partner_payment_page_flips_to_paid_after_the_sandbox_payment(app, server, phone):
    partner, api_key = partners.create_partner("Kasir Browser")
    license_key = partners.add_license(partner, "Toko Browser").key
    end_transaction()  # (SQLite: the server writes next)
    created = requests.post(f"{server}/api/v1/payments/qris", headers={"Authorization": f"Bearer {api_key}"},
                            json={"license_key": license_key, "amount": 42000, "description": "Kopi"},
                            timeout=15).json()
    assert "transaction_id" in created, created

    page = phone().new_page()
    page.goto(f"/payments/{created['transaction_id']}")
    expect(page.get_by_role("heading", name="Scan untuk membayar")).to_be_visible()
    expect(page.get_by_text("Rp42.000")).to_be_visible()
    expect(page.get_by_text("Toko Browser")).to_be_visible()
    assert_accessible(page, "payment page (QR)")

    pay_on_the_sandbox_page(page)
    assert_accessible(page, "payment page (paid)")
