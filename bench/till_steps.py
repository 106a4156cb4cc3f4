"""The steps of bench/till_ringup.py: what the cashier does on the till, what the page
shows when each is done, and how long that took on the page's own clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, expect

TIMEOUT_MS = 15_000

# In the page: when the step's first tap, key or typing came (Playwright's own work
# before it is not the till's), and the side column's version when the step began.
FIRST_INPUT = """
for (const type of ["pointerdown", "keydown", "input"]) {
  addEventListener(type, () => { if (window.__tapAt === null) window.__tapAt = performance.now(); }, true);
}
"""
ARM = "() => { window.__tapAt = null; window.__seen = document.querySelector('#till-side').dataset.version; }"
SIDE_CHANGED = "document.querySelector('#till-side').dataset.version !== window.__seen"
PANEL_CLOSED = "!document.querySelector('#till-choice').children.length"


def panel_shows(name: str) -> str:
    return f"document.querySelector('#till-choice h2')?.textContent.trim() === {json.dumps(name)}"


def nothing(_page: Page) -> None:
    pass


@dataclass
class Step:
    """What the cashier does (`act`), what the page shows when it is done (`shown`, a
    JavaScript expression, checked at every frame), and what must then be true."""

    name: str
    act: Callable[[Page], None]
    shown: str
    check: Callable[[Page], None] = nothing
    before: Callable[[Page], None] = nothing  # done untimed first (typing what Enter sends)


def tap_link(name: str) -> Callable[[Page], None]:
    return lambda page: page.get_by_role("link", name=name).click()


def tap_button(name: str) -> Callable[[Page], None]:
    return lambda page: page.get_by_role("button", name=name).click()


def on_the_order(text: str) -> Callable[[Page], None]:
    return lambda page: expect(page.locator("#till-lines")).to_contain_text(text)


def check_option(name: str) -> Callable[[Page], None]:
    return lambda page: page.locator("#till-choice").get_by_label(name).check()


def type_note(page: Page) -> None:
    page.get_by_label("Catatan untuk Kopi Tubruk").fill("gula sedikit")


def note_kept_and_takeaway(page: Page) -> None:
    expect(page.get_by_label("Catatan untuk Kopi Tubruk")).to_have_value("gula sedikit")
    expect(page.get_by_role("radio", name="Bungkus")).to_be_checked()


def paid(page: Page) -> None:
    expect(page.locator(".change-due h2")).to_have_text("Kembalian Rp41.000")
    expect(page.locator("#till-bill")).to_contain_text("Belum ada menu")


STEPS = [
    Step(
        "Nasi Goreng Spesial: tile, its choice panel",
        tap_link("Nasi Goreng Spesial"),
        panel_shows("Nasi Goreng Spesial"),
    ),
    Step("Level 3 (in the page)", check_option("Level 3"), "document.activeElement.checked"),
    Step(
        "Telur: the price follows, Rp29.000 (in the page)",
        check_option("Telur"),
        "document.querySelector('#till-choice .choice-price').textContent.trim() === 'Rp29.000'",
    ),
    Step(
        "Tambah ke pesanan: the line on the order",
        tap_button("Tambah ke pesanan"),
        f"{SIDE_CHANGED} && {PANEL_CLOSED}",
        on_the_order("Nasi Goreng Spesial"),
    ),
    Step(
        "Es Teh Manis: tile, its choice panel (Reguler chosen already)",
        tap_link("Es Teh Manis"),
        panel_shows("Es Teh Manis"),
    ),
    Step(
        "Tambah ke pesanan: the line on the order",
        tap_button("Tambah ke pesanan"),
        f"{SIDE_CHANGED} && {PANEL_CLOSED}",
        on_the_order("Es Teh Manis"),
    ),
    Step(
        "Kopi Tubruk: tile, the line on the order", tap_button("Kopi Tubruk"), SIDE_CHANGED, on_the_order("Kopi Tubruk")
    ),
    Step(
        "Air Mineral: tile, the line on the order", tap_button("Air Mineral"), SIDE_CHANGED, on_the_order("Air Mineral")
    ),
    Step("Tahu Isi: tile, the line on the order", tap_button("Tahu Isi"), SIDE_CHANGED, on_the_order("Tahu Isi")),
    Step(
        "+ on Air Mineral: quantity 2",
        tap_button("Tambah satu Air Mineral"),
        SIDE_CHANGED,
        on_the_order("2\u00d7 Air Mineral"),
    ),
    Step(
        "Enter in the note typed on Kopi Tubruk",
        lambda page: page.get_by_label("Catatan untuk Kopi Tubruk").press("Enter"),
        SIDE_CHANGED,
        before=type_note,
    ),
    Step(
        "Bungkus", lambda page: page.get_by_role("radio", name="Bungkus").check(), SIDE_CHANGED, note_kept_and_takeaway
    ),
    Step(
        "Rp100.000 typed into Uang diterima",
        lambda page: page.get_by_label("Uang diterima (Rp)").fill("100000"),
        "document.querySelector('#till-side .amount-input').value === '100000'",
    ),
    Step(
        "Bayar tunai Rp59.000: the change shown",
        tap_button("Bayar tunai Rp59.000"),
        f"{SIDE_CHANGED} && document.querySelector('.change-due')",
        paid,
    ),
]


def shown_at(page: Page, shown: str) -> float:
    """Wait for `shown` to hold, checked at every frame; the page's time then. (Not
    Playwright's wait_for_function: it evaluates a string, which the till's CSP forbids.)"""
    return page.evaluate(
        f"""() => new Promise((resolve, reject) => {{
          const deadline = performance.now() + {TIMEOUT_MS};
          const frame = () => {{
            if ({shown}) resolve(performance.now());
            else if (performance.now() > deadline) reject(new Error({json.dumps("not shown: " + shown)}));
            else requestAnimationFrame(frame);
          }};
          frame();
        }})"""
    )


def in_page_ms(page: Page, step: Step) -> float:
    """Do the step; the ms from its first input event to the frame that shows it done."""
    step.before(page)
    page.evaluate(ARM)
    step.act(page)
    done = shown_at(page, step.shown)
    step.check(page)
    return done - page.evaluate("window.__tapAt")
