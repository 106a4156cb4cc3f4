"""The refund form on the cashier's order page in the browser (issue 27 item 4), at phone
and tablet sizes, within the width and passing axe: refused on its fields, then given
with a manager's PIN and shown on the order."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import PHONE_AND_TABLETS as SIZES
from tests.browser.pages import fits_and_passes_axe, log_in, open_page
from tests.db_helpers import end_transaction
from tests.refunds.conftest import PIN


@pytest.mark.parametrize("size", SIZES)
def test_the_refund_form_on_the_order_page(browser, server, app, menu, size, tmp_path):
    viewport = SIZES[size]
    make.manager(pin=PIN)
    make.staff_user("kasir")
    make.bill_settings(rounding_step=500)
    order = make.paid_order(menu, lines=make.TWO_NASI_GORENG)  # Rp58.000
    order_url = f"/cashier/orders/{order.public_id}"
    end_transaction()
    context, page = open_page(browser, server, viewport)
    log_in(page, "kasir", make.STAFF_PASSWORD, re.compile("Menunggu tunai"))  # the cashier; rini approves

    page.goto(order_url)
    page.get_by_text("Kembalikan uang", exact=True).first.click()
    form = page.locator(".order-refund form")  # the page has the void form too
    form.get_by_label("Sejumlah uang").check()
    form.get_by_label("Jumlah (Rp)").fill("60.000")
    form.get_by_label("transfer bank").check()
    form.get_by_label("Alasan", exact=True).fill("rasa tidak sesuai")
    form.get_by_role("button", name="Kembalikan uang").click()
    expect(page.locator("#amount-error")).to_have_text("Paling banyak Rp58.000 yang bisa dikembalikan.")
    expect(page.locator("#reference-error")).to_have_text("Tulis nomor referensi transfer atau e-wallet-nya.")
    fits_and_passes_axe(page, viewport, f"order page, a refund refused ({size})")
    page.screenshot(path=str(tmp_path / f"refund-refused-{size}.png"), full_page=True)
    form.get_by_label("Jumlah (Rp)").fill("8.000")
    form.get_by_label("Nomor referensi").fill("BCA 0077")
    form.get_by_label("Disetujui oleh").select_option("rini")
    form.get_by_label("PIN manajer").fill(PIN)
    form.get_by_role("button", name="Kembalikan uang").click()
    expect(page.locator(".order-refunds")).to_contain_text("-Rp8.000")
    expect(page.locator(".order-refunds")).to_contain_text("transfer bank (BCA 0077)")
    fits_and_passes_axe(page, viewport, f"order page with a refund ({size})")
    page.screenshot(path=str(tmp_path / f"refund-{size}.png"), full_page=True)
    context.close()
