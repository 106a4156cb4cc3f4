"""New orders announce themselves (issue 26, item 5) on the cashier's board, the kitchen
displays and the till: highlighted when a poll brings them, a "N baru" bar when they
arrive out of view, a tone on a device whose sound switch is on (remembered after a
reload), and the kitchen's own layout with its undo, at phone and tablet sizes.

Headless Chromium makes no sound to hear: a script run before each page's own wraps
`window.AudioContext` and counts what the page does with it (contexts made, resumed,
notes started), on the real Web Audio API."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import SMALL_PHONE, TABLETS, assert_accessible, assert_fits, assert_tap_targets, log_in
from tests.db_helpers import end_transaction
from webapp.extensions import db
from webapp.kitchen import stations
from webapp.models import Category, Order, Payment, Role
from webapp.payments import paying
from webapp.timeutil import utcnow

SIZES = {"phone-360x800": SMALL_PHONE, **TABLETS}
TILL_SIZES = {"phone-360x800": SMALL_PHONE, "tablet-1180x820": TABLETS["tablet-1180x820"]}

AUDIO_SPY = """
window.audioSpy = {made: 0, resumed: 0, notes: 0, state: "none"};
const RealAudioContext = window.AudioContext;
window.AudioContext = class extends RealAudioContext {
  constructor(...args) {
    super(...args);
    window.audioSpy.made += 1;
    this.addEventListener("statechange", () => { window.audioSpy.state = this.state; });
  }
  resume() { window.audioSpy.resumed += 1; return super.resume(); }
  createOscillator() {
    const oscillator = super.createOscillator(), start = oscillator.start.bind(oscillator);
    oscillator.start = (...args) => { window.audioSpy.notes += 1; return start(...args); };
    return oscillator;
  }
};
"""


def spied(page) -> dict:
    return page.evaluate("() => ({...window.audioSpy})")


@pytest.fixture
def shop(app, menu):
    """Dapur and Minuman stations, one paid order for Dapur, and three staff accounts:
    the cashier kasir, the kitchen's dapur and the admin bos."""
    kitchen, drinks = stations.save_station(None, "Dapur", ""), stations.save_station(None, "Minuman", "")
    for category in Category.query.all():
        stations.assign(category, drinks if category.name == "Minuman" else kitchen)
    make.paid_order(menu, lines=(("Nasi Goreng", 1),), table="3")
    make.staff_user("kasir")
    make.staff_user("dapur", role=Role.KITCHEN)
    ids = {"kitchen": kitchen.id, "drinks": drinks.id}  # read now: a read later would hold SQLite's lock
    end_transaction()
    return ids


@pytest.fixture
def device(browser, server):
    """`device(viewport, username, landing)`: a new browser context (one device: its own
    localStorage), its AudioContext spied on, logged in; its page."""
    contexts = []

    def open_page(viewport, username: str, landing: str):
        context = browser.new_context(viewport=viewport, locale="id-ID", base_url=server)
        context.set_default_timeout(15_000)
        context.add_init_script(AUDIO_SPY)
        contexts.append(context)
        page = context.new_page()
        log_in(page, username, make.STAFF_PASSWORD, landing)
        return page

    yield open_page
    for context in contexts:
        context.close()


def sound_switch(page):
    return page.get_by_role("button", name="Suara pesanan baru")


