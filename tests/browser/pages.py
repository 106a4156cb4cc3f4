"""What the browser tests do with pages: accessibility and tap-target checks, logging
staff in, paying on the sandbox's payer page, printing the table QR cards, screenshots
for the README. Also the browser they drive (bench/menu_weight.py drives the same)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.live_server import ROOT

# Debian's Chromium (never a browser download), headless, with nothing running beside the page.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 800}
TABLETS = {"tablet-1180x820": {"width": 1180, "height": 820}, "tablet-1024x768": {"width": 1024, "height": 768}}
AXE = Path(__file__).resolve().parent / "assets" / "axe-4.14.1.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def open_page(browser, server, viewport=SMALL_PHONE, js: bool = True):
    """A new browser context of that size speaking Indonesian, and a page in it."""
    context = browser.new_context(viewport=viewport, locale="id-ID", java_script_enabled=js, base_url=server)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; returns its violations (id, impact, nodes). axe is
    evaluated through the DevTools protocol: the page's CSP (rightly) forbids inline
    script tags, and the journeys keep that CSP on so they would catch a violation."""
    page.evaluate(AXE.read_text())
    return page.evaluate(
        "async () => (await axe.run()).violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
    )


def assert_accessible(page, name: str) -> list[dict]:
    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    print(f"axe {name}: {violations or 'no violations'}")  # noqa: T201 - the minor ones, shown with -s
    assert serious == [], f"{name}: {serious}"
    return violations


PHONE_AND_TABLETS = {"phone": SMALL_PHONE, **TABLETS}


# What sticks out past the right edge, elements and runs of text (a word too long for
# its box overflows it while the box stays inside), to say what makes a page scroll sideways.
STICKING_OUT = """width => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const right = e.getBoundingClientRect().right;
    if (right > width + 0.5) out.push(`${e.tagName}.${e.className} (${Math.round(right)} px)`);
  }
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = texts.nextNode(); text; text = texts.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(text);
    const right = range.getBoundingClientRect().right;
    if (right > width + 0.5) out.push(`text "${text.data.trim().slice(0, 40)}" (${Math.round(right)} px)`);
  }
  return out.slice(-5);
}"""
FITS = "width => document.documentElement.scrollWidth <= width"


def assert_fits(page, width: int, name: str) -> None:
    """The page does not scroll sideways at that width, once it has loaded and settled.
    A page measured the moment its text is in can be wider than it will be: a CI run
    measured the till at 472 px on a 360 px phone right after a form's redirect, with
    nothing sticking out a moment later. So the width is awaited, for a second at most
    (a page wide for longer is one a user would see scroll), and what still sticks out
    is named."""
    page.wait_for_load_state("load")
    try:
        page.wait_for_function(FITS, arg=width, timeout=1_000)
    except PlaywrightTimeoutError:
        wide = page.evaluate("document.documentElement.scrollWidth")
        pytest.fail(f"{name} scrolls sideways, {wide} px at {width}: {page.evaluate(STICKING_OUT, width)}")


def fits_and_passes_axe(page, viewport, name: str) -> None:
    """Nothing scrolls sideways, and axe finds nothing serious."""
    assert_fits(page, viewport["width"], name)
    assert_accessible(page, name)


TAP_TARGET_PX = 44
SMALL_TAP_TARGETS = """min => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter(element => element.getClientRects().length && getComputedStyle(element).visibility !== 'hidden')
  .map(element => {
    const choice = ['radio', 'checkbox'].includes(element.type) && element.closest('label');
    const box = (choice || element).getBoundingClientRect();  // a radio is tapped through its label
    return {what: element.outerHTML.slice(0, 90), width: Math.round(box.width), height: Math.round(box.height)};
  })
  .filter(target => target.width < min || target.height < min)"""


def assert_tap_targets(page, name: str) -> None:
    """Every link, button and field of the page is at least 44 x 44 CSS px. Measured
    after the page's load event: before it, a page a form's redirect brought may not
    have its stylesheets yet (a CI run measured every target of the order page at
    17-21 px high, the page unstyled)."""
    page.wait_for_load_state("load")
    small = page.evaluate(SMALL_TAP_TARGETS, TAP_TARGET_PX)
    assert small == [], f"{name}: tap targets under {TAP_TARGET_PX} px: {small}"


def log_in_on_board(page, username: str, password: str) -> None:
    """Log a cashier in and wait for the order board, its stylesheets loaded (the
    heading is in the page before cashier.css is: a layout measured then has no grid)."""
    log_in(page, username, password, re.compile("Menunggu tunai"))


def log_in_as_admin(page, username: str, password: str) -> None:
    """Log an admin in and wait for the admin's home, "Hari ini", where admins land."""
    log_in(page, username, password, "Hari ini")


