"""The kitchen display on a 10-inch tablet (1280 x 800), and the station settings, in
a real browser."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import assert_accessible, assert_tap_targets, screenshot
from tests.db_helpers import end_transaction
from webapp.extensions import db
from webapp.kitchen import stations
from webapp.models import Category, Order, Role
from webapp.timeutil import utcnow

TABLET = {"width": 1280, "height": 800}


@pytest.fixture
def kitchen_tablet(browser, server, app, menu):
    """Dapur and Minuman stations, three paid orders of different ages, and a logged-in
    tablet: `kitchen_tablet(js=True)` gives its page."""
    kitchen, drinks = stations.save_station(None, "Dapur", ""), stations.save_station(None, "Minuman", "")
    for category in Category.query.all():
        stations.assign(category, drinks if category.name == "Minuman" else kitchen)
    contexts = []
    now = utcnow()
    orders = [
        make.paid_order(menu, now=now - timedelta(minutes=17), lines=(("Nasi Goreng", 2, "tidak pedas"),), table="7"),
        make.paid_order(menu, now=now - timedelta(minutes=9), note="sambal dipisah"),
        make.paid_order(menu, now=now - timedelta(minutes=1), lines=(("Mie Ayam", 1),), table=None),
    ]
    make.staff_user("dapur")
    make.staff_user("bos", role=Role.ADMIN)
    station_ids = (kitchen.id, drinks.id)  # read now: a read later would hold SQLite's lock
    order_ids = [(order.id, order.number) for order in orders]
    end_transaction()

    def open_page(js: bool = True, username: str = "dapur"):
        context = browser.new_context(viewport=TABLET, locale="id-ID", java_script_enabled=js, base_url=server)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(make.STAFF_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/admin/" if username == "bos" else "**/cashier")  # where each lands
        return page

    open_page.stations, open_page.orders = station_ids, order_ids
    yield open_page
    for context in contexts:
        context.close()


def test_the_display_reads_at_arms_length_and_bumps_with_one_tap(kitchen_tablet, menu, tmp_path):
    (kitchen, _drinks), orders = kitchen_tablet.stations, kitchen_tablet.orders
    page = kitchen_tablet()
    page.goto(f"/kitchen/{kitchen}")
    tickets = page.locator(".kitchen-ticket")
    expect(tickets).to_have_count(3)
    expect(tickets.first).to_contain_text(orders[0][1])  # oldest first
    expect(tickets.first).to_have_class("kitchen-ticket age-late")
    expect(tickets.nth(1)).to_have_class("kitchen-ticket age-mid")
    item_size = page.locator(".kitchen-items li").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert item_size >= 24  # big type: readable from a metre away
    assert_accessible(page, "kitchen display")
    assert_tap_targets(page, "kitchen display")
    page.screenshot(path=str(tmp_path / "kitchen.png"))
    screenshot(page, "kitchen-display-1280x800")

    tickets.first.get_by_role("button", name="Mulai masak").click()  # the customer sees it cooking
    expect(tickets.first).to_contain_text("Dimasak sejak")
    expect(tickets.first.get_by_role("button", name="Mulai masak")).to_have_count(0)
    db.session.rollback()  # read what the server committed
    assert db.session.get(Order, orders[0][0]).status == "preparing"
    end_transaction()  # on SQLite the read holds the write lock the next bump needs
    page.get_by_role("button", name="Selesai").first.click()
    expect(tickets).to_have_count(2)
    # Told apart by its table, not its number: numbers restart at midnight in Jakarta,
    # which may fall between the oldest order (17 minutes ago) and the next.
    expect(page.locator(".kitchen-tickets")).not_to_contain_text("Meja 7")
    # A new paid order appears by itself (the htmx poll).
    newest = make.paid_order(menu, lines=(("Mie Ayam", 2),)).number
    end_transaction()
    expect(tickets).to_have_count(3)
    expect(tickets.last).to_contain_text(newest)
    assert db.session.get(Order, orders[0][0]).status == "ready"  # its only station was Dapur


def test_without_javascript_a_bump_still_works(kitchen_tablet):
    (_kitchen, drinks), orders = kitchen_tablet.stations, kitchen_tablet.orders
    page = kitchen_tablet(js=False)
    page.goto(f"/kitchen/{drinks}")
    expect(page.locator(".kitchen-ticket")).to_have_count(1)
    page.get_by_role("button", name="Selesai").click()
    expect(page.get_by_text("Tidak ada pesanan.")).to_be_visible()
    # The first station's bump: the order is being prepared; Dapur still has its part.
    assert db.session.get(Order, orders[1][0]).status == "preparing"


def test_station_settings_page_is_accessible(kitchen_tablet):
    page = kitchen_tablet(username="bos")
    page.goto("/kitchen/stations")
    expect(page.get_by_role("heading", name="Stasiun per kategori")).to_be_visible()
    assert_accessible(page, "kitchen stations")
    page.get_by_label("Nama stasiun").fill("Bakar")
    page.get_by_label("Printer (opsional)").fill("bukan printer")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Printer ditulis host:port")).to_be_visible()
    assert_accessible(page, "kitchen stations with an error")
    page.goto("/kitchen/")
    assert_accessible(page, "kitchen station list")
