"""What customers and cashiers do, in a real browser at phone size."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests import factories as make
from tests.browser.pages import (
    add_to_cart,
    assert_accessible,
    assert_tap_targets,
    checkout,
    go_to_checkout,
    log_in_as_admin,
    log_in_on_board,
    pay_on_the_sandbox_page,
    screenshot,
)
from tests.db_helpers import end_transaction
from webapp.extensions import db
from webapp.menu.demo import seed_demo_menu, seed_demo_options
from webapp.models import DiningTable, MenuItem, Order, Role
from webapp.tables import registry
from webapp.tables.demo import seed_demo_tables
from webapp.timeutil import utcnow


def demo_menu() -> None:
    seed_demo_menu()
    seed_demo_tables()
    end_transaction()


def cashier_page(browser, server, phone):
    make.staff_user("kasir")
    end_transaction()
    page = phone().new_page()
    log_in_on_board(page, "kasir", make.STAFF_PASSWORD)
    return page


def not_found_responses(page) -> list[str]:
    """URLs the page asked for and got 404 (a missing favicon, say), collected as it goes."""
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    return missing


def live_region(page):
    """The order page's live region, as a handle that stays valid only while the very
    same element stays in the page."""
    region = page.locator("#order-status").element_handle()
    assert region.get_attribute("aria-live") == "polite"
    return region


def test_qris_order_paid_on_the_sandbox_flips_to_paid(app, phone):
    demo_menu()
    page = phone().new_page()
    missing = not_found_responses(page)
    page.goto("/")
    bar = page.locator("#cart-bar")
    expect(bar).to_be_hidden()
    add_to_cart(page, "Nasi Goreng Spesial", 2)
    expect(page.locator("#cart-badge .count")).to_have_text("2")
    expect(bar).to_be_in_viewport()  # feedback by the thumb, far above the cart panel
    expect(bar).to_contain_text("Rp50.000")
    # A note typed in the cart and never saved with Simpan rides along with every button.
    page.get_by_label("Catatan untuk Nasi Goreng Spesial").fill("tidak pedas")
    add_to_cart(page, "Es Teh Manis")
    expect(page.locator("#cart-badge .count")).to_have_text("3")
    expect(bar.locator(".count")).to_have_text("3")
    expect(page.get_by_label("Catatan untuk Nasi Goreng Spesial")).to_have_value("tidak pedas")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "menu")
    assert_accessible(page, "menu")
    assert_tap_targets(page, "menu")

    bar.click()
    page.wait_for_url("**/cart")
    expect(page.get_by_label("Catatan untuk Nasi Goreng Spesial")).to_have_value("tidak pedas")  # it was saved
    tea_note = page.get_by_label("Catatan untuk Es Teh Manis")
    tea_note.fill("es sedikit")
    with page.expect_response("**/cart/notes") as saved:  # Enter presses a Simpan, not the first line's "-"
        tea_note.press("Enter")
    assert saved.value.ok
    page.reload()
    expect(page.locator("#cart-badge .count")).to_have_text("3")
    expect(tea_note).to_have_value("es sedikit")
    page.get_by_label("Catatan untuk Nasi Goreng Spesial").fill("tidak pedas, tanpa acar")
    page.get_by_role("button", name="Tambah satu Es Teh Manis").click()
    expect(page.locator("#cart-badge .count")).to_have_text("4")
    page.get_by_role("button", name="Kurangi Es Teh Manis").click()
    expect(page.locator("#cart-badge .count")).to_have_text("3")
    expect(page.get_by_label("Catatan untuk Nasi Goreng Spesial")).to_have_value("tidak pedas, tanpa acar")
    tea_note.fill("es sedikit, tanpa gula")
    screenshot(page, "cart")
    assert_tap_targets(page, "cart")
    go_to_checkout(page)  # straight on, no Simpan
    expect(page.locator(".summary")).to_contain_text("(tidak pedas, tanpa acar)")
    expect(page.locator(".summary")).to_contain_text("(es sedikit, tanpa gula)")
    assert_accessible(page, "checkout")
    assert_tap_targets(page, "checkout")
    number = checkout(page, "Sari", "QRIS (semua e-wallet dan m-banking)", table="7 (Dalam)")
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.locator(".countdown").first).to_have_text(re.compile(r"^\(\d+:\d\d\)$"))  # the QR's time left
    expect(page.get_by_text("Rp55.000").first).to_be_visible()
    screenshot(page, "qr")
    assert_accessible(page, "order (QR)")
    assert_tap_targets(page, "order (QR)")
    region = live_region(page)

    pay_on_the_sandbox_page(page)
    expect(page.locator("#order-status")).to_contain_text(number)
    assert region.evaluate("element => element.isConnected")  # announced in the region it was in
    screenshot(page, "paid")
    assert_tap_targets(page, "order (paid)")
    assert missing == []


def test_cash_order_confirmed_by_the_cashier(app, browser, server, phone):
    demo_menu()
    cashier = cashier_page(browser, server, phone)
    customer = phone().new_page()
    customer.goto("/")
    add_to_cart(customer, "Mie Ayam Bakso")
    number = checkout(customer, "Budi", "Tunai di kasir")
    expect(customer.get_by_role("heading", name="Silakan bayar di kasir")).to_be_visible()
    region = live_region(customer)

    column = cashier.locator("section.column-awaiting_cash")
    expect(column.get_by_role("link", name=number)).to_be_visible()  # appeared by itself
    screenshot(cashier, "cashier-board")
    assert_accessible(cashier, "cashier board")
    column.locator("article", has_text=number).get_by_role("link", name="Terima tunai").click()
    cashier.get_by_label("Uang diterima (Rp)").fill("50000")
    cashier.get_by_role("button", name="Konfirmasi lunas").click()
    expect(cashier.get_by_role("heading", name="Kembalian Rp28.000")).to_be_visible()
    assert_accessible(cashier, "cashier order")

    expect(customer.get_by_role("heading", name="Pembayaran diterima")).to_be_visible()
    paid_look = panel_background(customer)
    cashier.get_by_role("button", name="Mulai masak").click()
    cashier.get_by_role("button", name="Siap").click()
    expect(customer.get_by_role("heading", name="Pesanan siap!")).to_be_visible()
    assert panel_background(customer) != paid_look  # the moment to get up does not look like "paid"
    screenshot(customer, "ready")
    assert_accessible(customer, "order (ready)")
    assert_tap_targets(customer, "order (ready)")
    cashier.get_by_role("button", name="Sudah diambil").click()
    expect(customer.get_by_role("heading", name="Selesai")).to_be_visible()
    # Final: the content came without its polling element, in the same live region.
    assert customer.locator("[hx-trigger]").count() == 0
    assert region.evaluate("element => element.isConnected")
    customer.get_by_role("link", name="English").click()
    expect(customer.get_by_role("heading", name="Done")).to_be_visible()
    expect(customer.locator(".summary")).to_contain_text("Chicken Noodles with Meatballs")


def panel_background(page) -> str:
    return page.locator("#order-status .status").evaluate("panel => getComputedStyle(panel).backgroundColor")


@pytest.mark.parametrize("expired", [False, True], ids=["valid QR", "expired QR"])
def test_pay_cash_instead_of_the_qr(app, phone, expired):
    demo_menu()
    page = phone().new_page()
    page.goto("/")
    add_to_cart(page, "Soto Ayam Lamongan")
    checkout(page, "Dewi", "QRIS (semua e-wallet dan m-banking)")
    expect(page.locator("svg.qr")).to_be_visible()
    if expired:
        order = db.session.scalar(select(Order).order_by(Order.id.desc()))
        order.current_payment.expires_at = utcnow() + timedelta(seconds=3)  # a short expiry
        end_transaction()
        page.reload()
        expect(page.get_by_role("heading", name="QR kedaluwarsa")).to_be_visible()
    page.get_by_role("button", name="Bayar tunai saja").click()
    expect(page.get_by_role("heading", name="Silakan bayar di kasir")).to_be_visible()


def test_cash_order_without_javascript(app, phone):
    demo_menu()
    page = phone(js=False).new_page()
    page.goto("/")
    add_to_cart(page, "Gado-Gado", 2)
    expect(page.locator("#cart-badge .count")).to_have_text("2")
    expect(page.locator("#cart-bar")).to_contain_text("Rp36.000")
    page.get_by_label("Catatan untuk Gado-Gado").fill("tanpa kerupuk")  # never saved with Simpan
    number = checkout(page, "Eko", "Tunai di kasir")
    expect(page.get_by_role("heading", name="Silakan bayar di kasir")).to_be_visible()
    assert number.startswith("A-")
    expect(page.locator(".summary")).to_contain_text("(tanpa kerupuk)")
    expect(page.locator(".order-head")).to_contain_text("Eko · Bungkus")
    expect(page.locator(".order-head")).not_to_contain_text("Meja")


def test_item_sold_out_meanwhile_cannot_be_checked_out(app, browser, server, phone):
    demo_menu()
    customer = phone().new_page()
    customer.goto("/")
    add_to_cart(customer, "Es Cendol")
    cashier = cashier_page(browser, server, phone)
    cashier.goto("/cashier/menu")
    cashier.get_by_role("button", name="Tandai habis: Es Cendol").click()
    expect(cashier.get_by_role("button", name="Tersedia lagi: Es Cendol")).to_be_visible()

    go_to_checkout(customer)
    customer.get_by_label("Nama", exact=True).fill("Fajar")
    customer.get_by_label("Tunai di kasir").check()
    customer.get_by_role("button", name=re.compile("Pesan sekarang")).click()
    expect(customer.get_by_role("alert")).to_contain_text("Es Cendol sedang habis")
    db.session.expire_all()
    assert db.session.scalar(select(Order)) is None
    assert db.session.scalar(select(MenuItem).where(MenuItem.name == "Es Cendol")).available is False


def test_a_table_link_on_a_phone_ends_with_the_order_on_the_floor_view(app, browser, server, phone):
    demo_menu()
    token = db.session.scalar(select(DiningTable.token).where(DiningTable.label == "7"))
    end_transaction()
    customer = phone().new_page()
    customer.goto(f"/t/{token}")
    expect(customer.locator(".table-badge")).to_have_text("Meja 7")
    assert_accessible(customer, "menu at table 7")
    add_to_cart(customer, "Nasi Goreng Spesial")
    go_to_checkout(customer)
    expect(customer.locator(".table-badge")).to_have_text("Meja 7")
    expect(customer.get_by_label("Makan di sini")).to_be_checked()
    expect(customer.get_by_label("Meja", exact=True)).to_have_count(0)  # nothing to type or choose
    assert_accessible(customer, "checkout at table 7")
    assert_tap_targets(customer, "checkout at table 7")
    number = checkout(customer, "Sari", "Tunai di kasir")
    expect(customer.locator(".order-head")).to_contain_text("Sari · Meja 7")

    cashier = cashier_page(browser, server, phone)
    cashier.get_by_role("link", name="Meja", exact=True).click()
    seven = cashier.locator("a.floor-table", has=cashier.locator(".floor-label", has_text=re.compile("^7$")))
    expect(seven).to_contain_text("Belum dibayar: 1")
    expect(cashier.locator("a.floor-table.busy")).to_have_count(1)
    screenshot(cashier, "floor")
    assert_accessible(cashier, "floor view")
    seven.click()
    expect(cashier.get_by_role("link", name=number)).to_be_visible()  # the table's orders on the board
    assert_accessible(cashier, "board filtered to table 7")


def test_a_replaced_table_code_gets_a_friendly_page(app, phone):
    table = make.dining_table("7")
    old = table.token
    registry.rotate_token(table)
    end_transaction()
    page = phone().new_page()
    response = page.goto(f"/t/{old}")
    assert response.status == 410
    expect(page.get_by_role("heading", name="Kode QR ini sudah diganti")).to_be_visible()
    assert_accessible(page, "replaced table code")
    assert_tap_targets(page, "replaced table code")


def test_admin_table_pages_are_accessible(app, phone):
    make.staff_user("admin", role=Role.ADMIN)
    for label in ("1", "2", "Teras 1"):
        make.dining_table(label)
    end_transaction()
    page = phone().new_page()
    log_in_as_admin(page, "admin", make.STAFF_PASSWORD)
    page.goto("/admin/tables")
    assert_accessible(page, "admin tables")
    page.get_by_role("link", name="Ubah meja 1").click()
    assert_accessible(page, "admin table form")
    page.goto("/admin/tables/print")
    expect(page.locator(".table-card svg.qr")).to_have_count(3)
    assert_accessible(page, "table QR cards")


def test_an_item_with_options_ordered_on_a_phone_shows_them_on_the_board(app, browser, server, phone):
    demo_menu()
    seed_demo_options()
    end_transaction()
    cashier = cashier_page(browser, server, phone)
    customer = phone().new_page()
    customer.goto("/")
    customer.get_by_role("link", name="Pilih Nasi Goreng Spesial").click()
    panel = customer.locator(".choice-panel")
    expect(panel.get_by_role("heading", name="Nasi Goreng Spesial")).to_be_visible()  # loaded by htmx
    panel.get_by_label("Level 3").check()
    panel.get_by_label("Telur").check()
    expect(panel.locator("output.choice-price")).to_have_text("Rp29.000")  # Rp25.000 + Rp4.000 telur
    assert_accessible(customer, "choice panel")
    assert_tap_targets(customer, "choice panel")
    panel.get_by_role("button", name="Tambah ke keranjang").click()
    expect(customer.locator(".choice-panel")).to_have_count(0)
    number = checkout(customer, "Sari", "Tunai di kasir")
    expect(customer.locator(".summary")).to_contain_text("Level 3")

    ticket = cashier.locator("section.column-awaiting_cash article", has_text=number)
    expect(ticket).to_contain_text("Level 3")  # appeared by itself, with its options
    expect(ticket).to_contain_text("Telur")
    expect(ticket).to_contain_text("Rp29.000")


def test_admin_option_pages_are_accessible(app, phone):
    make.staff_user("admin", role=Role.ADMIN)
    demo_menu()
    seed_demo_options()
    end_transaction()
    page = phone().new_page()
    log_in_as_admin(page, "admin", make.STAFF_PASSWORD)
    page.goto("/admin/options")
    expect(page.get_by_text("Level pedas").first).to_be_visible()
    assert_accessible(page, "admin option groups")
    for path in ("/admin/options/groups/new", "/admin/options/groups/1/edit", "/admin/options/1/edit"):
        page.goto(path)
        assert_accessible(page, f"admin options form {path}")
    page.goto("/admin/options/groups/new")
    page.get_by_role("button").last.click()  # an empty group: the form's errors
    expect(page.locator(".error").first).to_be_visible()
    assert_accessible(page, "admin option group form with errors")
    page.goto("/admin/items/1/options")
    assert_accessible(page, "an item's option groups")
    page.goto("/cashier/menu")
    assert_accessible(page, "stock page with options")


def test_two_quick_taps_on_two_items_keep_both_in_the_cart(app, phone):
    """The cart lives in the session cookie: an add that starts while another is on its
    way would send the old cookie, and the later answer's cart would lose an item. The
    first add is held back 600 ms on its way to the server, so the second tap comes
    while it is in flight (it lost the first item before the adds were queued)."""
    demo_menu()
    end_transaction()
    page = phone().new_page()
    page.goto("/")
    held: list[str] = []

    def hold_the_first_add(route):
        if not held:
            held.append(route.request.url)
            page.wait_for_timeout(600)  # the browser's clock: the point is the order of the two requests
        route.continue_()

    page.route("**/cart/add", hold_the_first_add)
    add_to_cart(page, "Pisang Goreng")
    add_to_cart(page, "Air Mineral")
    cart = page.locator("#cart")
    expect(cart).to_contain_text("Pisang Goreng")
    expect(cart).to_contain_text("Air Mineral")
    assert held, "the first add went through the held route"