def test_a_new_paid_order_lights_up_on_the_board_and_rings_where_sound_is_on(device, shop, menu, tmp_path):
    page = device(TABLETS["tablet-1180x820"], "kasir", "Menunggu tunai")
    to_prepare = page.locator("section.column-paid article")
    expect(to_prepare).to_have_count(1)
    expect(page.locator(".announce-new")).to_have_count(0)  # what the page loaded with is not new
    switch = sound_switch(page)
    expect(switch).to_have_attribute("aria-pressed", "false")
    assert spied(page) == {"made": 0, "resumed": 0, "notes": 0, "state": "none"}  # no sound before a tap
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    expect(switch).to_contain_text("nyala")
    # The tap made the AudioContext (running: made within a tap) and played the tone once.
    page.wait_for_function("window.audioSpy.notes === 2")
    assert spied(page)["made"] == 1 and spied(page)["state"] == "running"

    newest = make.paid_order(menu, lines=(("Mie Ayam", 1),), name="Gita").number
    make.order(menu, name="Hana")  # cash, not paid yet: not for the kitchen, no sound
    end_transaction()
    card = to_prepare.filter(has_text=newest)
    expect(card).to_have_class("ticket announce-new")
    expect(page.locator("section.column-awaiting_cash article")).to_have_count(1)
    expect(page.locator("#announce-said")).to_have_text(f"Baru: Pesanan {newest}")
    page.wait_for_function("window.audioSpy.notes === 4")  # one tone for the new paid order
    expect(page.locator("#announce-bar")).to_be_hidden()  # in view: no bar
    assert card.evaluate("e => getComputedStyle(e).animationName") == "announce-pulse"
    page.screenshot(path=str(tmp_path / "board-new-order-1180.png"))
    assert_accessible(page, "board with a new order highlighted")
    expect(card).to_have_class("ticket")  # the highlight ends by itself (a few seconds)
    assert spied(page)["notes"] == 4


@pytest.mark.parametrize("size", SIZES)
def test_the_sound_switch_is_remembered_on_the_device_and_a_first_tap_unlocks_it(device, shop, size, tmp_path):
    page = device(SIZES[size], "kasir", "Menunggu tunai")
    switch = sound_switch(page)
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert_tap_targets_of(page, ".announce-controls", size)
    page.reload()
    expect(switch).to_have_attribute("aria-pressed", "true")  # remembered
    hint = page.get_by_text("Ketuk layar sekali agar suara bisa berbunyi.")
    expect(hint).to_be_visible()  # the browser allows no sound until a tap
    assert spied(page)["made"] == 0
    page.screenshot(path=str(tmp_path / f"board-sound-hint-{size}.png"))
    assert_accessible(page, f"board, sound waiting for a tap ({size})")
    page.get_by_role("heading", name="Menunggu tunai").click()  # any tap
    expect(hint).to_be_hidden()
    page.wait_for_function("window.audioSpy.state === 'running'")
    assert spied(page)["made"] == 1 and spied(page)["notes"] == 0
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "false")
    page.reload()
    expect(switch).to_have_attribute("aria-pressed", "false")
    expect(switch).to_contain_text("mati")
    expect(hint).to_be_hidden()


def assert_tap_targets_of(page, selector: str, name: str) -> None:
    """The page's controls under `selector` are each at least 44 x 44 px."""
    for box in (element.bounding_box() for element in page.locator(f"{selector} button:visible").all()):
        assert box["width"] >= 44 and box["height"] >= 44, (name, box)


def test_new_orders_out_of_view_are_counted_on_a_bar_that_brings_them_into_view(device, shop, menu, tmp_path):
    for name in ("Adi", "Bayu", "Citra", "Dewi"):  # the cash column fills the phone's screen
        make.order(menu, name=name)
    end_transaction()
    page = device(SMALL_PHONE, "kasir", "Menunggu tunai")
    page.emulate_media(reduced_motion="reduce")
    to_prepare = page.locator("section.column-paid article")
    expect(to_prepare).to_have_count(1)
    assert not to_prepare.first.evaluate("e => e.getBoundingClientRect().top < innerHeight")  # below the fold
    first, second = make.paid_order(menu, name="Eka").number, make.paid_order(menu, name="Fajar").number
    end_transaction()
    bar = page.get_by_role("button", name="2 baru")
    expect(bar).to_be_visible()
    page.screenshot(path=str(tmp_path / "board-bar-phone.png"))
    assert_accessible(page, "board with the new-orders bar (phone)")
    assert_tap_targets_of(page, ".announce-controls", "phone with the bar")
    bar.click()
    newest = to_prepare.filter(has_text=second)
    expect(newest).to_be_in_viewport()
    expect(newest).to_be_focused()
    expect(newest).to_have_class("ticket announce-new")
    assert newest.evaluate("e => getComputedStyle(e).animationName") == "none"  # still, outlined only
    page.screenshot(path=str(tmp_path / "board-bar-clicked-phone.png"))
    expect(page.locator("#announce-bar")).to_be_hidden()  # both are in view now
    assert to_prepare.filter(has_text=first).is_visible()


