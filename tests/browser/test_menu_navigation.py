"""The menu on a 360 x 800 phone: category chips that jump to their section and mark
where you are, item photos uploaded by an admin, and both without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests import photo_files
from tests.browser.pages import (
    SMALL_PHONE,
    TABLETS,
    assert_accessible,
    assert_fits,
    assert_tap_targets,
    log_in_as_admin,
    open_page,
)
from tests.db_helpers import end_transaction
from webapp.menu.demo import seed_demo_menu, seed_demo_options
from webapp.models import Role

CATEGORIES = ["Makanan", "Camilan", "Minuman"]  # of the demo menu


def heading_below_the_bars(page, name: str) -> None:
    """The section's heading is on screen and not hidden under the sticky bars."""
    heading = page.get_by_role("heading", name=name, exact=True)
    expect(heading).to_be_in_viewport()
    chips_bottom = page.evaluate("document.querySelector('.category-chips').getBoundingClientRect().bottom")
    assert heading.bounding_box()["y"] >= chips_bottom - 1


def test_chips_jump_to_their_section_and_mark_it(app, browser, server, tmp_path):
    seed_demo_menu()
    end_transaction()
    context, page = open_page(browser, server)
    page.goto("/")
    chips = page.get_by_role("navigation", name="Kategori menu")
    expect(chips.get_by_role("link")).to_have_text(CATEGORIES)
    expect(chips.get_by_role("link", name="Makanan")).to_have_attribute("aria-current", "true")
    chips.get_by_role("link", name="Minuman").click()
    assert page.url.endswith("#" + page.get_by_role("heading", name="Minuman", exact=True).get_attribute("id"))
    heading_below_the_bars(page, "Minuman")
    expect(chips).to_be_in_viewport()  # sticky: still at the top
    assert_fits(page, SMALL_PHONE["width"], "menu at Minuman")  # the chip row scrolls, not the page
    expect(chips.get_by_role("link", name="Minuman")).to_have_attribute("aria-current", "true")
    expect(chips.locator("[aria-current]")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "menu-chips-360.png"))  # to look at: pytest --basetemp
    assert_accessible(page, "menu with chips")
    assert_tap_targets(page, "menu with chips")
    context.close()


# Scrolls the window so that the top of a section is `offset` px below the sticky bars
# (twice: the bars move until they stick); answers where it is then (the end of the
# page may stop it short).
PUT_SECTION = """([id, offset]) => {
  const bars = () => document.querySelector('.category-chips').getBoundingClientRect().bottom;
  const section = document.getElementById(id).closest('section');
  for (const _ of [1, 2]) {
    scrollTo({top: scrollY + section.getBoundingClientRect().top - bars() - offset, behavior: 'instant'});
  }
  return section.getBoundingClientRect().top - bars();
}"""
# Every chip marked from now on, in order.
RECORD_MARKS = """() => {
  window.marks = [];
  const record = changes => changes.forEach(change => {
    if (change.target.hasAttribute('aria-current')) window.marks.push(change.target.textContent);
  });
  new MutationObserver(record).observe(
    document.querySelector('.category-chips'), {attributes: true, subtree: true, attributeFilter: ['aria-current']});
}"""
SECTION_UNDER_THE_BARS = """id => Math.abs(document.getElementById(id).closest('section').getBoundingClientRect().top
  - document.querySelector('.category-chips').getBoundingClientRect().bottom) < 1.5"""


@pytest.mark.parametrize("size", ["phone-360x800", "tablet-1024x768"])
def test_the_marked_chip_is_the_category_under_the_bars(app, browser, server, size, tmp_path):
    """Scrolled by hand, down and up again, the chip marked is the category at the top of
    what shows under the sticky bars, not one whose heading is further down the screen
    (the mark went by a line a third down the screen: ahead going down, behind going up).
    A tapped chip stays marked while the page scrolls smoothly past the categories
    between, and the chip row keeps the marked chip in sight."""
    seed_demo_menu()
    end_transaction()
    viewport = SMALL_PHONE if size.startswith("phone") else TABLETS[size]
    context, page = open_page(browser, server, viewport)
    page.goto("/")
    chips = page.get_by_role("navigation", name="Kategori menu")
    ids = {name: page.get_by_role("heading", name=name, exact=True).get_attribute("id") for name in CATEGORIES}

    def marked(name: str) -> None:
        chip = chips.get_by_role("link", name=name)
        expect(chip).to_have_attribute("aria-current", "true")
        expect(chips.locator("[aria-current]")).to_have_count(1)
        expect(chip).to_be_in_viewport(ratio=0.99)  # scrolled into the chip row's view

    marked("Makanan")
    for section, offset, expected in [  # the section put so far below the bars, the chip then marked
        ("Camilan", 100, "Makanan"),  # down: Camilan's heading on screen, the end of Makanan above it
        ("Camilan", 2, "Camilan"),
        ("Minuman", 100, "Camilan"),
        ("Minuman", 2, "Minuman"),
        ("Minuman", 100, "Camilan"),  # and up again
        ("Camilan", 100, "Makanan"),
    ]:
        assert abs(page.evaluate(PUT_SECTION, [ids[section], offset]) - offset) < 1, (section, offset)
        marked(expected)
    page.screenshot(path=str(tmp_path / f"menu-chips-{size}.png"))

    page.evaluate(PUT_SECTION, [ids["Makanan"], 0])
    page.evaluate("document.documentElement.style.scrollBehavior = 'smooth'")  # as a browser may scroll to an anchor
    page.evaluate(RECORD_MARKS)
    chips.get_by_role("link", name="Minuman").click()
    page.wait_for_function(SECTION_UNDER_THE_BARS, arg=ids["Minuman"])  # there: the smooth scroll is over
    marked("Minuman")
    assert page.evaluate("window.marks") == ["Minuman"]  # never Camilan on the way
    context.close()


