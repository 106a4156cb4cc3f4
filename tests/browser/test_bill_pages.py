"""Receipts on 58 mm, 80 mm and A4 paper, on a customer's phone, and the bill's admin
pages, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import (
    MM_PT,
    MM_PX,
    RECEIPT_FITS,
    SMALL_PHONE,
    TABLETS,
    assert_accessible,
    assert_fits,
    assert_tap_targets,
    log_in_as_admin,
    open_page,
    pdf_page_sizes,
    screenshot,
)
from tests.db_helpers import end_transaction
from webapp.models import Role

PAPERS = {"58": (58, 32), "80": (80, 48), "a4": (210, None)}  # paper width in mm, characters a line
TABLET = TABLETS["tablet-1024x768"]


@pytest.fixture
def paid_receipt(app, menu):
    """The public id of a paid cash order of a restaurant with 10% tax, 5% service, "++" and rounding up to Rp500."""
    make.bill_settings(
        rounding_step=500, merchant_address="Jl. Braga 12, Bandung", merchant_tax_number="P2.0001234.16.01"
    )
    order = make.paid_order(
        menu, lines=[("Nasi Goreng", 2, "tidak pedas"), ("Es Teh Manis", 3)], tendered=100_000, cashier="sari"
    )
    public_id = order.public_id
    end_transaction()  # the server's SQLite must not wait for this process
    return public_id


@pytest.mark.parametrize("paper", PAPERS)
def test_the_cashier_prints_the_receipt_on_the_paper_chosen(cashier, paid_receipt, paper):
    """Each paper is a page of its own width (`size: 58mm auto` was dropped as invalid
    CSS: every paper printed on A4), and the receipt's lines fit it."""
    width_mm, chars = PAPERS[paper]
    page = cashier(TABLET)
    page.goto(f"/cashier/orders/{paid_receipt}")
    page.get_by_role("link", name="Struk").click()
    if paper != "80":  # the receipt opens on 80 mm paper
        page.get_by_role("link", name="A4" if paper == "a4" else f"{paper} mm").click()
        page.wait_for_url(f"**paper={paper}")
    expect(page.get_by_role("heading", name="Warung Makan Sederhana")).to_be_visible()
    expect(page.locator(".receipt")).to_contain_text("Rp75.500")  # 65.000 + 3.250 + 6.825 + 425
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()
    assert_accessible(page, f"receipt {paper}")
    sizes = pdf_page_sizes(page.pdf(prefer_css_page_size=True))
    assert len(sizes) == 1, sizes  # the whole receipt on one page
    assert abs(sizes[0][0] - width_mm * MM_PT) < 1, sizes  # 58 mm = 164.4 pt, 80 mm = 226.8 pt, A4 = 595.3 pt
    if chars is None:
        return
    page.set_viewport_size({"width": round(width_mm * MM_PX), "height": 900})
    page.emulate_media(media="print")
    fit = page.evaluate(RECEIPT_FITS)
    assert fit["overflowing"] == 0, fit
    assert fit["width"] <= width_mm * MM_PX, fit
    assert round(fit["chars"]) == chars, fit
    expect(page.locator(".topbar")).to_be_hidden()
    screenshot(page, f"receipt-{paper}mm", full_page=True)


@pytest.mark.parametrize("viewport", [SMALL_PHONE, TABLET], ids=["phone-360", "tablet-1024"])
def test_the_customer_reads_the_receipt_on_the_screen(browser, server, paid_receipt, viewport, tmp_path):
    """The receipt fits the customer's screen (80 mm's 48 characters were 440 px wide on
    a 360 px phone) and shows no paper or print button: those are the counter's."""
    context, page = open_page(browser, server, viewport)
    page.goto(f"/orders/{paid_receipt}")
    page.get_by_role("link", name="Lihat struk").click()
    expect(page.locator(".receipt")).to_contain_text("Rp75.500")
    assert_fits(page, viewport["width"], "receipt")
    box = page.locator(".receipt").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box
    expect(page.get_by_text("Kertas:")).to_have_count(0)
    expect(page.get_by_role("link", name="58 mm")).to_have_count(0)
    expect(page.get_by_role("button", name="Cetak")).to_have_count(0)
    expect(page.get_by_role("link", name="Kembali ke pesanan")).to_be_visible()
    page.screenshot(path=str(tmp_path / f"receipt-customer-{viewport['width']}.png"), full_page=True)
    assert_accessible(page, "customer's receipt")
    assert_tap_targets(page, "customer's receipt")
    context.close()


def test_the_bill_admin_pages_are_accessible(browser, server, phone, app):
    make.staff_user("bos", role=Role.ADMIN)
    end_transaction()
    page = phone().new_page()
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
    page.goto("/admin/bill")
    page.get_by_label("Pajak restoran (PB1), %").fill("10")
    page.get_by_label("Biaya layanan, %").fill("5")
    page.get_by_label("Pembulatan total").select_option("500")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("cell", name="10%")).to_be_visible()
    assert_accessible(page, "bill settings")
    page.get_by_label("Pajak restoran (PB1), %").fill("12")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Paling tinggi 10%.")).to_be_visible()
    assert_accessible(page, "bill settings with an error")
    page.goto("/admin/report/bill")
    expect(page.get_by_role("heading", name="Pajak, layanan dan pembulatan")).to_be_visible()
    assert_accessible(page, "bill report")