def test_the_kitchen_display_has_its_own_layout_announces_tickets_and_takes_back_a_bump(device, shop, menu, tmp_path):
    page = device(TABLETS["tablet-1024x768"], "dapur", "Stasiun dapur")
    page.get_by_role("link", name="Dapur", exact=True).click()
    title = page.get_by_role("heading", name="Dapur", level=1)
    expect(title).to_be_visible()
    assert title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 40  # the station's name, large
    expect(page.get_by_role("navigation", name="Menu staf")).to_have_count(0)
    expect(page.locator("footer, .demo-banner")).to_have_count(0)
    expect(page.get_by_role("link", name="Semua stasiun")).to_be_visible()
    tickets = page.locator(".kitchen-ticket")
    expect(tickets).to_have_count(1)
    sound_switch(page).click()
    page.wait_for_function("window.audioSpy.notes === 2")

    newest = make.paid_order(menu, lines=(("Mie Ayam", 1),), table="9").number
    end_transaction()
    fresh = tickets.filter(has_text=newest)
    expect(fresh).to_have_class("kitchen-ticket age-new announce-new")
    page.wait_for_function("window.audioSpy.notes === 4")
    page.screenshot(path=str(tmp_path / "kitchen-new-ticket-1024.png"))
    assert_accessible(page, "kitchen display with a new ticket")
    assert_tap_targets(page, "kitchen display")

    fresh.get_by_role("button", name="Selesai").click()  # a mistake: it is not done
    expect(tickets).to_have_count(1)
    undo = page.get_by_role("button", name=f"Batalkan selesai {newest}")
    expect(undo).to_be_visible()
    page.screenshot(path=str(tmp_path / "kitchen-undo-1024.png"))
    assert_accessible(page, "kitchen display with an undo")
    assert_tap_targets(page, "kitchen display with an undo")
    db.session.rollback()  # read what the server committed
    order = db.session.scalars(db.select(Order).filter_by(table_label="9")).one()
    assert order.status == "ready"
    end_transaction()
    undo.click()
    expect(page.get_by_role("status")).to_have_text(f"{newest} kembali ke daftar.")
    expect(tickets).to_have_count(2)
    expect(undo).to_have_count(0)
    assert db.session.get(Order, order.id).status == "preparing"
    end_transaction()
    later = make.paid_order(menu, lines=(("Nasi Goreng", 1),), table="10").number
    end_transaction()
    expect(tickets.filter(has_text=later)).to_have_class("kitchen-ticket age-new announce-new")
    assert spied(page)["notes"] == 6  # one tone for the later order, none for the ticket taken back


@pytest.mark.parametrize("size", SIZES)
def test_the_kitchen_display_fits_phones_and_tablets(device, shop, menu, size, tmp_path):
    page = device(SIZES[size], "dapur", "Stasiun dapur")
    page.goto(f"/kitchen/{shop['kitchen']}")
    expect(sound_switch(page)).to_be_visible()
    assert_fits(page, SIZES[size]["width"], f"kitchen display ({size})")
    page.screenshot(path=str(tmp_path / f"kitchen-{size}.png"), full_page=True)
    assert_accessible(page, f"kitchen display ({size})")
    assert_tap_targets(page, f"kitchen display ({size})")


def open_the_till(page) -> None:
    page.goto("/till")
    expect(page.get_by_role("heading", name="Kasir 1", level=1)).to_be_visible()
    page.wait_for_load_state("load")