def log_in(page, username: str, password: str, landing_heading) -> None:
    """Log a staff member in and wait for the page they land on: a heading of it, and
    the page's load event."""
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name=landing_heading).first).to_be_visible()
    page.wait_for_load_state("load")


def screenshot(page, name: str, full_page: bool = False) -> None:
    """Phone screenshots for the README: written to docs/ by `make screenshots`."""
    if os.environ.get("WARUNG_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def pay_on_the_sandbox_page(page) -> None:
    """Follow the page's link to the sandbox payer page, press Pay, and see `page` flip
    to paid by itself (no reload)."""
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Bayar di sandbox Duitku").click()
    payer = opened.value
    payer.get_by_role("button", name="Pay").click()
    expect(payer.get_by_role("heading", name="Paid")).to_be_visible()
    expect(page.get_by_role("heading", name="Pembayaran diterima")).to_be_visible()


# Printing the table QR cards ----------------------------------------------------------

MM_PX = 96 / 25.4  # CSS pixels in a millimetre
MM_PT = 72 / 25.4  # PDF points in a millimetre
# A4 less Chromium's default margins (the page's own @page margins, 10 mm): the width
# the cards are laid out in when printed.
A4_PRINTED_WIDTH = round((210 - 2 * 10) * MM_PX)

# The pieces of the table QR cards (text, logo, QR) that stick out of the inside of
# their card's dashed border, each with how far.
CARDS_OUTSIDE_THEIR_LINE = """() => [...document.querySelectorAll('.table-card')].flatMap(card => {
  const box = card.getBoundingClientRect(), style = getComputedStyle(card), border = side => parseFloat(style[side]);
  const inner = {left: box.left + border('borderLeftWidth'), right: box.right - border('borderRightWidth'),
                 top: box.top + border('borderTopWidth'), bottom: box.bottom - border('borderBottomWidth')};
  return [...card.querySelectorAll('*')].filter(element => element.getClientRects().length).map(element => {
    const range = document.createRange();
    range.selectNodeContents(element);  // the text itself, where it runs past its box
    const own = element.getBoundingClientRect(), text = range.getBoundingClientRect();
    const left = Math.min(own.left, text.width ? text.left : own.left), right = Math.max(own.right, text.right);
    const top = Math.min(own.top, text.height ? text.top : own.top), bottom = Math.max(own.bottom, text.bottom);
    return {card: card.getAttribute('aria-label'), what: element.className.baseVal ?? element.className,
            out: Math.max(inner.left - left, right - inner.right, inner.top - top, bottom - inner.bottom)};
  }).filter(child => child.out > 0.5);
})"""


def pdf_pages(pdf: bytes) -> int:
    """The pages of a PDF Chromium printed (each a /Type /Page object)."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


# Printing receipts and reports on thermal paper ----------------------------------------

# How the page's slip (`.receipt`) fits its paper: its width, the characters a line it
# holds, and how many of its elements overflow their box.
RECEIPT_FITS = """() => {
  const receipt = document.querySelector('.receipt');
  const probe = document.createElement('span');
  probe.textContent = 'M'.repeat(10);
  receipt.appendChild(probe);
  const charWidth = probe.getBoundingClientRect().width / 10;
  probe.remove();
  const overflowing = [...receipt.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1).length;
  return {width: receipt.getBoundingClientRect().width, chars: receipt.clientWidth / charWidth, overflowing};
}"""


def pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in points, from the MediaBox of its page dictionary
    (Chromium writes those uncompressed, one per page)."""
    return [(float(w), float(h)) for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)]


# A customer on the shop's pages ------------------------------------------------------


def add_to_cart(page, name: str, quantity: int = 1) -> None:
    item_id = page.locator(f"li.item:has(h3:text-is('{name}')) input[name=item_id]").get_attribute("value")
    page.fill(f"#qty-{item_id}", str(quantity))
    page.get_by_role("button", name=f"Tambah {name}", exact=True).click()


def go_to_checkout(page) -> None:
    page.get_by_role("button", name="Lanjut ke pembayaran").click()
    page.wait_for_url("**/checkout")


def checkout(page, name: str, method_label: str, table: str = "") -> str:
    if not page.url.endswith("/checkout"):
        go_to_checkout(page)
    page.get_by_label("Nama", exact=True).fill(name)
    if table:  # chosen from the list (no table link scanned); else takeaway, as the form starts
        page.get_by_label("Makan di sini").check()
        page.get_by_label("Meja", exact=True).select_option(label=table)
    page.get_by_label(method_label).check()
    page.get_by_role("button", name=re.compile("Pesan sekarang")).click()
    expect(page.locator(".order-number")).to_be_visible()
    return page.locator(".order-number").inner_text()
