"""Pushed updates on the board (issue 28 item 1): a customer's QRIS order, paid on the
sandbox's payer page (so the server commits it, on SQLite as on PostgreSQL), appears on
a board whose polling is switched off, by its stream alone, told by it without a fetch
(cashier/board_push.py); and with the stream refused,
the board polls and shows it within one poll. How soon after the commit a screen shows
it is measured by the benchmark (bench/README.md), not asserted here."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as make
from tests.browser.pages import (
    TABLETS,
    add_to_cart,
    assert_accessible,
    checkout,
    pay_on_the_sandbox_page,
)
from tests.db_helpers import end_transaction
from webapp.cashier.views import BOARD_POLL_SECONDS
from webapp.orders.paying import confirm_cash

QRIS = "QRIS (semua e-wallet dan m-banking)"


@pytest.fixture
def shop(app, menu):
    end_transaction()


def customer_pays_by_qris(phone, name: str) -> str:
    """A customer orders Nasi Goreng to take away and pays its QR; the order's number."""
    page = phone().new_page()
    page.goto("/")
    add_to_cart(page, "Nasi Goreng")
    number = checkout(page, name, QRIS)
    pay_on_the_sandbox_page(page)
    return number


# The test's own switch: every poll of the board is called off from now on (a poll is a
# request htmx makes with no triggering event), and counted.
NO_POLLS = """() => {
  window.pollsCalledOff = 0;
  document.addEventListener("htmx:confirm", event => {
    if (event.detail.elt.id === "board" && !event.detail.triggeringEvent) {
      event.preventDefault();
      window.pollsCalledOff++;
    }
  });
}"""


def test_with_polling_switched_off_the_stream_alone_brings_a_paid_order(cashier, phone, shop):
    board = cashier(TABLETS["tablet-1024x768"])
    board.evaluate(NO_POLLS)
    expect(board.locator("body")).to_have_attribute("data-live", "open")
    board.wait_for_function("() => window.pollsCalledOff >= 1")  # a poll came due, and went nowhere
    fetches = []
    board.on("request", lambda request: fetches.append(request.url) if "/cashier/board" in request.url else None)
    number = customer_pays_by_qris(phone, "Gita")
    expect(board.locator("section.column-paid").get_by_role("link", name=number)).to_be_visible()
    expect(board.locator("#count-paid")).to_have_text("1")
    assert fetches == []  # told: the order placed, then paid, each applied as the stream sent it
    assert int(board.locator("body").get_attribute("data-live-applied")) >= 2
    assert_accessible(board, "board with its stream open")


# The board's columns as it shows them: each card's id and version, and its hidden list.
BOARD_SHOWN = """() => [...document.querySelectorAll("section.board-column")].map(column => [
  [...column.querySelectorAll("article.ticket")].map(card => card.id + "." + card.dataset.version),
  column.querySelector("input.board-shown").value,
])"""


def test_told_cards_are_put_together_right_after_the_cashiers_own_step(cashier, phone, menu, shop):
    """The cashier's step moves the board on by its answer, past what its stream last
    told; what the stream tells next is still put together right, with no card twice."""
    confirm_cash(make.order(menu, name="Ani"), 50000, "cashier:kasir")
    end_transaction()
    board = cashier(TABLETS["tablet-1024x768"])
    board.evaluate(NO_POLLS)
    expect(board.locator("body")).to_have_attribute("data-live", "open")
    board.locator("section.column-paid").get_by_role("button").click()  # to the kitchen
    expect(board.locator("#count-preparing")).to_have_text("1")
    number = customer_pays_by_qris(phone, "Budi")  # while the cashier looks on
    expect(board.locator("section.column-paid").get_by_role("link", name=number)).to_be_visible()
    assert int(board.locator("body").get_attribute("data-live-applied")) >= 1  # told, not fetched
    told = board.evaluate(BOARD_SHOWN)
    fresh = board.context.new_page()
    fresh.goto(board.url)
    assert told == fresh.evaluate(BOARD_SHOWN)  # as a board loaded now shows it


