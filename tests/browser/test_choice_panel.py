"""The item choice panel on a 360 x 800 phone and a tablet: it comes into view when
opened, a refused choice brings its first error into view and focuses it, it closes,
and - and + step the quantity and the running price; also as a page without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SMALL_PHONE, TABLETS, assert_accessible, assert_fits, assert_tap_targets, open_page
from tests.db_helpers import end_transaction
from webapp.menu.demo import seed_demo_menu, seed_demo_options

VIEWPORTS = {"phone-360x800": SMALL_PHONE, "tablet-1024x768": TABLETS["tablet-1024x768"]}
NASI = "Nasi Goreng Spesial"  # Rp25.000; Level pedas (pick 1, nothing preselected), Tambahan (Telur +Rp4.000, ...)


@pytest.fixture
def demo_menu(app):
    seed_demo_menu()
    seed_demo_options()
    end_transaction()


def below_the_bars(page, locator) -> None:
    """On screen, and not hidden under the sticky top bar and category chips."""
    expect(locator).to_be_in_viewport()
    bars = page.evaluate("document.querySelector('.category-chips').getBoundingClientRect().bottom")
    assert locator.bounding_box()["y"] >= bars - 1


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_panel_opens_in_view_shows_its_error_and_closes(browser, server, demo_menu, size, tmp_path):
    context, page = open_page(browser, server, VIEWPORTS[size])
    page.goto("/")
    page.get_by_role("link", name=f"Pilih {NASI}").click()
    panel = page.locator(".choice-panel")
    heading = panel.get_by_role("heading", name=NASI)
    expect(heading).to_be_focused()
    below_the_bars(page, heading)
    page.screenshot(path=str(tmp_path / f"choice-open-{size}.png"))

    quantity = panel.get_by_role("spinbutton", name="Jumlah", exact=True)
    price = panel.locator("output.choice-price")
    less, more = panel.get_by_role("button", name="Kurangi jumlah"), panel.get_by_role("button", name="Tambah jumlah")
    expect(less).to_be_disabled()  # at 1
    panel.get_by_label("Telur").check()
    expect(price).to_have_text("Rp29.000")
    more.click()
    more.click()
    expect(quantity).to_have_value("3")
    expect(price).to_have_text("Rp87.000")  # 3 x Rp29.000
    less.click()
    expect(quantity).to_have_value("2")
    expect(price).to_have_text("Rp58.000")
    quantity.fill("4")  # typed: the field is the quantity, - and + only step it
    expect(price).to_have_text("Rp116.000")

    add = panel.get_by_role("button", name="Tambah ke keranjang")
    add.scroll_into_view_if_needed()
    add.click()  # no spice level chosen
    spicy = panel.locator("fieldset.has-error")
    expect(spicy).to_contain_text("Level pedas: pilih satu.")
    expect(spicy).to_be_focused()
    below_the_bars(page, spicy.get_by_text("Level pedas: pilih satu."))
    expect(price).to_have_text("Rp116.000")  # the server's price for what was sent
    expect(quantity).to_have_value("4")
    page.screenshot(path=str(tmp_path / f"choice-error-{size}.png"))
    assert_fits(page, VIEWPORTS[size]["width"], f"choice panel with an error, {size}")
    assert_accessible(page, f"choice panel with an error, {size}")
    assert_tap_targets(page, f"choice panel with an error, {size}")

    panel.get_by_role("link", name=f"Tutup pilihan {NASI}").click()
    expect(panel).to_have_count(0)
    opener = page.get_by_role("link", name=f"Pilih {NASI}")
    expect(opener).to_be_focused()
    expect(opener).to_be_in_viewport()
    assert page.url.endswith("/")  # closed in place, not by loading the menu again
    expect(page.locator(".cart-badge")).to_contain_text("0")
    context.close()


def test_the_panel_is_a_page_without_javascript(browser, server, demo_menu):
    context, page = open_page(browser, server, js=False)
    page.goto("/")
    page.get_by_role("link", name=f"Pilih {NASI}").click()
    expect(page.get_by_role("heading", name=NASI, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Tambah jumlah")).to_be_hidden()  # the number field alone
    page.get_by_role("spinbutton", name="Jumlah", exact=True).fill("2")
    page.get_by_role("button", name="Tambah ke keranjang").click()
    spicy = page.locator("fieldset.has-error")
    expect(spicy).to_be_focused()  # its autofocus
    expect(spicy.get_by_text("Level pedas: pilih satu.")).to_be_in_viewport()
    page.get_by_role("link", name=f"Tutup pilihan {NASI}").click()
    expect(page.get_by_role("heading", name="Menu", exact=True)).to_be_visible()
    context.close()


def test_the_choice_page_adds_to_the_cart_where_javascript_runs(browser, server, demo_menu):
    """The panel's page, opened by itself (a link opened in a new tab), has no cart for
    htmx to swap the added item into: its form posts plainly and comes back to the menu."""
    context, page = open_page(browser, server)
    page.goto("/")
    page.goto(page.get_by_role("link", name=f"Pilih {NASI}").get_attribute("href"))
    page.get_by_role("button", name="Tambah jumlah").click()
    expect(page.locator("output.choice-price")).to_have_text("Rp50.000")
    assert_accessible(page, "choice page")
    page.get_by_label("Level 2").check()
    page.get_by_role("button", name="Tambah ke keranjang").click()
    expect(page.get_by_role("heading", name="Menu", exact=True)).to_be_visible()
    expect(page.locator(".cart-bar")).to_contain_text("Rp50.000")
    context.close()
