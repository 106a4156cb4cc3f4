"""Voids in the browser (issue 27 item 3): the cashier's order page's void form refused
without a manager's PIN for a paid order, then approved, and the station's display
showing the BATAL ticket; at phone and tablet sizes, within the width and passing axe."""

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import PHONE_AND_TABLETS as SIZES
from tests.browser.pages import fits_and_passes_axe, log_in_as_admin, open_page
from tests.db_helpers import end_transaction
from webapp.kitchen import stations
from webapp.models import Category, Role


@pytest.mark.parametrize("size", SIZES)
def test_voiding_a_line_of_a_paid_order_and_the_batal_on_the_display(browser, server, app, menu, size, tmp_path):
    viewport = SIZES[size]
    make.manager()
    make.staff_user("bos", role=Role.ADMIN)
    kitchen = stations.save_station(None, "Dapur", "")
    for category in Category.query.all():
        stations.assign(category, kitchen)
    order = make.paid_order(menu, lines=(("Nasi Goreng", 2), ("Es Teh Manis", 1)))
    order_url, display_url = f"/cashier/orders/{order.public_id}", f"/kitchen/{kitchen.id}"
    end_transaction()
    context, page = open_page(browser, server, viewport)
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)

    page.goto(order_url)
    page.get_by_text("Batalkan baris atau pesanan (void)").click()
    form = page.locator(".order-void form")  # the page has the refund form too
    form.get_by_label("Yang dibatalkan").select_option(label="2\u00d7 Nasi Goreng")
    form.get_by_label("Jumlah", exact=True).fill("1")
    form.get_by_label("Alasan").fill("habis")
    form.get_by_role("button", name="Batalkan (void)").click()
    expect(page.locator("#void-pin-error")).to_contain_text("perlu persetujuan manajer")
    fits_and_passes_axe(page, viewport, f"order page, a void waiting for approval ({size})")
    form.get_by_label("Disetujui oleh").select_option("rini")
    form.get_by_label("PIN manajer").fill("4321")
    form.get_by_role("button", name="Batalkan (void)").click()
    expect(page.get_by_role("alert")).to_contain_text("Dibatalkan setelah dibayar: kembalikan Rp25.000.")
    expect(page.locator(".order-voids")).to_contain_text("disetujui rini")
    fits_and_passes_axe(page, viewport, f"order page with a void ({size})")
    page.screenshot(path=str(tmp_path / f"order-void-{size}.png"), full_page=True)

    page.goto(display_url)
    batal = page.locator(".kitchen-void")
    expect(batal.locator(".kitchen-void-title")).to_have_text("BATAL")
    expect(batal.locator("s")).to_have_text("1\u00d7 Nasi Goreng")
    fits_and_passes_axe(page, viewport, f"kitchen display with a BATAL ticket ({size})")
    page.screenshot(path=str(tmp_path / f"display-void-{size}.png"), full_page=True)
    batal.get_by_role("button", name="Sudah dilihat").click()
    expect(page.locator(".kitchen-void")).to_have_count(0)
    context.close()
