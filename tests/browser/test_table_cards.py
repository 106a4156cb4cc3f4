"""The A4 sheet of table QR cards (issue 24, item 18): six cards a page when Chromium
prints it, each card's text and link inside its dashed cut line, on paper and on a
phone or tablet screen."""

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import (
    A4_PRINTED_WIDTH,
    CARDS_OUTSIDE_THEIR_LINE,
    SMALL_PHONE,
    TABLETS,
    assert_fits,
    log_in_as_admin,
    pdf_pages,
)
from tests.db_helpers import end_transaction
from webapp.models import Role


@pytest.fixture
def admin_page(app, browser, server):
    """An admin's page (logged in); `admin_page(tables)` makes that many active tables first."""
    make.staff_user("bos", role=Role.ADMIN)
    contexts = []

    def open_page(tables: int, viewport=SMALL_PHONE):
        make.dining_table("Lantai 2 Teras Kolam")  # the longest label a table can have: 20 characters
        for number in range(2, tables + 1):
            make.dining_table(f"Teras {number}" if number % 2 else str(number))
        end_transaction()
        context = browser.new_context(viewport=viewport, locale="id-ID", base_url=server)
        contexts.append(context)
        page = context.new_page()
        log_in_as_admin(page, "bos", make.STAFF_PASSWORD)
        page.goto("/admin/tables/print")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("tables, pages", [(6, 1), (7, 2), (12, 2)])
def test_six_cards_fit_an_a4_page(admin_page, tables, pages, tmp_path):
    page = admin_page(tables)
    expect(page.locator(".table-card svg.qr")).to_have_count(tables)
    printed = pdf_pages(page.pdf(format="A4"))
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert (printed, pdf_pages(pdf)) == (pages, pages)
    (tmp_path / f"cards-{tables}.pdf").write_bytes(pdf)  # to look at: pytest --basetemp


def test_every_card_keeps_its_text_inside_its_cut_line(admin_page, tmp_path):
    page = admin_page(6)
    expect(page.locator(".table-card svg.qr")).to_have_count(6)
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTED_WIDTH, "height": 1100})
    assert page.evaluate(CARDS_OUTSIDE_THEIR_LINE) == []
    page.screenshot(path=str(tmp_path / "cards-print.png"), full_page=True)
    page.emulate_media(media="screen")
    for name, viewport in {"phone-360x800": SMALL_PHONE, **TABLETS}.items():
        page.set_viewport_size(viewport)
        assert page.evaluate(CARDS_OUTSIDE_THEIR_LINE) == [], name
        assert_fits(page, viewport["width"], name)
        page.screenshot(path=str(tmp_path / f"cards-{name}.png"), full_page=True)
