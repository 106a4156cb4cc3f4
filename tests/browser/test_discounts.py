"""Discounts in the browser (issue 27 item 5): a promotion struck through on the
customer's menu, cart and checkout, and the staff's discount pages, each at phone and
tablet sizes, within the width and passing axe."""

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import PHONE_AND_TABLETS as SIZES
from tests.browser.pages import fits_and_passes_axe, log_in_as_admin, open_page
from tests.db_helpers import end_transaction
from webapp.models import Role
from webapp.models.discounts import EVERY_DAY


@pytest.fixture
def all_day(app, menu):
    """A promotion in effect whenever the test runs (the served app reads the wall clock):
    Rp5.000 off Nasi Goreng every day, all day. (Rendang is back in stock: a sold-out
    item's faded badge fails axe's contrast check on its own.)"""
    menu["Rendang"].available = True
    promotion = make.promotion(
        menu,
        name="Promo makan siang",
        amount=5000,
        days=EVERY_DAY,
        hours=(0, 24),
        items=("Nasi Goreng",),
        categories=(),
    )
    make.staff_user("bos", role=Role.ADMIN)
    end_transaction()
    return promotion


@pytest.mark.parametrize("size", SIZES)
def test_the_customer_sees_the_promotion_struck_through(browser, server, all_day, size, tmp_path):
    viewport = SIZES[size]
    context, page = open_page(browser, server, viewport)
    page.goto("/")
    nasi = page.locator(".item", has_text="Nasi Goreng")
    expect(nasi.locator(".old-price")).to_contain_text("Rp25.000")
    expect(nasi.locator(".new-price")).to_contain_text("Rp20.000")
    expect(nasi.locator(".promo-name")).to_have_text("Promo makan siang")
    fits_and_passes_axe(page, viewport, f"menu with a promotion ({size})")
    nasi.get_by_role("button", name="Tambah Nasi Goreng").click()
    cart = page.locator("#cart")
    expect(cart.locator(".cart-total")).to_contain_text("Rp20.000")
    page.goto("/cart")
    expect(page.locator(".cart-line .old-price")).to_contain_text("Rp25.000")
    fits_and_passes_axe(page, viewport, f"cart with a promotion ({size})")
    page.goto("/checkout")
    expect(page.get_by_role("button", name="Pesan sekarang · Rp20.000")).to_be_visible()
    fits_and_passes_axe(page, viewport, f"checkout with a promotion ({size})")
    page.screenshot(path=str(tmp_path / f"checkout-{size}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_promotions_page(browser, server, all_day, size, tmp_path):
    viewport = SIZES[size]
    context, page = open_page(browser, server, viewport)
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
    page.goto("/admin/promotions")
    expect(page.get_by_text("berlaku sekarang")).to_be_visible()
    page.get_by_label("Nama promo").fill("Happy hour")
    page.get_by_label("Besar potongan").fill("150")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#value-error")).to_have_text("Potongan paling besar 100%.")
    fits_and_passes_axe(page, viewport, f"promotions page with errors ({size})")
    page.screenshot(path=str(tmp_path / f"promotions-{size}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_vouchers_page(browser, server, all_day, size, tmp_path):
    viewport = SIZES[size]
    context, page = open_page(browser, server, viewport)
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
    page.goto("/admin/vouchers")
    page.get_by_label("Kode voucher").fill("hemat10")
    page.get_by_label("Besar potongan").fill("10")
    page.get_by_label("Berlaku sampai").fill("2020-01-01")
    page.get_by_role("button", name="Buat voucher").click()
    expect(page.locator("#valid_until-error")).to_have_text("Tanggal akhir tidak boleh sebelum tanggal mulai.")
    fits_and_passes_axe(page, viewport, f"vouchers page with errors ({size})")
    page.get_by_label("Berlaku sampai").fill("2099-12-31")
    page.get_by_role("button", name="Buat voucher").click()
    expect(page.get_by_text("HEMAT10", exact=True)).to_be_visible()
    fits_and_passes_axe(page, viewport, f"vouchers page ({size})")
    page.screenshot(path=str(tmp_path / f"vouchers-{size}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_staff_discount_forms_on_the_order_page_and_the_till(browser, server, app, menu, size, tmp_path):
    viewport = SIZES[size]
    make.manager()
    make.staff_user("bos", role=Role.ADMIN)
    order_url = f"/cashier/orders/{make.order(menu, lines=make.TWO_NASI_GORENG).public_id}"
    end_transaction()
    context, page = open_page(browser, server, viewport)
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)

    page.goto(order_url)
    page.get_by_text("Beri diskon").click()
    form = page.locator(".order-discount form")  # the page has the void form too
    form.get_by_label("Besar potongan").fill("50")
    form.get_by_label("Alasan").fill("pelanggan tetap")
    page.get_by_role("button", name="Berikan diskon").click()
    expect(page.locator("#pin-error")).to_contain_text("perlu persetujuan manajer")
    fits_and_passes_axe(page, viewport, f"order page, a discount waiting for approval ({size})")
    form.get_by_label("Disetujui oleh").select_option("rini")
    form.get_by_label("PIN manajer").fill("4321")
    page.get_by_role("button", name="Berikan diskon").click()
    expect(page.get_by_text("Terima tunai: Rp25.000")).to_be_visible()
    expect(page.locator(".order-given")).to_contain_text("disetujui rini")
    fits_and_passes_axe(page, viewport, f"order page with a discount ({size})")
    page.screenshot(path=str(tmp_path / f"order-{size}.png"), full_page=True)

    page.goto("/till")
    page.locator(".till-tile", has_text="Nasi Goreng").click()
    expect(page.locator(".till-total")).to_contain_text("Rp25.000")
    page.get_by_text("Beri diskon").click()
    page.get_by_label("Besar potongan").fill("10")
    page.get_by_label("Alasan").fill("ulang tahun")
    page.get_by_role("button", name="Berikan diskon").click()
    expect(page.locator(".till-total")).to_contain_text("Rp22.500")
    page.get_by_label("Kode voucher").fill("TIDAKADA")
    page.get_by_role("button", name="Pakai voucher").click()
    expect(page.locator("#voucher-error")).to_have_text("Kode voucher tidak dikenal.")
    fits_and_passes_axe(page, viewport, f"till with a discount ({size})")
    page.screenshot(path=str(tmp_path / f"till-{size}.png"), full_page=True)
    context.close()
