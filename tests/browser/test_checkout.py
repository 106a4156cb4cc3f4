"""Checkout in a real browser: what it shows follows the order type chosen, and the
figure on the button is the figure charged or put on the table's bill."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests import factories as make
from tests.browser.pages import add_to_cart, assert_accessible, assert_tap_targets, go_to_checkout, screenshot
from tests.browser.test_journeys import demo_menu
from tests.db_helpers import end_transaction
from webapp.extensions import db
from webapp.models import DiningTable, Order


def test_the_button_names_the_total_of_the_order_type_chosen(app, phone):
    demo_menu()
    make.pay_later(rounding_step=100, service_on_takeaway=False)
    token = db.session.scalar(select(DiningTable.token).where(DiningTable.label == "4"))
    end_transaction()
    page = phone().new_page()
    page.goto(f"/t/{token}")
    add_to_cart(page, "Pisang Goreng")
    add_to_cart(page, "Air Mineral")
    go_to_checkout(page)
    payment = page.locator("fieldset", has_text="Cara bayar untuk pesanan bungkus")
    button = page.get_by_role("button", name=re.compile("Pesan sekarang"))

    expect(payment).to_be_hidden()  # dine-in goes on the table's bill: nothing to choose
    # 16.000 + 5% service 800 + 10% tax 1.680, unrounded: the bill is rounded once, as a whole.
    expect(button).to_have_text("Pesan sekarang · Rp18.480")
    assert_accessible(page, "checkout, pay later")
    assert_tap_targets(page, "checkout, pay later")
    screenshot(page, "checkout-pay-later", full_page=True)

    page.get_by_label("Bungkus, dibawa pulang").check()
    expect(payment).to_be_visible()
    expect(page.get_by_text("Bayar nanti sebelum pulang")).to_be_hidden()
    expect(button).to_have_text("Pesan sekarang · Rp17.600")  # 16.000 + 10% tax, no service for takeaway
    page.get_by_label("Nama", exact=True).fill("Rina")
    page.get_by_label("Tunai di kasir").check()
    button.click()
    expect(page.locator(".order-number")).to_be_visible()
    order = db.session.scalar(select(Order))
    assert (order.is_takeaway, order.total) == (True, 17_600)
