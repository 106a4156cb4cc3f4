"""The live board sends only what changed: a poll carries the cards each column shows
and gets back out-of-band deletes and inserts for the changed cards alone (204 when
nothing changed). `TabletBoard` applies those swaps the way htmx does, so the tests
check that a tablet ends up showing exactly the board a fresh page shows."""

import random

from tests import factories as make
from tests.cashier.tablet import fresh
from tests.http_helpers import HTMX
from webapp.cashier import live_board as board
from webapp.cashier.live_board import COLUMNS
from webapp.extensions import db
from webapp.models import OrderStatus
from webapp.orders import lifecycle
from webapp.orders.paying import confirm_cash


def test_the_page_shows_every_column_with_its_list(cashier_client, menu):
    make.order(menu)
    tablet = fresh(cashier_client)
    assert list(tablet.cards) == [key for key, _title in COLUMNS] == list(tablet.shown)
    assert tablet.cards["awaiting_cash"] == ["o1-awaiting_cash"]
    assert tablet.shown["awaiting_cash"].startswith("1.")


def test_nothing_changed_is_204_even_when_the_minutes_move_on(cashier_client, menu, clock):
    make.order(menu)
    tablet = fresh(cashier_client)
    assert tablet.poll(cashier_client).status_code == 204
    clock.advance(minutes=7)  # the tablet counts the minutes itself
    assert tablet.poll(cashier_client).status_code == 204


def test_a_new_order_is_sent_alone(cashier_client, menu, clock):
    for name in ("Adi", "Bayu", "Citra"):
        make.order(menu, name=name)
    tablet = fresh(cashier_client)
    order = make.order(menu, name="Rina")
    response = tablet.poll(cashier_client)
    answer = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'hx-swap-oob="afterend:#o3-awaiting_cash"' in answer
    assert order.number in answer and "Rina" in answer and "Meja 5" in answer and "tidak pedas" in answer
    assert "Rp30.000" in answer and "Terima tunai" in answer
    assert not any(name in answer for name in ("Adi", "Bayu", "Citra"))
    assert '<span id="count-awaiting_cash" class="count" hx-swap-oob="true">4</span>' in answer
    assert "count-paid" not in answer  # columns that did not change are left alone


def test_a_kitchen_step_moves_one_card(cashier_client, menu):
    orders = [make.paid_order(menu, name=f"Tamu {n}") for n in range(6)]
    tablet = fresh(cashier_client)
    lifecycle.advance_order(orders[2], OrderStatus.PREPARING, "cashier:sari")
    answer = tablet.poll(cashier_client).get_data(as_text=True)
    assert '<div hx-swap-oob="delete:#o3-paid"></div>' in answer
    assert 'hx-swap-oob="afterbegin:#cards-preparing"' in answer
    assert answer.count("<article") == 1
    tablet.apply(answer)
    assert tablet.cards["paid"] == ["o1-paid", "o2-paid", "o4-paid", "o5-paid", "o6-paid"]
    assert tablet.cards["preparing"] == ["o3-preparing"]


def test_a_button_on_the_board_answers_with_what_changed_and_a_message(cashier_client, menu):
    order = make.paid_order(menu)
    tablet = fresh(cashier_client)
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/advance",
        headers=HTMX,
        data={"csrf_token": cashier_client.csrf_token, "to": "preparing", **tablet.shown},
    )
    answer = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<div id="board-message" class="board-message" hx-swap-oob="true">' in answer
    tablet.apply(answer)
    assert "A-001: sedang dimasak." in tablet.message
    assert tablet.cards == fresh(cashier_client).cards


def test_an_unreadable_list_gets_its_column_whole(cashier_client, menu):
    make.order(menu)
    make.order(menu)
    tablet = fresh(cashier_client)
    tablet.shown["awaiting_cash"] = "not a list"
    answer = tablet.poll(cashier_client).get_data(as_text=True)
    assert '<div id="cards-awaiting_cash" class="cards" hx-swap-oob="true">' in answer
    assert answer.count("<article") == 2


def test_a_board_too_big_to_list_sends_changed_columns_whole(cashier_client, menu, monkeypatch):
    """Past MAX_LISTED_CARDS the lists would not fit in a request line: columns are
    kept as digests; unchanged is still 204, a changed column comes whole."""
    monkeypatch.setattr(board, "MAX_LISTED_CARDS", 3)
    orders = [make.order(menu, name=f"Tamu {n}") for n in range(4)]
    confirm_cash(orders[0], 30000, "cashier:sari")
    tablet = fresh(cashier_client)
    assert all(shown.startswith("#") for shown in tablet.shown.values())
    assert tablet.poll(cashier_client).status_code == 204
    lifecycle.advance_order(orders[0], OrderStatus.PREPARING, "cashier:sari")
    answer = tablet.poll(cashier_client).get_data(as_text=True)
    assert '<div id="cards-paid" class="cards" hx-swap-oob="true"></div>' in answer
    assert 'id="cards-preparing" class="cards" hx-swap-oob="true"' in answer and "cards-awaiting_cash" not in answer
    tablet.apply(answer)
    page = fresh(cashier_client)
    assert (tablet.cards, tablet.shown, tablet.counts) == (page.cards, page.shown, page.counts)


def test_without_htmx_the_poll_url_leads_to_the_board(cashier_client):
    response = cashier_client.get("/cashier/board")
    assert response.status_code == 303 and response.location == "/cashier"


def test_any_sequence_of_changes_leaves_the_tablet_showing_the_board(cashier_client, menu, clock):
    """Random changes, several between polls: after each poll the tablet shows the
    same cards, in the same order, with the same lists, as a freshly loaded page."""
    rng = random.Random(7)
    tablet = fresh(cashier_client)
    orders = []
    steps = 0
    for _round in range(25):
        for _change in range(rng.randint(0, 3)):
            steps += 1
            clock.advance(seconds=rng.choice([0, 1, 30]))
            change_something(rng, orders, menu)
        response = tablet.poll(cashier_client)
        if response.status_code == 200:
            tablet.apply(response.get_data(as_text=True))
        page = fresh(cashier_client)
        assert (tablet.cards, tablet.shown, tablet.counts) == (page.cards, page.shown, page.counts), (
            f"after {steps} changes"
        )
    assert steps > 20


def change_something(rng, orders, menu) -> None:
    open_orders = [order for order in orders if order.status not in ("completed", "cancelled")]
    choice = rng.random()
    if choice < 0.3 or not open_orders:
        orders.append(make.order(menu) if rng.random() < 0.6 else make.order(menu, method="qris"))
        return
    order = rng.choice(open_orders)
    db.session.refresh(order)
    if choice < 0.45:
        order.needs_attention = not order.needs_attention
        order.attention_reason = "amount_mismatch" if order.needs_attention else ""
        db.session.commit()
    elif order.status == "awaiting_payment" and order.payment_method == "cash":
        if choice < 0.8:
            confirm_cash(order, 50000, "cashier:sari")
        else:
            lifecycle.cancel_order(order, "cashier:sari", "pergi")
    elif order.status == "awaiting_payment":
        lifecycle.switch_to_cash(order, "cashier:sari")
    elif OrderStatus(order.status) in lifecycle.KITCHEN_STEPS:
        lifecycle.advance_order(order, lifecycle.KITCHEN_STEPS[OrderStatus(order.status)].to, "cashier:sari")
