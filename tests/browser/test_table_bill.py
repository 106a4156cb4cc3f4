"""Eat first, pay later, in real browsers: three phones at table 4 order in two rounds,
split the bill by what each ate, two pay their shares by QRIS on the sandbox's payer
page and one in cash at the counter; every phone sees each payment as it happens."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests import factories as make
from tests.browser.pages import (
    TABLETS,
    add_to_cart,
    assert_accessible,
    assert_fits,
    assert_tap_targets,
    go_to_checkout,
    screenshot,
)
from tests.browser.test_journeys import demo_menu
from tests.db_helpers import end_transaction
from webapp.extensions import db
from webapp.models import BillStatus, DiningTable, TableBill


def order_at_the_table(page, name: str, item: str) -> None:
    page.goto("/")
    add_to_cart(page, item)
    go_to_checkout(page)
    expect(page.get_by_text("Bayar nanti sebelum pulang")).to_be_visible()
    page.get_by_label("Nama", exact=True).fill(name)
    page.get_by_role("button", name=re.compile("Pesan sekarang")).click()
    expect(page.get_by_role("heading", name="Pesanan masuk dapur")).to_be_visible()


def open_the_bill(page):
    page.goto("/")
    page.get_by_role("link", name="Tagihan meja").click()
    expect(page.get_by_role("heading", name="Tagihan meja 4")).to_be_visible()


def take(page, item: str) -> None:
    page.get_by_role("button", name=re.compile(f"^Punya saya: {item}")).click()
    expect(page.locator(".portion-mine", has_text=item)).to_be_visible()


def pay_share_on_the_sandbox(page) -> None:
    page.locator(".pay-own").get_by_role("button", name=re.compile("Bayar bagian saya")).click()
    expect(page.get_by_role("heading", name="Scan untuk membayar")).to_be_visible()
    assert_accessible(page, "share's QR")
    assert_tap_targets(page, "share's QR")
    screenshot(page, "table-bill-share")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Bayar di sandbox Duitku").click()
    payer = opened.value
    payer.get_by_role("button", name="Pay").click()
    expect(payer.get_by_role("heading", name="Paid")).to_be_visible()
    expect(page.get_by_role("heading", name="Lunas")).to_be_visible()  # the share's page, by itself
    payer.close()
    page.get_by_role("link", name="Lihat tagihan meja").click()


def test_three_phones_split_the_bill_by_items_and_pay_two_by_qris_one_in_cash(app, phone, cashier):
    demo_menu()
    make.pay_later()
    token = db.session.scalar(select(DiningTable.token).where(DiningTable.label == "4"))
    end_transaction()
    rina, budi, sari = (phone().new_page() for _ in range(3))
    for page in (rina, budi, sari):
        page.goto(f"/t/{token}")

    order_at_the_table(rina, "Rina", "Pisang Goreng")
    order_at_the_table(budi, "Budi", "Tahu Isi")
    open_the_bill(rina)
    assert_accessible(rina, "table bill, open")
    assert_tap_targets(rina, "table bill, open")
    order_at_the_table(sari, "Sari", "Es Jeruk")  # the second round
    order_at_the_table(rina, "Rina", "Kopi Tubruk")
    open_the_bill(rina)
    open_the_bill(budi)
    open_the_bill(sari)
    for page in (rina, budi, sari):
        expect(page.locator(".bill-order")).to_have_count(4)
        expect(page.locator(".bill-orders .cart-total").first).to_contain_text("Rp42.735")
    screenshot(rina, "table-bill")

    rina.get_by_role("button", name=re.compile("Bagi per item")).click()
    for page, name in ((rina, "Rina"), (budi, "Budi"), (sari, "Sari")):
        expect(page.get_by_role("button", name="Ikut bayar")).to_be_visible()  # by the poll on the others
        page.get_by_label("Nama Anda").fill(name)
        page.get_by_role("button", name="Ikut bayar").click()
        expect(page.get_by_text(f"{name} (Anda)")).to_be_visible()
    take(rina, "Pisang Goreng")
    take(rina, "Kopi Tubruk")
    take(budi, "Tahu Isi")
    take(sari, "Es Jeruk")
    expect(budi.locator(".portion", has_text="Pisang Goreng")).to_contain_text("Rina")
    assert_accessible(sari, "table bill, split by items")
    assert_tap_targets(sari, "table bill, split by items")
    screenshot(sari, "table-bill-items", full_page=True)

    budi.get_by_role("button", name="Semua sudah memilih: lanjut bayar").click()
    for page in (rina, budi, sari):
        expect(page.locator(".share")).to_have_count(3)
    expect(sari.locator(".share", has_text="Rina")).to_contain_text("Rp21.945")
    expect(sari.locator(".share", has_text="Budi")).to_contain_text("Rp11.550")
    expect(sari.locator(".share-mine")).to_contain_text("Rp9.240")
    assert_accessible(rina, "table bill, shares")

    pay_share_on_the_sandbox(rina)
    assert_accessible(rina, "share paid")
    expect(sari.locator(".share", has_text="Rina")).to_contain_text("Lunas, QRIS")  # seen on Sari's phone
    pay_share_on_the_sandbox(budi)
    expect(sari.locator(".share", has_text="Budi")).to_contain_text("Lunas, QRIS")

    expect(sari.locator(".bill-orders")).to_contain_text(re.compile(r"Sisa\s*Rp9.240"))
    counter = cashier(TABLETS["tablet-1180x820"])  # Sari pays her share in cash at the counter
    counter.goto("/cashier/tables")
    expect(counter.locator("a.floor-table.busy")).to_contain_text("Dibayar Rp33.495")
    counter.get_by_role("link", name="Meja 4", exact=True).click()
    third = counter.locator("details.cash-choice", has=counter.locator("summary", has_text="Bagian 3"))
    expect(third).to_have_attribute("open", "")  # the only share left to pay comes open
    third.get_by_label("Uang diterima (Rp)").fill("10000")
    third.get_by_role("button", name="Konfirmasi bagian 3 lunas").click()
    expect(counter.get_by_role("heading", name="Kembalian Rp760")).to_be_visible()
    for page in (rina, budi, sari):
        expect(page.get_by_text("Tagihan sudah dibayar")).to_be_visible()
    screenshot(sari, "table-bill-settled")
    bill = db.session.scalar(select(TableBill))
    assert bill.status == BillStatus.SETTLED
    assert sorted(share.paid_method for share in bill.shares) == ["cash", "duitku", "duitku"]
    expect(counter.locator(".bill-totals")).to_contain_text("Rp42.735")


def test_a_phone_without_javascript_orders_to_the_bill_and_pays_an_even_share(app, phone):
    demo_menu()
    make.pay_later()
    token = db.session.scalar(select(DiningTable.token).where(DiningTable.label == "4"))
    end_transaction()
    page = phone(js=False).new_page()
    page.goto(f"/t/{token}")
    order_at_the_table(page, "Dewi", "Es Cendol")
    order_at_the_table(page, "Dewi", "Pisang Goreng")
    page.goto("/")
    page.get_by_role("link", name="Tagihan meja").click()
    page.get_by_label("Dibagi rata untuk berapa orang?").fill("2")
    page.get_by_role("button", name="Bagi rata").click()
    expect(page.locator(".share")).to_have_count(2)
    page.get_by_role("button", name=re.compile("Bayar bagian saya")).click()
    expect(page.get_by_role("heading", name="Scan untuk membayar")).to_be_visible()
    expect(page.locator(".qr-amount")).to_have_text("Rp13.860")  # half of 2 x 12.000 + 5% + 10%


def test_a_friend_s_share_is_paid_deliberately_and_the_phone_stays_its_own(app, phone):
    """Citra pays Dewi's share with "Bayar untuk Dewi": her phone is still Citra's, and
    her own share's button stays where it was."""
    demo_menu()
    make.pay_later()
    token = db.session.scalar(select(DiningTable.token).where(DiningTable.label == "4"))
    end_transaction()
    citra, dewi = (phone().new_page() for _ in range(2))
    for page, name, item in ((citra, "Citra", "Gado-Gado"), (dewi, "Dewi", "Nasi Uduk Komplit")):
        page.goto(f"/t/{token}")
        order_at_the_table(page, name, item)
    open_the_bill(citra)
    open_the_bill(dewi)
    citra.get_by_role("button", name=re.compile("Bagi per item")).click()
    for page, name in ((citra, "Citra"), (dewi, "Dewi")):
        expect(page.get_by_role("button", name="Ikut bayar")).to_be_visible()
        page.get_by_label("Nama Anda").fill(name)
        page.get_by_role("button", name="Ikut bayar").click()
    take(citra, "Gado-Gado")
    take(dewi, "Nasi Uduk Komplit")
    citra.get_by_role("button", name="Semua sudah memilih: lanjut bayar").click()
    expect(citra.locator(".share")).to_have_count(2)
    own = citra.locator(".pay-own").get_by_role("button", name=re.compile("Bayar bagian saya"))
    expect(own).to_be_visible()
    expect(citra.locator(".share-mine")).to_contain_text("Citra")
    assert_accessible(citra, "table bill, own share first")
    assert_tap_targets(citra, "table bill, own share first")
    screenshot(citra, "table-bill-own-share", full_page=True)
    citra.locator(".share", has_text="Dewi").get_by_role("button", name=re.compile("Bayar untuk Dewi")).click()
    expect(citra.get_by_text("Anda membayar untuk Dewi.")).to_be_visible()
    citra.get_by_role("link", name="Lihat tagihan meja").click()
    expect(citra.locator(".share-mine")).to_contain_text("Citra")
    expect(citra.get_by_text("Dewi (Anda)")).to_have_count(0)
    expect(dewi.locator(".share-mine")).to_contain_text("Dewi")
    for size in TABLETS.values():  # a tablet passed round the table reads the same
        dewi.set_viewport_size(size)
        expect(dewi.locator(".pay-own").get_by_role("button", name=re.compile("Bayar bagian saya"))).to_be_visible()
        assert_fits(dewi, size["width"], f"Dewi's share, {size['width']} px")
