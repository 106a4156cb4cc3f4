"""The till in a real browser (issue 26 items 1 and 3): a cashier rings up with the
keyboard on a tablet and takes cash; a waiter adds to a table's bill from a phone; the
same without JavaScript. Every till page passes axe, keeps its tap targets at 44 px and
never scrolls sideways, at phone and tablet sizes."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import (
    SMALL_PHONE,
    TABLETS,
    assert_accessible,
    assert_fits,
    assert_tap_targets,
    log_in,
    open_page,
    screenshot,
)
from tests.db_helpers import end_transaction
from webapp.kitchen import stations
from webapp.models import Order, OrderStatus, Role


@pytest.fixture
def till_menu(app, menu):
    """The small menu with its options (Level pedas and Tambahan on Nasi Goreng and Mie
    Ayam, Ukuran on Es Teh Manis), a kitchen station for all of it, and table 4."""
    make.menu_options(menu)
    station = stations.save_station(None, "Dapur", "")
    for category in {item.category for item in menu.values()}:
        stations.assign(category, station)
    make.dining_table("4")
    end_transaction()
    return menu


def open_till(page):
    page.goto("/till")
    expect(page.get_by_role("heading", name="Kasir 1", level=1)).to_be_visible()
    page.wait_for_load_state("load")


def check_width(page, name: str, width: int) -> None:
    assert_fits(page, width, name)
    assert_tap_targets(page, name)


def check_page(page, name: str, width: int) -> None:
    check_width(page, name, width)
    assert_accessible(page, name)


def search_and_add(page, words: str) -> None:
    search = page.get_by_label("Cari menu")
    search.fill(words)
    search.press("Enter")


@pytest.mark.parametrize("name", TABLETS)
def test_a_cashier_rings_up_with_the_keyboard_and_takes_cash(cashier, till_menu, name, tmp_path):
    page = cashier(TABLETS[name])
    open_till(page)
    check_page(page, f"till, empty ({name})", TABLETS[name]["width"])
    search_and_add(page, "nasi")  # Nasi Goreng has options: Enter opens its panel
    panel = page.locator("#till-choice .choice-panel")
    expect(panel.get_by_role("heading", name="Nasi Goreng")).to_be_focused()
    check_page(page, f"till, choice panel ({name})", TABLETS[name]["width"])
    panel.get_by_label("Level 3").check()
    panel.get_by_label("Telur").check()
    panel.get_by_label("Catatan").fill("tanpa bawang")
    expect(panel.locator(".choice-price")).to_have_text("Rp29.000")
    panel.get_by_role("button", name="Tambah ke pesanan").click()
    bill = page.locator("#till-bill")
    expect(bill).to_contain_text("1\u00d7 Nasi Goreng")
    expect(page.locator("#till-choice")).to_be_empty()
    expect(page.get_by_label("Cari menu")).to_be_focused()
    search_and_add(page, "es teh")  # Reguler is chosen for it already
    page.locator("#till-choice").get_by_role("button", name="Tambah ke pesanan").click()
    expect(bill.locator(".till-total")).to_have_text(re.compile(r"Total\s+Rp34\.000"))
    expect(page.get_by_role("radio", name="Bungkus")).to_be_checked()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.type("50000")  # digits typed outside a field go into the cash tendered
    expect(page.get_by_label("Uang diterima (Rp)")).to_have_value("50000")
    check_page(page, f"till, two lines ({name})", TABLETS[name]["width"])
    page.screenshot(path=str(tmp_path / f"till-{name}-ringing.png"))
    page.get_by_label("Uang diterima (Rp)").press("Enter")
    expect(page.locator(".change-due h2")).to_have_text("Kembalian Rp16.000")
    expect(bill).to_contain_text("Belum ada menu")
    check_page(page, f"till, change shown ({name})", TABLETS[name]["width"])
    page.screenshot(path=str(tmp_path / f"till-{name}-change.png"))
    if name == "tablet-1180x820":
        screenshot(page, "till-tablet")
    order = Order.query.one()
    assert (order.status, order.total, order.taken_by) == (OrderStatus.PAID, 34000, "kasir")


def test_a_waiter_adds_to_a_tables_open_bill_from_a_phone(app, browser, server, menu, tmp_path):
    make.pay_later()
    make.staff_user("wati", role=Role.WAITER)
    make.bill_order(menu, table="4", name="Rina")  # the table's bill is open
    make.menu_options(menu)
    end_transaction()
    context, page = open_page(browser, server, SMALL_PHONE)
    log_in(page, "wati", make.STAFF_PASSWORD, "Meja")
    page.goto("/till")
    expect(page.get_by_role("heading", name="HP wati", level=1)).to_be_visible()
    check_page(page, "waiter's till, phone", SMALL_PHONE["width"])
    page.get_by_role("radio", name="Makan di sini").check()
    page.get_by_label("Meja", exact=True).select_option(label="4")
    expect(page.locator("#till-bill")).to_contain_text("Tagihan Meja 4 terbuka")
    page.get_by_role("link", name=re.compile("^Es Teh Manis")).click()
    page.locator("#till-choice").get_by_role("button", name="Tambah ke pesanan").click()
    bar = page.locator(".till-bar")
    expect(bar).to_contain_text("Rp5.775")
    assert page.get_by_label("Uang diterima (Rp)").count() == 0  # a waiter takes no cash
    check_page(page, "waiter's till with a line, phone", SMALL_PHONE["width"])
    bar.click()
    page.screenshot(path=str(tmp_path / "till-waiter-phone.png"), full_page=True)
    page.get_by_role("button", name="Masuk tagihan Meja 4: Rp5.775").click()
    expect(page.locator(".till-latest")).to_contain_text("masuk tagihan Meja 4")
    expect(page.locator(".till-served")).to_contain_text("Meja 4")
    check_page(page, "waiter's till after the order, phone", SMALL_PHONE["width"])
    screenshot(page, "till-waiter-phone")
    order = Order.query.filter_by(taken_by="wati").one()
    assert order.status == OrderStatus.ON_BILL and order.bill is not None
    context.close()


def test_without_javascript_a_cashier_rings_up_on_a_phone(app, browser, server, till_menu, tmp_path):
    make.staff_user("kasir")
    end_transaction()
    context, page = open_page(browser, server, SMALL_PHONE, js=False)
    log_in(page, "kasir", make.STAFF_PASSWORD, re.compile("Menunggu tunai"))
    open_till(page)
    page.get_by_label("Cari menu").fill("es")
    page.get_by_label("Cari menu").press("Enter")  # a GET: the first hit focused
    expect(page.get_by_role("link", name=re.compile("^Es Teh Manis"))).to_be_focused()
    page.keyboard.press("Enter")  # opens its choice page
    expect(page.get_by_role("heading", name="Es Teh Manis")).to_be_visible()
    check_width(page, "till choice page without JavaScript, phone", SMALL_PHONE["width"])
    page.get_by_label("Jumbo").check()
    page.get_by_role("button", name="Tambah ke pesanan").click()
    expect(page.locator("#till-bill")).to_contain_text("Es Teh Manis")
    check_width(page, "till without JavaScript, phone", SMALL_PHONE["width"])
    page.get_by_role("button", name="Uang pas Rp8.000").click()
    expect(page.locator(".change-due h2")).to_have_text("Kembalian Rp0")
    page.screenshot(path=str(tmp_path / "till-nojs-phone.png"), full_page=True)
    context.close()
