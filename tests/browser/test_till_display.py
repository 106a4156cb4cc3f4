"""A till's customer display in a real browser: paired by the code the cashier shows, it
follows what is rung up, shows a table order's QR, says "Lunas" at the first poll after
the customer paid on the sandbox, and thanks a cash customer with the change; revoked,
it says so by itself. Every screen is checked with axe and for tap targets at phone
(portrait) and tablet (landscape) sizes."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests import factories as make
from tests.browser.pages import (
    SMALL_PHONE,
    TABLETS,
    add_to_cart,
    assert_accessible,
    assert_tap_targets,
    checkout,
    pay_on_the_sandbox_page,
)
from tests.browser.test_journeys import demo_menu
from tests.db_helpers import end_transaction, reload
from tests.till.display_helpers import at_till, clear_draft, ring_up, till
from webapp.extensions import db
from webapp.models import MenuItem, Order
from webapp.tables import registry

TABLET = TABLETS["tablet-1180x820"]
SIZES = {"phone": SMALL_PHONE, "tablet": TABLET}
# The elements that stick out on the right of the screen, with how far.
STICKING_OUT = """() => [...document.querySelectorAll('body *')]
  .map(element => ({what: element.outerHTML.slice(0, 60),
                    out: element.getBoundingClientRect().right - document.documentElement.clientWidth}))
  .filter(element => element.out > 0.5)"""


def check_every_size(page, name: str, tmp_path) -> None:
    """axe, tap targets and nothing wider than the screen, at phone and tablet sizes;
    a screenshot of each (to look at)."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        assert_accessible(page, f"{name} ({size})")
        assert_tap_targets(page, f"{name} ({size})")
        wide = page.evaluate(STICKING_OUT)
        assert wide == [], f"{name} ({size}) scrolls sideways: {wide}"
        page.screenshot(path=str(tmp_path / f"display-{name}-{size}.png"), full_page=True)
    page.set_viewport_size(SMALL_PHONE)


def menu_by_name() -> dict[str, MenuItem]:
    return {item.name: item for item in db.session.scalars(select(MenuItem))}


def polls_of(page) -> list[tuple[int, float]]:
    """The display's polls as they are answered: (status, when the request started, in
    ms since the epoch)."""
    answered: list[tuple[int, float]] = []
    page.on(
        "response",
        lambda response: (
            "/live" in response.url and answered.append((response.status, response.request.timing["startTime"]))
        ),
    )
    return answered


def test_a_table_order_by_qris_on_a_paired_display_says_lunas_at_the_next_poll(
    app, browser, server, phone, cashier, tmp_path
):
    demo_menu()
    kasir = till()
    pair_page = f"/till/display/{kasir.public_id}/pair"
    end_transaction()  # on SQLite a read left open holds the write lock the server needs
    till_page = cashier(TABLET)
    till_page.goto(pair_page)
    check_every_size(till_page, "pair", tmp_path)
    till_page.get_by_role("button", name="Tampilkan kode").click()
    code = re.sub(r"\D", "", till_page.locator(".pairing-code").inner_text())
    assert len(code) == 6
    check_every_size(till_page, "pair-with-code", tmp_path)

    context = phone()  # the display device: an old phone, later a tablet
    display = context.new_page()
    display.goto("/till/display")
    display.get_by_label("Kode dari kasir").fill("000000" if code != "000000" else "111111")
    display.get_by_role("button", name="Hubungkan").click()
    expect(display.get_by_text("Kode itu salah")).to_be_visible()
    check_every_size(display, "enter-wrong-code", tmp_path)
    display.get_by_label("Kode dari kasir").fill(f"{code[:3]} {code[3:]}")
    display.get_by_role("button", name="Hubungkan").click()
    expect(display.locator("h1.display-shop")).to_be_visible()
    expect(display.get_by_text("Selamat datang!")).to_be_visible()
    check_every_size(display, "idle", tmp_path)
    polls = polls_of(display)

    # The cashier rings up a table's order: the display follows, line by line.
    menu = menu_by_name()
    table = registry.find_by_label("7")
    ring_up(reload(kasir), menu, ("Soto Ayam Lamongan", 1), table=table)
    end_transaction()
    expect(display.locator(".display-lines li")).to_have_count(1)
    ring_up(reload(kasir), menu, ("Es Teh Manis", 2, "es sedikit"), table=table)
    end_transaction()
    expect(display.locator(".display-lines li")).to_have_count(2)
    expect(display.get_by_text("Meja 7")).to_be_visible()
    check_every_size(display, "draft", tmp_path)

    # Placed by QRIS (here through the customer's checkout at table 7), at this till.
    customer = context.new_page()
    customer.goto("/")
    add_to_cart(customer, "Soto Ayam Lamongan")
    add_to_cart(customer, "Es Teh Manis", 2)
    number = checkout(customer, "Sari", "QRIS (semua e-wallet dan m-banking)", table="7 (Dalam)")
    order = db.session.scalar(select(Order).order_by(Order.id.desc()))
    assert order.number == number
    at_till(order, reload(kasir))
    clear_draft(reload(kasir))
    total = f"Rp{order.total:,}".replace(",", ".")
    end_transaction()
    expect(display.locator("svg.qr")).to_be_visible()
    expect(display.locator(".qr-amount")).to_have_text(total)
    expect(display.locator(".countdown")).to_have_text(re.compile(r"^\(\d+:\d\d\)$"))
    check_every_size(display, "qris", tmp_path)

    pay_on_the_sandbox_page(customer)
    expect(display.get_by_role("heading", name="Lunas")).to_be_visible()
    expect(display.locator(".display-paid")).to_contain_text(number)
    paid_at = reload(order).current_payment.paid_at.timestamp() * 1000
    end_transaction()
    unchanged_after_payment = [start for status, start in polls if status == 204 and start > paid_at]
    # At most the one poll that may have read while the payment was being committed.
    assert len(unchanged_after_payment) <= 1, polls
    check_every_size(display, "lunas", tmp_path)

    # A cash customer next: thanked, with the change.
    cash = at_till(make.paid_order(menu, tendered=50_000, lines=(("Es Jeruk", 2),), table="7"), reload(kasir))
    assert cash.total == 16_000
    end_transaction()
    expect(display.get_by_role("heading", name="Terima kasih")).to_be_visible()
    expect(display.locator(".display-cash")).to_contain_text("Kembalian")
    expect(display.locator("dd.display-change")).to_have_text("Rp34.000")
    check_every_size(display, "paid-cash", tmp_path)

    # The cashier disconnects the display: it says so by itself, and how to pair again.
    till_page.reload()
    till_page.get_by_role("button", name="Putuskan layar pelanggan").click()
    expect(till_page.get_by_text("diputus")).to_be_visible()
    expect(display.get_by_role("heading", name="Layar ini belum terhubung")).to_be_visible()
    check_every_size(display, "not-paired", tmp_path)
    display.get_by_role("link", name="Ketik kode dari kasir").click()
    expect(display.get_by_label("Kode dari kasir")).to_be_visible()
