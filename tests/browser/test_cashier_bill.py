"""A table's bill at the cashier's tablet: the floor's tile, the bill's page with its
shares, cash for one share and the change shown large, in a real browser (axe)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import TABLETS, assert_accessible
from tests.db_helpers import end_transaction
from webapp.bills import bill_splits, share_payments

TABLET = TABLETS["tablet-1180x820"]


def shot(page, name: str) -> None:
    """Screenshots for a reviewer's eyes, into WARUNG_SHOTS when it names a folder."""
    if folder := os.environ.get("WARUNG_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def split_bill(app, menu, sandbox):
    """Table 4's bill (Rp98.175) split evenly among three: the first share paid in
    cash, the second's QR waiting on a phone; table 7 with an unpaid cash order."""
    bill = make.three_friends_bill(menu)
    first, second, _third = bill_splits.split_evenly(bill, 3, "customer")
    share_payments.confirm_share_cash(first, 50_000, "cashier:sari")
    share_payments.create_share_qris(second)
    make.order(menu, name="Tono", table="7")
    end_transaction()
    return bill


def test_the_floor_and_the_bill_page_at_a_tablet(cashier, split_bill):
    page = cashier(TABLET)
    page.goto("/cashier/tables")
    tile = page.get_by_role("link", name="4 Tagihan Rp98.175")
    expect(tile).to_contain_text("Dibayar Rp32.725")
    expect(tile).to_contain_text("Sedang dibayar")
    shot(page, "cashier-floor-tablet")
    assert_accessible(page, "floor with a bill")

    tile.click()
    expect(page.get_by_role("heading", name="Tagihan Meja 4")).to_be_visible()
    money, orders = page.locator(".bill-money").bounding_box(), page.locator(".bill-orders").bounding_box()
    assert money["x"] + money["width"] <= orders["x"] and abs(money["y"] - orders["y"]) < 2  # side by side
    expect(page.locator(".bill-totals")).to_contain_text("Sisa")
    expect(page.locator(".share-table")).to_contain_text("QR menunggu dibayar")
    shot(page, "cashier-bill-tablet")
    assert_accessible(page, "cashier bill")

    third = page.locator("details.cash-choice", has=page.locator("summary", has_text="Bagian 3"))
    third.locator("summary").click()
    amount = third.get_by_label("Uang diterima (Rp)")
    assert float(amount.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 28
    amount.fill("40000")
    amount.press("Enter")
    expect(page.get_by_role("heading", name="Kembalian Rp7.275")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("Bagian 3 lunas.")
    shot(page, "cashier-bill-change-tablet")
    assert_accessible(page, "cashier bill after cash")

    page.get_by_text("Tutup tagihan tanpa dibayar penuh").click()
    page.get_by_role("button", name="Tutup tagihan Meja 4").click()
    expect(page.get_by_text("Pilih alasan menutup tagihan.")).to_be_visible()
    assert_accessible(page, "cashier bill, close form with an error")
