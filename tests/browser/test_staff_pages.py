"""Staff pages on a phone and a tablet (issue 24, item 17): the staff bar grouped by job,
opening onto a group's links with and without JavaScript and marking the page shown;
and every admin, cashier and kitchen page within a 360 px phone, none scrolling
sideways, each passing axe."""

import pytest
from playwright.sync_api import expect
from werkzeug.routing import IntegerConverter

from tests import factories as make
from tests.browser.pages import SMALL_PHONE, TABLETS, assert_accessible, log_in_as_admin, log_in_on_board
from tests.db_helpers import end_transaction
from webapp.kitchen import stations
from webapp.models import ReceiptPaper, Role
from webapp.orders.paying import confirm_cash
from webapp.shifts import drawer
from webapp.till import settings as tills

STAFF_PREFIXES = ("/admin", "/cashier", "/kitchen", "/drawer")
# GET routes that are not pages a person reads: files, the polls' fragments, and the
# receipt, shown at its paper's width (58 or 80 mm, A4) as it prints.
NOT_PAGES = {
    "admin.report_download",
    "admin.bill_report_download",
    "admin.audit_download",
    "admin.transactions_download",
    "admin.table_qr",
    "cashier.board_fragment",
    "cashier.floor_fragment",
    "cashier.bill_version",
    "cashier.receipt",
    # The screens' streams (webapp/live/streams.py): never a page, and never done loading.
    "cashier.board_stream",
    "cashier.floor_stream",
    "kitchen.display_stream",
}
# What fills each URL argument (a string argument names the row's public id).
ARGUMENTS = {
    "item_id": "item",
    "category_id": "category",
    "group_id": "group",
    "option_id": "option",
    "table_id": "table",
    "station_id": "station",
    "user_id": "user",
    "till_id": "till",
    "promotion_id": "promotion",
}


@pytest.fixture
def busy_day(app, menu):
    """An admin and a cashier, a kitchen station, tables, paid orders with a long name (rung
    up at a till whose printer has not printed its receipt yet), a table's open bill,
    option groups and bill settings: every staff page has rows."""
    make.staff_user("bos", role=Role.ADMIN)
    cashier = make.staff_user("kasir")
    station = stations.save_station(None, "Dapur", "")
    till = tills.save_till(tills.default_till(), "Kasir 1", "192.168.1.60:9100", ReceiptPaper.MM58)
    make.paid_order(menu, table="7")
    order = make.order(menu, table="Teras 12", name="Bapak Sutrisno Wijayakusuma")
    order.till_id = till.id
    confirm_cash(order, order.total, "cashier:kasir")  # outside a request: its receipt waits, queued
    bill = make.three_friends_bill(menu)
    groups = make.menu_options(menu)
    promotion = make.promotion(menu)
    ids = {
        "item": menu["Nasi Goreng"].id,
        "category": menu["Nasi Goreng"].category_id,
        "group": groups["Tambahan"].id,
        "option": groups["Tambahan"].options[0].id,
        "table": make.dining_table("7").id,
        "station": station.id,
        "till": till.id,
        "order": order.public_id,
        "bill": bill.public_id,
        "user": cashier.id,
        "drawer": till.public_id,
        "shift": drawer.open_shift_of(till).public_id,  # open since the test began (tests/conftest.py)
        "promotion": promotion.id,
    }
    end_transaction()
    return ids


def public_ids(rule: str) -> str:
    """Whose public id a route's string argument is."""
    for prefix, name in (("/cashier/bills", "bill"), ("/drawer/shifts", "shift"), ("/drawer", "drawer")):
        if rule.startswith(prefix):
            return name
    return "order"


def staff_pages(app, ids) -> dict[str, str]:
    """Every staff page's URL, by endpoint, taken from the app's routes (a new page is
    checked as soon as it exists; one with an argument not known here fails)."""
    adapter = app.url_map.bind("localhost")
    pages = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(STAFF_PREFIXES) or "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                values[name] = ids[ARGUMENTS[name]]
            else:
                values[name] = ids[public_ids(rule.rule)]
        pages[f"{rule.endpoint} {rule.rule}"] = adapter.build(rule.endpoint, values)
    return pages


def test_every_staff_page_fits_a_360_px_phone(app, browser, server, busy_day, tmp_path):
    pages = staff_pages(app, busy_day)
    assert len(pages) >= 25 and "admin.today /admin/" in pages and "admin.shop /admin/shop" in pages
    context = browser.new_context(viewport=SMALL_PHONE, locale="id-ID", base_url=server)
    page = context.new_page()
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
    wide = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, name
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > SMALL_PHONE["width"]:
            wide[name] = width
        page.screenshot(path=str(tmp_path / f"{url.strip('/').replace('/', '_')}.png"), full_page=True)
        assert_accessible(page, name)
    assert wide == {}
    context.close()


def bar(page):
    return page.get_by_role("navigation", name="Menu staf")


