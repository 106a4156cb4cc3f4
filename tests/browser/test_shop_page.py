"""The shop page in a browser (issue 24, item 19b): an admin on a phone names the shop
and uploads its logo; the header, a receipt and the printed table cards show them (six
cards still fit an A4 page, the logo within each cut line)."""

import re

from playwright.sync_api import expect

from tests import factories as make
from tests import photo_files
from tests.browser.pages import (
    A4_PRINTED_WIDTH,
    CARDS_OUTSIDE_THEIR_LINE,
    SMALL_PHONE,
    assert_accessible,
    assert_fits,
    log_in_as_admin,
    pdf_pages,
)
from tests.db_helpers import end_transaction
from webapp.models import Role

LOGO = photo_files.encoded(photo_files.two_halves(1200, 300).convert("RGBA"), "PNG")


def test_an_admin_names_the_shop_and_its_logo_shows_everywhere(app, browser, server, menu, tmp_path):
    make.staff_user("bos", role=Role.ADMIN)
    make.bill_settings(merchant_address="Jl. Braga 12, Bandung")
    for label in ("1", "2", "3", "4", "5", "Teras Kolam 6"):
        make.dining_table(label)
    receipt = make.paid_order(menu).public_id
    end_transaction()
    context = browser.new_context(viewport=SMALL_PHONE, locale="id-ID", base_url=server)
    page = context.new_page()
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
    page.get_by_role("navigation", name="Menu staf").locator("summary", has_text="Pengaturan").click()
    page.get_by_role("navigation", name="Menu staf").get_by_role("link", name="Toko").click()
    expect(page.get_by_label("Nama toko")).to_have_value("Warung Makan Sederhana")
    expect(page.get_by_text("Jl. Braga 12, Bandung")).to_be_visible()
    page.get_by_label("Nama toko").fill("Warung Bu Tini")
    page.get_by_label("Logo", exact=True).set_input_files({"name": "logo.png", "mimeType": "image/png", "buffer": LOGO})
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Pengaturan toko disimpan.")).to_be_visible()
    brand = page.locator(".topbar .brand")
    expect(brand).to_have_text("Warung Bu Tini")
    expect(page).to_have_title(re.compile("^Toko · Admin$"))
    assert brand.locator("img").evaluate("img => img.complete && img.naturalWidth") == 480
    assert_fits(page, SMALL_PHONE["width"], "shop page with a logo")
    assert_accessible(page, "shop page with a logo")
    page.screenshot(path=str(tmp_path / "shop-phone.png"), full_page=True)

    page.goto(f"/orders/{receipt}/receipt")
    head = page.locator(".receipt-head")
    expect(head.get_by_role("heading", name="Warung Bu Tini")).to_be_visible()
    assert head.locator("img").evaluate("img => img.complete && img.naturalWidth") == 480
    expect(page).to_have_title(re.compile("Warung Bu Tini$"))

    page.goto("/admin/tables/print")
    expect(page.locator(".table-card .table-card-logo img")).to_have_count(6)
    assert pdf_pages(page.pdf(format="A4")) == 1
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTED_WIDTH, "height": 1100})
    assert page.evaluate(CARDS_OUTSIDE_THEIR_LINE) == []
    page.screenshot(path=str(tmp_path / "cards-with-logo-print.png"), full_page=True)
    context.close()