def test_what_the_stream_tells_while_the_step_s_answer_is_on_its_way_is_applied_after_it(cashier, menu, shop):
    """The stream tells of the cashier's own step before the step's answer has landed
    (its answer is held back here): the board holds what it was told, applies the
    answer, then what it was told, which fits the board as the answer left it. No fetch,
    and the board shows what a board loaded now shows."""
    confirm_cash(make.order(menu, name="Ani"), 50000, "cashier:kasir")
    end_transaction()
    board = cashier(TABLETS["tablet-1024x768"])
    board.evaluate(NO_POLLS)
    expect(board.locator("body")).to_have_attribute("data-live", "open")
    answers = []
    board.route(re.compile(r"/advance$"), lambda route: answers.append((route, route.fetch())))  # made, not answered
    board.locator("section.column-paid").get_by_role("button").click()  # to the kitchen
    expect(board.locator("body")).to_have_attribute("data-live-held", "1")  # told meanwhile, and held
    expect(board.locator("#count-preparing")).to_have_text("0")  # nothing applied before the answer
    fetches = []
    board.on("request", lambda request: fetches.append(request.url) if "/cashier/board" in request.url else None)
    applied = int(board.locator("body").get_attribute("data-live-applied") or 0)
    ((route, answer),) = answers
    route.fulfill(response=answer)
    expect(board.locator("#count-preparing")).to_have_text("1")
    expect(board.locator("body")).to_have_attribute("data-live-applied", str(applied + 1))
    assert fetches == []
    fresh = board.context.new_page()
    fresh.goto(board.url)
    assert board.evaluate(BOARD_SHOWN) == fresh.evaluate(BOARD_SHOWN)


BOARD_LISTS = """() => Object.fromEntries(
  [...document.querySelectorAll("input.board-shown")].map(input => [input.name, input.value])
)"""

# A told event with no column changed and every list as `lists`: whether the board applied it.
TOLD = """lists => {
  const detail = {columns: {}, lists: lists, html: ""};
  document.getElementById("board").dispatchEvent(new CustomEvent("warung:told", {detail: detail, bubbles: true}));
  return Boolean(detail.applied);
}"""


def test_the_board_applies_nothing_told_while_a_column_it_was_not_told_of_differs(cashier, shop):
    """A column the board's own answer moved on, then moved back since, is not told (the
    stream last told it as it is now): the board must fetch, not apply the rest."""
    board = cashier(TABLETS["tablet-1024x768"])
    lists = board.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('input.board-shown')].map(i => [i.name, i.value]))"
    )
    assert board.evaluate(TOLD, lists) is True
    assert board.evaluate(TOLD, lists | {"awaiting_cash": "9.deadbeef"}) is False


def refuse_the_stream(route) -> None:
    route.fulfill(status=503, body="", headers={"Retry-After": "15"})  # as a process at its limit does


def test_with_the_stream_refused_the_board_polls_and_shows_it_within_one_poll(cashier, phone, shop):
    board = cashier(TABLETS["tablet-1024x768"])
    board.context.route(re.compile(r"/stream(\?|$)"), refuse_the_stream)
    board.reload()
    expect(board.locator("body")).to_have_attribute("data-live", "polling")
    number = customer_pays_by_qris(phone, "Hana")
    card = board.locator("section.column-paid").get_by_role("link", name=number)
    expect(card).to_be_visible(timeout=(BOARD_POLL_SECONDS + 2) * 1000)  # one poll, and its answer


def test_while_its_stream_is_open_the_board_polls_only_as_a_check(cashier, shop, database_uri):
    board = cashier(TABLETS["tablet-1024x768"])
    expect(board.locator("body")).to_have_attribute("data-live", "open")
    check = board.locator("#board").get_attribute("data-live-check")
    if database_uri.startswith("postgresql"):
        assert check == "60"
        board.wait_for_function("() => Number(document.body.dataset.liveSkipped) >= 1")  # a poll called off
    else:
        assert check == "0"  # a stream hears only its own process here: the poll goes on