def group(page, name: str):
    """A group of the bar that opens onto its links."""
    return bar(page).locator("summary", has_text=name)


def current_group(page):
    return bar(page).locator(".staff-group.current > a, .staff-group.current summary")


def test_the_admin_lands_on_the_day_and_the_bar_groups_the_jobs(browser, server, busy_day, tmp_path):
    context = browser.new_context(viewport=SMALL_PHONE, locale="id-ID", base_url=server)
    page = context.new_page()
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
    assert page.url.endswith("/admin/")
    expect(page.locator(".today-count").first).to_contain_text("Menunggu tunai")
    groups = bar(page).locator(".staff-group > a, .staff-group summary")
    expect(groups).to_have_text(["Hari ini", "Menu", "Meja", "Dapur", "Laporan", "Pengaturan"])
    assert max(box["y"] for box in (group.bounding_box() for group in groups.all())) < 150  # two rows at most
    expect(current_group(page)).to_have_text("Hari ini")

    group(page, "Pengaturan").click()
    links = bar(page).locator("details[open] .staff-links a")
    expect(links).to_have_text(["Toko", "Pajak dan aturan tagihan", "Akun staf", "Mesin kasir"])
    panel = bar(page).locator("details[open] .staff-links").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= SMALL_PHONE["width"]
    for link in links.all():
        assert link.bounding_box()["height"] >= 44
    page.screenshot(path=str(tmp_path / "bar-open-phone.png"))
    group(page, "Meja").click()  # one group open at a time
    expect(bar(page).locator("details[open]")).to_have_count(1)
    expect(bar(page).locator("details[open] .staff-links a")).to_have_text(
        ["Meja dan tagihan", "Kelola meja", "Kartu QR meja"]
    )
    bar(page).get_by_role("link", name="Kelola meja").click()
    expect(page.get_by_role("heading", name="Kelola meja", level=1)).to_be_visible()
    expect(current_group(page)).to_have_text("Meja")
    expect(bar(page).locator('[aria-current="page"]')).to_have_text("Kelola meja")
    page.goto(f"/admin/items/{busy_day['item']}/edit")  # reached from Kelola menu: Menu's
    expect(current_group(page)).to_have_text("Menu")
    group(page, "Dapur").click()
    bar(page).get_by_role("link", name="Dapur", exact=True).click()  # the station's display
    expect(page.get_by_role("heading", name="Dapur", level=1)).to_be_visible()
    expect(bar(page)).to_have_count(0)  # the kitchen's own layout, without the staff bar
    page.get_by_role("link", name="Semua stasiun").click()  # its way back
    expect(page.get_by_role("heading", name="Stasiun dapur", level=1)).to_be_visible()
    context.close()


@pytest.mark.parametrize("size", TABLETS)
def test_the_bar_on_a_tablet_opens_under_its_group(browser, server, busy_day, size, tmp_path):
    context = browser.new_context(viewport=TABLETS[size], locale="id-ID", base_url=server)
    page = context.new_page()
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
    summary = group(page, "Laporan")
    assert summary.bounding_box()["y"] < 80  # one row, under the top bar
    summary.click()
    panel = bar(page).locator("details[open] .staff-links").bounding_box()
    assert abs(panel["x"] - summary.bounding_box()["x"]) < 2 and panel["x"] + panel["width"] <= TABLETS[size]["width"]
    page.screenshot(path=str(tmp_path / f"bar-open-{size}.png"))
    context.close()


def test_without_javascript_a_group_still_opens(browser, server, busy_day):
    context = browser.new_context(viewport=SMALL_PHONE, locale="id-ID", base_url=server, java_script_enabled=False)
    page = context.new_page()
    log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
    group(page, "Laporan").click()
    bar(page).get_by_role("link", name="Laporan pajak").click()
    expect(page).to_have_url(f"{server}/admin/report/bill")
    context.close()


def test_a_cashier_sees_the_jobs_of_a_cashier_and_lands_on_the_board(browser, server, busy_day, tmp_path):
    context = browser.new_context(viewport=SMALL_PHONE, locale="id-ID", base_url=server)
    page = context.new_page()
    log_in_on_board(page, "kasir", make.STAFF_PASSWORD)
    assert page.url.endswith("/cashier")
    groups = bar(page).locator(".staff-group > a, .staff-group summary")
    expect(groups).to_have_text(["Hari ini", "Menu", "Meja", "Dapur"])
    assert max(box["y"] for box in (group.bounding_box() for group in groups.all())) < 90  # one row
    # The board, under "Hari ini" with the till: the group is marked, and the link in it.
    expect(bar(page).locator(".staff-group.current summary")).to_have_text("Hari ini")
    expect(bar(page).locator('[aria-current="page"]')).to_have_text("Papan pesanan")
    bar(page).get_by_role("link", name="Menu", exact=True).click()
    expect(page.get_by_role("heading", name="Stok menu")).to_be_visible()
    page.screenshot(path=str(tmp_path / "cashier-bar-phone.png"))
    context.close()
