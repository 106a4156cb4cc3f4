"""Receipts on 58 mm and 80 mm paper, and the bill's admin pages, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import assert_accessible, log_in_as_admin, screenshot
from tests.db_helpers import end_transaction
from webapp.models import Role

MM_PX = 96 / 25.4  # CSS pixels in a millimetre
PAPERS = {"58": (58, 32), "80": (80, 48)}  # paper width in mm, characters a line

FITS = """() => {
  const receipt = document.querySelector('.receipt');
  const probe = document.createElement('span');
  probe.textContent = 'M'.repeat(10);
  receipt.appendChild(probe);
  const charWidth = probe.getBoundingClientRect().width / 10;
  probe.remove();
  const overflowing = [...receipt.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1).length;
  return {width: receipt.getBoundingClientRect().width, chars: receipt.clientWidth / charWidth, overflowing};
}"""


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
def test_the_receipt_prints_within_the_paper(phone, paid_receipt, paper):
    width_mm, chars = PAPERS[paper]
    page = phone().new_page()
    page.goto(f"/orders/{paid_receipt}")
    page.get_by_role("link", name="Lihat struk").click()
    if paper != "80":  # the receipt opens on 80 mm paper
        page.get_by_role("link", name=f"{paper} mm").click()
        page.wait_for_url(f"**paper={paper}")
    expect(page.get_by_role("heading", name="Warung Makan Sederhana")).to_be_visible()
    expect(page.locator(".receipt")).to_contain_text("Rp75.500")  # 65.000 + 3.250 + 6.825 + 425
    assert_accessible(page, f"receipt {paper} mm")
    page.set_viewport_size({"width": round(width_mm * MM_PX), "height": 900})
    page.emulate_media(media="print")
    fit = page.evaluate(FITS)
    assert fit["overflowing"] == 0, fit
    assert fit["width"] <= width_mm * MM_PX, fit
    assert round(fit["chars"]) == chars, fit
    expect(page.locator(".topbar")).to_be_hidden()
    screenshot(page, f"receipt-{paper}mm", full_page=True)


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
