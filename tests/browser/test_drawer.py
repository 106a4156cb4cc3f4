"""The cash drawer in a real browser (issue 27 item 1): a cashier opens the shift with the
float, pays out for ice, counts the drawer by notes and coins, checks the difference
and closes, landing on the Z report; at phone and tablet sizes every step passes axe,
keeps its tap targets at 44 px and never scrolls sideways. The Z report prints on 58
and 80 mm paper like a receipt."""

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import (
    MM_PT,
    MM_PX,
    RECEIPT_FITS,
    SMALL_PHONE,
    TABLETS,
    assert_accessible,
    assert_fits,
    assert_tap_targets,
    pdf_page_sizes,
)
from tests.db_helpers import end_transaction
from webapp.models import CashKind
from webapp.shifts import drawer
from webapp.shifts.drawer import Count

VIEWPORTS = {"phone-360": SMALL_PHONE, "tablet-1180": TABLETS["tablet-1180x820"]}


@pytest.fixture
def closed_drawer(app, menu):
    """Kasir 1's drawer with no shift open (the one every test starts with, closed)."""
    return make.close_drawer()


def check_page(page, name: str, width: int) -> None:
    assert_fits(page, width, name)
    assert_tap_targets(page, name)
    assert_accessible(page, name)


@pytest.mark.parametrize("name", VIEWPORTS)
def test_a_cashier_opens_pays_out_counts_and_closes_the_drawer(cashier, closed_drawer, menu, name, tmp_path):
    viewport = VIEWPORTS[name]
    page = cashier(viewport)
    page.goto("/till")  # the till says cash waits for a shift, and links to the drawer
    expect(page.get_by_text("Belum ada shift terbuka: uang tunai belum bisa diterima.")).to_be_visible()
    page.locator(".till-links").get_by_role("link", name="Laci kas").click()
    expect(page.get_by_role("heading", name="Laci kas Kasir 1")).to_be_visible()
    check_page(page, f"drawer closed ({name})", viewport["width"])

    page.get_by_label("Uang awal di laci (Rp)").fill("200.000")
    page.get_by_role("button", name="Buka shift").click()
    expect(page.get_by_text("Shift Kasir 1 dibuka dengan uang awal Rp200.000.")).to_be_visible()
    make.paid_order(menu, tendered=50_000)  # a cash sale of Rp30.000 at the board
    end_transaction()
    page.reload()
    expect(page.locator(".drawer-figures")).to_contain_text("Seharusnya di laci")
    expect(page.locator(".drawer-figures")).to_contain_text("Rp230.000")
    check_page(page, f"drawer open ({name})", viewport["width"])

    page.get_by_label("Uang keluar").check()
    page.get_by_label("Jumlah (Rp)").fill("20rb")
    page.get_by_label("Alasan").fill("beli es batu")
    page.get_by_role("button", name="Catat").click()
    expect(page.get_by_text("Uang keluar Rp20.000: beli es batu.")).to_be_visible()
    expect(page.locator(".drawer-moves")).to_contain_text("beli es batu")
    expect(page.locator(".drawer-figures")).to_contain_text("Rp210.000")

    page.get_by_text("Hitung per pecahan").click()
    for note, pieces in (("Rp100.000", "2"), ("Rp5.000", "1"), ("Rp2.000", "1")):
        page.get_by_label(note, exact=True).fill(pieces)
    page.get_by_role("button", name="Periksa selisih").click()
    reckoning = page.locator(".drawer-reckoning")
    expect(reckoning).to_contain_text("Rp207.000")
    expect(reckoning).to_contain_text("-Rp3.000 (kurang Rp3.000)")
    page.screenshot(path=str(tmp_path / f"drawer-{name}.png"), full_page=True)
    check_page(page, f"drawer counted ({name})", viewport["width"])

    page.get_by_role("button", name="Tutup shift").click()
    expect(page.get_by_role("heading", name="Laporan Z")).to_be_visible()
    expect(page.locator(".receipt")).to_contain_text("Dihitung")
    expect(page.locator(".receipt")).to_contain_text("Rp207.000")
    check_page(page, f"Z report ({name})", viewport["width"])


@pytest.mark.parametrize("paper, chars", [("58", 32), ("80", 48)])
def test_the_z_report_prints_on_thermal_paper(cashier, closed_drawer, menu, paper, chars):
    """Each paper is a page of its own width, and the report's lines fit it."""
    shift = drawer.open_shift(closed_drawer, 200_000, "cashier:kasir")
    make.paid_order(menu, tendered=100_000)
    drawer.pay_in_or_out(closed_drawer, CashKind.PAY_OUT, 20_000, "beli es batu untuk minuman dingin", "cashier:kasir")
    drawer.close_shift(shift, Count.of_total(208_000), "cashier:kasir", note="kembalian salah", approver="cashier:rini")
    report_url = f"/drawer/shifts/{shift.public_id}?paper={paper}"
    end_transaction()  # after the last read: on SQLite an open transaction holds the write lock
    page = cashier(TABLETS["tablet-1024x768"])
    page.goto(report_url)
    expect(page.get_by_role("heading", name="Laporan Z")).to_be_visible()
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()
    page.wait_for_load_state("load")
    sizes = pdf_page_sizes(page.pdf(prefer_css_page_size=True))
    assert sizes and all(abs(width - int(paper) * MM_PT) < 1 for width, _height in sizes), sizes
    page.set_viewport_size({"width": round(int(paper) * MM_PX), "height": 900})
    page.emulate_media(media="print")
    fit = page.evaluate(RECEIPT_FITS)
    assert fit["overflowing"] == 0, fit
    assert fit["width"] <= int(paper) * MM_PX, fit
    assert round(fit["chars"]) == chars, fit
    # No amount is broken over two lines (a long label wraps instead): "Rp38" / ".000" was.
    broken = page.evaluate(
        """[...document.querySelectorAll('.receipt-sums dd')]
             .filter(dd => /^-?Rp[0-9.]+$/.test(dd.textContent.trim()))
             .filter(dd => { const text = document.createRange(); text.selectNodeContents(dd);
                             return new Set([...text.getClientRects()].map(line => Math.round(line.top))).size > 1; })
             .map(dd => dd.textContent.trim())"""
    )
    assert broken == [], broken
    expect(page.locator(".topbar")).to_be_hidden()