def test_chips_are_plain_links_without_javascript(app, browser, server):
    seed_demo_menu()
    end_transaction()
    context, page = open_page(browser, server, js=False)
    page.goto("/")
    page.get_by_role("navigation", name="Kategori menu").get_by_role("link", name="Minuman").click()
    heading_below_the_bars(page, "Minuman")
    context.close()


def test_a_cart_line_keeps_the_menu_within_a_360_px_phone(app, browser, server):
    """The cart panel sits below the menu on a phone, in the same grid column: its note
    field must not widen that column (the page scrolled sideways and the cart bar went
    off screen). Adding to the empty cart logs no error in the console."""
    seed_demo_menu()
    end_transaction()
    context, page = open_page(browser, server)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/")
    page.get_by_role("button", name="Tambah Soto Ayam Lamongan").click()
    expect(page.locator(".cart-bar")).to_contain_text("Rp20.000")
    assert errors == []
    for moment in ("added with htmx", "reloaded"):
        assert_fits(page, SMALL_PHONE["width"], moment)
        bar = page.locator(".cart-bar").bounding_box()
        assert bar["x"] >= 0 and bar["x"] + bar["width"] <= SMALL_PHONE["width"], moment
        page.reload()
    context.close()


def test_adding_from_a_choice_panel_keeps_the_item_on_screen(app, browser, server):
    """The panel is taller than the screen; once it closes, the customer still sees the
    item they added instead of the menu further down."""
    seed_demo_menu()
    seed_demo_options()
    end_transaction()
    context, page = open_page(browser, server)
    page.goto("/")
    page.get_by_role("link", name="Pilih Nasi Goreng Spesial").click()
    panel = page.locator(".choice-panel")
    panel.get_by_label("Level 3").check()
    add = panel.get_by_role("button", name="Tambah ke keranjang")
    add.scroll_into_view_if_needed()
    expect(page.get_by_role("heading", name="Nasi Goreng Spesial", exact=True).first).not_to_be_in_viewport()
    add.click()
    expect(page.locator(".cart-bar")).to_contain_text("Rp25.000")
    heading = page.locator("li.item h3", has_text="Nasi Goreng Spesial")
    expect(heading).to_be_in_viewport()
    chips_bottom = page.evaluate("document.querySelector('.category-chips').getBoundingClientRect().bottom")
    assert heading.bounding_box()["y"] >= chips_bottom - 1  # not under the sticky bars
    context.close()


def test_an_admin_uploads_a_photo_and_the_phone_menu_shows_it(app, browser, server, menu):
    make.staff_user("budi", role=Role.ADMIN)
    item_id = menu["Nasi Goreng"].id
    end_transaction()  # the server writes while the test waits
    admin_context, admin = open_page(browser, server)
    log_in_as_admin(admin, "budi", make.STAFF_PASSWORD)
    admin.goto(f"/admin/items/{item_id}/edit")
    expect(admin.locator(".item-photo-none")).to_be_visible()  # the tile before a photo
    admin.locator("input#photo").set_input_files(
        {"name": "nasi.jpg", "mimeType": "image/jpeg", "buffer": photo_files.phone_jpeg()}
    )
    admin.get_by_role("button", name="Unggah foto").click()
    expect(admin.get_by_text("Foto Nasi Goreng disimpan.")).to_be_visible()
    assert_accessible(admin, "admin item form with a photo")
    admin.locator("input#photo").set_input_files(
        {"name": "catatan.jpg", "mimeType": "image/jpeg", "buffer": b"bukan foto sama sekali"}
    )
    admin.get_by_role("button", name="Ganti foto").click()
    expect(admin.get_by_text("Berkas ini bukan foto JPEG, PNG atau WebP.")).to_be_visible()
    assert_accessible(admin, "admin item form with an upload error")
    admin_context.close()

    context, page = open_page(browser, server)
    page.goto("/")
    thumbnail = page.locator("li.item:has(h3:text-is('Nasi Goreng')) img")
    expect(thumbnail).to_have_attribute("src", re.compile(r"/photos/[0-9a-f]+-thumb\.jpg$"))
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 160
    assert thumbnail.evaluate("img => img.currentSrc").endswith("-thumb.webp")  # Chromium takes the WebP
    context.close()
