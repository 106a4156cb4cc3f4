"""What customers and cashiers do, in a real browser at phone size."""
import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import assert_accessible, log_in_on_board, screenshot
from tests.conftest import STAFF_PASSWORD
from tests.payments.helpers import end_transaction
from webapp.auth.accounts import create_user
from webapp.extensions import db
from webapp.models import MenuItem, Order, Role
from webapp.seed import seed_demo_menu
from webapp.timeutil import utcnow


def demo_menu() -> None:
    seed_demo_menu()
    end_transaction()


def add_to_cart(page, name: str, quantity: int = 1) -> None:
    item_id = page.locator(f"li.item:has(h3:text-is('{name}')) input[name=item_id]").get_attribute("value")
    page.fill(f"#qty-{item_id}", str(quantity))
    page.get_by_role("button", name=f"Tambah {name}", exact=True).click()


def checkout(page, name: str, method_label: str, table: str = "") -> str:
    if not page.url.endswith("/checkout"):
        page.get_by_role("link", name="Lanjut ke pembayaran").first.click()
    page.get_by_label("Nama", exact=True).fill(name)
    if table:
        page.get_by_label("Meja").fill(table)
    page.get_by_label(method_label).check()
    page.get_by_role("button", name=re.compile("Pesan sekarang")).click()
    expect(page.locator(".order-number")).to_be_visible()
    return page.locator(".order-number").inner_text()


def cashier_page(browser, server, phone):
    create_user("kasir", STAFF_PASSWORD, Role.CASHIER)
    end_transaction()
    page = phone().new_page()
    log_in_on_board(page, "kasir", STAFF_PASSWORD)
    return page


def test_qris_order_paid_on_the_sandbox_flips_to_paid(app, phone):
    demo_menu()
    page = phone().new_page()
    page.goto("/")
    add_to_cart(page, "Nasi Goreng Spesial", 2)
    expect(page.locator("#cart-badge .count")).to_have_text("2")
    add_to_cart(page, "Es Teh Manis")
    expect(page.locator("#cart-badge .count")).to_have_text("3")
    page.get_by_label("Catatan untuk Nasi Goreng Spesial").fill("tidak pedas")
    page.locator("li.cart-line:has-text('Nasi Goreng Spesial')").get_by_role("button", name="Simpan").click()
    expect(page.get_by_label("Catatan untuk Nasi Goreng Spesial")).to_have_value("tidak pedas")
    screenshot(page, "menu")
    assert_accessible(page, "menu")
    page.goto("/cart")
    screenshot(page, "cart")

    page.goto("/checkout")
    assert_accessible(page, "checkout")
    number = checkout(page, "Sari", "QRIS (semua e-wallet dan m-banking)", table="7")
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.get_by_text("Rp55.000").first).to_be_visible()
    screenshot(page, "qr")
    assert_accessible(page, "order (QR)")

    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Bayar di sandbox Duitku").click()
    payer = opened.value
    payer.get_by_role("button", name="Pay").click()
    expect(payer.get_by_role("heading", name="Paid")).to_be_visible()

    expect(page.get_by_role("heading", name="Pembayaran diterima")).to_be_visible()  # no reload
    expect(page.locator("#order-status")).to_contain_text(number)
    screenshot(page, "paid")


def test_cash_order_confirmed_by_the_cashier(app, browser, server, phone):
    demo_menu()
    cashier = cashier_page(browser, server, phone)
    customer = phone().new_page()
    customer.goto("/")
    add_to_cart(customer, "Mie Ayam Bakso")
    number = checkout(customer, "Budi", "Tunai di kasir")
    expect(customer.get_by_role("heading", name="Silakan bayar di kasir")).to_be_visible()

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
    cashier.get_by_role("button", name="Mulai masak").click()
    cashier.get_by_role("button", name="Siap").click()
    expect(customer.get_by_role("heading", name="Pesanan siap!")).to_be_visible()


def test_qr_expires_on_screen_then_pay_cash_instead(app, phone):
    demo_menu()
    page = phone().new_page()
    page.goto("/")
    add_to_cart(page, "Soto Ayam Lamongan")
    checkout(page, "Dewi", "QRIS (semua e-wallet dan m-banking)")
    expect(page.locator("svg.qr")).to_be_visible()
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
    number = checkout(page, "Eko", "Tunai di kasir", table="Bungkus")
    expect(page.get_by_role("heading", name="Silakan bayar di kasir")).to_be_visible()
    assert number.startswith("A-")


def test_item_sold_out_meanwhile_cannot_be_checked_out(app, browser, server, phone):
    demo_menu()
    customer = phone().new_page()
    customer.goto("/")
    add_to_cart(customer, "Es Cendol")
    cashier = cashier_page(browser, server, phone)
    cashier.goto("/cashier/menu")
    cashier.get_by_role("button", name="Tandai Es Cendol habis").click()
    expect(cashier.get_by_role("button", name="Es Cendol tersedia lagi")).to_be_visible()

    customer.get_by_role("link", name="Lanjut ke pembayaran").first.click()
    customer.get_by_label("Nama", exact=True).fill("Fajar")
    customer.get_by_label("Tunai di kasir").check()
    customer.get_by_role("button", name=re.compile("Pesan sekarang")).click()
    expect(customer.get_by_role("alert")).to_contain_text("Es Cendol sedang habis")
    db.session.expire_all()
    assert db.session.scalar(select(Order)) is None
    assert db.session.scalar(select(MenuItem).where(MenuItem.name == "Es Cendol")).available is False