def customer_pays(payment: Payment) -> str:
    """The customer's QR paid, as Duitku's callback marks it; the order's number."""
    paying.mark_paid(payment, utcnow(), kind="callback", actor="duitku")
    number = payment.order.number
    end_transaction()
    return number


@pytest.mark.parametrize("size", TILL_SIZES)
def test_an_order_a_customer_pays_while_the_till_is_open_lights_up_on_the_till(device, shop, menu, size, tmp_path):
    viewport = TILL_SIZES[size]
    payment = make.qris_payment(menu, table="7", name="Gita")  # its QR on the customer's phone
    end_transaction()
    page = device(viewport, "kasir", "Menunggu tunai")
    open_the_till(page)
    incoming = page.locator("#till-incoming li[data-announce]")
    expect(incoming).to_have_count(1)  # the order paid before the till opened: listed, not new
    expect(page.locator(".announce-new")).to_have_count(0)
    switch = sound_switch(page)
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("window.audioSpy.notes === 2")
    tile = page.locator(".till-tile").first
    tile_at = tile.bounding_box()

    number = customer_pays(payment)
    fresh = incoming.first  # the newest first
    expect(fresh).to_contain_text(number)
    expect(fresh).to_have_class("till-incoming-chip announce-new")
    expect(fresh).to_contain_text(re.compile(r"Meja 7\s+Rp50\.000"))
    expect(incoming).to_have_count(2)
    expect(page.locator("#announce-said")).to_have_text(f"Baru: Pesanan {number}")
    page.wait_for_function("window.audioSpy.notes === 4")  # one tone for it
    expect(page.locator("#announce-bar")).to_be_hidden()  # in view: no bar
    expect(tile).to_be_in_viewport()  # the strip leaves the grid in view
    assert tile.bounding_box() == tile_at  # and no tile moved from under a finger
    assert_fits(page, viewport["width"], f"till with an order come in ({size})")
    page.screenshot(path=str(tmp_path / f"till-new-order-{size}.png"))
    assert_accessible(page, f"till with an order come in ({size})")
    assert_tap_targets(page, f"till with an order come in ({size})")
    fresh.get_by_role("link").click()  # to the cashier's page of the order
    expect(page.get_by_role("heading", name=re.compile(number))).to_be_visible()


def test_on_a_phone_an_order_that_comes_in_out_of_view_is_a_tap_away(device, shop, menu, tmp_path):
    payment = make.qris_payment(menu, table=None, name="Hana")
    end_transaction()
    page = device(SMALL_PHONE, "kasir", "Menunggu tunai")
    page.emulate_media(reduced_motion="reduce")
    open_the_till(page)
    page.get_by_role("button", name=re.compile("^Mie Ayam")).click()
    till_bar = page.locator(".till-bar")
    expect(till_bar).to_contain_text("Rp22.000")
    till_bar.click()  # down to the order being rung up: the strip is out of view
    expect(page.locator("#till-incoming")).not_to_be_in_viewport()

    number = customer_pays(payment)
    bar = page.get_by_role("button", name="1 baru")
    expect(bar).to_be_visible()
    # Both tappable: the "1 baru" bar sits above the order's bar, which steps aside
    # altogether while the order's pay buttons are in view (no box then).
    below = till_bar.bounding_box()
    assert below is None or bar.bounding_box()["y"] + bar.bounding_box()["height"] <= below["y"]
    assert_fits(page, SMALL_PHONE["width"], "till with the new-orders bar (phone)")
    page.screenshot(path=str(tmp_path / "till-bar-phone.png"))
    assert_accessible(page, "till with the new-orders bar (phone)")
    bar.click()
    fresh = page.locator("#till-incoming li[data-announce]").filter(has_text=number)
    expect(fresh).to_be_in_viewport()
    expect(fresh).to_be_focused()
    expect(fresh).to_have_class("till-incoming-chip announce-new")
    expect(fresh).to_contain_text("Bungkus")
    expect(bar).to_be_hidden()
