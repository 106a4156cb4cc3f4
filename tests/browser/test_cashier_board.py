"""The cashier board on tablets and phones, and taking cash, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import PHONE, TABLETS, assert_accessible, assert_fits, assert_tap_targets, screenshot
from tests.db_helpers import end_transaction
from webapp.models import OrderStatus
from webapp.orders import lifecycle
from webapp.orders.paying import confirm_cash

PORTRAIT_TABLET = {"width": 768, "height": 1024}


def a_busy_board(menu_items) -> None:
    """A-001 awaits cash, A-002 is paid, A-003 is being cooked, A-004 is ready."""
    kitchen = {
        "Adi": None,
        "Bayu": [],
        "Citra": [OrderStatus.PREPARING],
        "Dewi": [OrderStatus.PREPARING, OrderStatus.READY],
    }
    for name, steps in kitchen.items():
        order = make.order(menu_items, name=name)
        if steps is not None:
            confirm_cash(order, 50000, "cashier:kasir")
        for step in steps or []:
            lifecycle.advance_order(order, step, "cashier:kasir")
    end_transaction()


COLUMNS = ("awaiting_cash", "qris_pending", "paid", "preparing", "ready", "attention")


def column_boxes(page) -> list[dict]:
    """The columns' boxes, all measured at one moment."""
    return page.evaluate(
        """keys => keys.map(key => {
            const box = document.querySelector(`section.column-${key}`).getBoundingClientRect();
            return {x: box.x, y: box.y, width: box.width, height: box.height};
        })""",
        list(COLUMNS),
    )


@pytest.mark.parametrize("name", TABLETS)
def test_on_a_tablet_the_six_columns_sit_side_by_side(cashier, menu, name):
    a_busy_board(menu)
    page = cashier(TABLETS[name])
    boxes = column_boxes(page)
    assert len({round(box["y"]) for box in boxes}) == 1, boxes  # one row: "ready" is not under "awaiting cash"
    assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)
    assert all(box["width"] >= 150 for box in boxes)
    assert_tap_targets(page, f"cashier board ({name})")
    # All six in sight: the last, the orders that need a check, not past the board's edge.
    assert page.locator(".board").evaluate("board => board.scrollWidth <= board.clientWidth"), boxes
    if name == "tablet-1180x820":
        screenshot(page, "cashier-board-tablet")
    assert_accessible(page, f"cashier board ({name})")


def test_on_a_portrait_tablet_the_six_columns_are_two_rows_of_three(cashier, menu, tmp_path):
    """768 x 1024: six columns side by side would scroll sideways, with no scrollbar to
    say so; three and three keep every column in sight, none narrower than on 1024 px."""
    a_busy_board(menu)
    page = cashier(PORTRAIT_TABLET)
    page.screenshot(path=str(tmp_path / "board-portrait.png"), full_page=True)
    boxes = column_boxes(page)
    rows = sorted({round(box["y"]) for box in boxes})
    assert len(rows) == 2, boxes
    first, second = boxes[:3], boxes[3:]  # the money's three, then the kitchen's
    assert all(round(box["y"]) == rows[0] for box in first) and all(round(box["y"]) == rows[1] for box in second)
    assert [box["x"] for box in first] == sorted(box["x"] for box in first)
    assert [round(box["x"]) for box in first] == [round(box["x"]) for box in second]
    assert all(box["width"] >= 200 for box in boxes)
    assert_fits(page, PORTRAIT_TABLET["width"], "cashier board, portrait tablet")
    assert_accessible(page, "cashier board (portrait tablet)")


def test_on_a_phone_the_columns_are_stacked(cashier, menu, tmp_path):
    a_busy_board(menu)
    page = cashier(PHONE)
    page.screenshot(path=str(tmp_path / "board-phone.png"), full_page=True)
    boxes = column_boxes(page)
    assert len({round(box["x"]) for box in boxes}) == 1
    assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)


def test_board_buttons_and_polls_change_only_the_cards_concerned(cashier, menu):
    a_busy_board(menu)
    page = cashier(TABLETS["tablet-1024x768"])
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    paid = page.locator("section.column-paid")
    with page.expect_response(re.compile(r"/advance$")) as pressed:
        paid.get_by_role("button", name="Mulai masak").click()
    answer = pressed.value.text()  # the button sent the board's lists: only the moved card comes back
    assert 'hx-swap-oob="delete:#o2-paid"' in answer and answer.count("<article") == 1
    preparing = page.locator("section.column-preparing")
    expect(preparing.get_by_role("link", name="A-002")).to_be_visible()
    expect(paid.locator("article")).to_have_count(0)
    expect(paid.get_by_text("Kosong")).to_be_visible()
    expect(page.locator("#count-preparing")).to_have_text("2")
    expect(page.get_by_role("status")).to_contain_text("A-002: sedang dimasak.")
    message, place = page.locator("#board-message .flash-info"), page.locator("#board-message").bounding_box()
    message.evaluate("m => m.getAnimations().forEach(a => a.finish())")  # its 8 s, without waiting them
    expect(message).to_be_hidden()  # read later, it would be stale
    assert page.locator("#board-message").bounding_box() == place  # and no card moved up under a finger

    make.order(menu, name="Gita")  # a customer orders meanwhile: the poll brings it
    end_transaction()
    expect(page.locator("section.column-awaiting_cash").get_by_role("link", name="A-005")).to_be_visible()
    expect(page.locator("section.column-awaiting_cash article")).to_have_count(2)
    assert errors == []


def test_enter_in_the_amount_field_confirms_the_typed_amount(cashier, menu):
    url = f"/cashier/orders/{make.order(menu).public_id}"  # Rp30.000
    end_transaction()
    page = cashier(TABLETS["tablet-1180x820"])
    page.goto(url)
    amount = page.get_by_label("Uang diterima (Rp)")
    assert amount.get_attribute("inputmode") == "numeric"
    assert float(amount.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 28
    amount.fill("50.000")  # as the app prints money
    amount.press("Enter")
    expect(page.get_by_role("heading", name="Kembalian Rp20.000")).to_be_visible()
    assert_tap_targets(page, "cashier order paid in cash")
    screenshot(page, "cashier-change-tablet")
    assert_accessible(page, "cashier order paid in cash")
