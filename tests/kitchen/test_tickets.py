"""Kitchen tickets: made when an order is paid, bumped per station, and the order
ready once, when its last station bumps."""

import threading

from tests import factories as make
from tests.db_helpers import count, end_transaction, reload
from tests.duitku_side import callback_form
from webapp.extensions import db
from webapp.kitchen import steps, tickets
from webapp.models import KitchenTicket, OrderStatus, OrderStatusChange, PrintState
from webapp.orders import lifecycle


def ticket_of(order, station) -> KitchenTicket:
    return KitchenTicket.query.filter_by(order_id=order.id, station_id=station.id).one()


def test_paying_makes_one_ticket_per_station_with_its_items(two_stations, menu):
    kitchen, drinks = two_stations
    unpaid = make.order(menu)
    assert count(KitchenTicket) == 0
    order = make.paid_order(menu, lines=(("Nasi Goreng", 2, "tidak pedas"), ("Mie Ayam", 1), ("Es Teh Manis", 3)))
    food_items = [item.name for item in tickets.waiting(kitchen)[0].items]
    drink_items = [(item.name, item.quantity) for item in tickets.waiting(drinks)[0].items]
    assert food_items == ["Nasi Goreng", "Mie Ayam"] and drink_items == [("Es Teh Manis", 3)]
    assert ticket_of(order, kitchen).print_state == PrintState.NOT_NEEDED  # no printer
    assert count(KitchenTicket, order_id=unpaid.id) == 0


def test_an_order_for_one_station_makes_no_ticket_elsewhere(two_stations, menu):
    kitchen, drinks = two_stations
    order = make.paid_order(menu, lines=(("Es Teh Manis", 1),))
    assert tickets.waiting(kitchen) == []
    assert [entry.order.id for entry in tickets.waiting(drinks)] == [order.id]


def test_oldest_first_and_bumped_tickets_leave(two_stations, menu, clock):
    kitchen, _drinks = two_stations
    first = make.paid_order(menu, lines=(("Nasi Goreng", 1),))
    clock.advance(minutes=2)
    second = make.paid_order(menu, lines=(("Mie Ayam", 1),))
    assert [entry.order.id for entry in tickets.waiting(kitchen)] == [first.id, second.id]
    assert steps.bump(ticket_of(first, kitchen), "kitchen:sari", clock())
    assert [entry.order.id for entry in tickets.waiting(kitchen)] == [second.id]


def test_the_order_is_ready_when_the_last_station_bumps(two_stations, menu, clock):
    kitchen, drinks = two_stations
    order = make.paid_order(menu)  # Nasi Goreng and Es Teh Manis
    lifecycle.advance_order(reload(order), OrderStatus.PREPARING, "cashier:sari")  # the board's step still works
    assert steps.bump(ticket_of(order, drinks), "kitchen:sari", clock())
    assert reload(order).status == OrderStatus.PREPARING
    assert not steps.bump(ticket_of(order, drinks), "kitchen:sari", clock())  # a second tap: nothing
    assert steps.bump(ticket_of(order, kitchen), "kitchen:sari", clock())
    assert reload(order).status == OrderStatus.READY
    assert count(OrderStatusChange, order_id=order.id, to_status="ready") == 1


def test_one_flow_the_first_kitchen_step_marks_the_order_preparing_the_last_ready(two_stations, menu, clock):
    """A single station: "Mulai masak" makes the order preparing (the customer sees it
    being cooked), "Selesai" makes it ready. Two stations: the first bump makes it
    preparing, the last ready."""
    kitchen, drinks = two_stations
    solo = make.paid_order(menu, lines=(("Nasi Goreng", 1),))
    assert steps.start(ticket_of(solo, kitchen), "kitchen:joko", clock())
    assert reload(solo).status == OrderStatus.PREPARING
    assert not steps.start(ticket_of(solo, kitchen), "kitchen:joko", clock())  # once
    assert steps.bump(ticket_of(solo, kitchen), "kitchen:joko", clock())
    assert reload(solo).status == OrderStatus.READY
    assert [change.to_status for change in reload(solo).history] == ["awaiting_payment", "paid", "preparing", "ready"]

    both = make.paid_order(menu)  # Nasi Goreng and Es Teh Manis
    assert steps.bump(ticket_of(both, drinks), "kitchen:joko", clock())
    assert reload(both).status == OrderStatus.PREPARING
    assert ticket_of(both, drinks).started_at == clock()  # a bump without a start: started then
    assert steps.bump(ticket_of(both, kitchen), "kitchen:joko", clock())
    assert reload(both).status == OrderStatus.READY


def test_a_station_s_step_that_leaves_the_status_still_shows_on_the_board(two_stations, menu, clock):
    kitchen, drinks = two_stations
    order = make.paid_order(menu)
    assert steps.start(ticket_of(order, kitchen), "kitchen:joko", clock())
    clock.advance(seconds=30)
    touched = reload(order).updated_at
    assert steps.start(ticket_of(order, drinks), "kitchen:joko", clock())  # already preparing
    assert reload(order).status == OrderStatus.PREPARING and reload(order).updated_at > touched


def test_a_cancelled_or_finished_order_leaves_the_display(two_stations, menu):
    kitchen, _drinks = two_stations
    order = make.paid_order(menu, lines=(("Nasi Goreng", 1),))
    lifecycle.advance_order(reload(order), OrderStatus.PREPARING, "cashier:sari")
    lifecycle.advance_order(reload(order), OrderStatus.READY, "cashier:sari")
    assert tickets.waiting(kitchen) == []


def bump_all_at_once(app, ticket_ids: list[int]) -> list[bool]:
    """Each ticket bumped from its own thread (a session each), all released together."""
    barrier = threading.Barrier(len(ticket_ids))
    outcomes = []

    def bump(ticket_id, index):
        with app.app_context():
            try:
                ticket = db.session.get(KitchenTicket, ticket_id)
                db.session.commit()  # end the read: on SQLite it holds the write lock
                barrier.wait(timeout=30)
                outcomes.append(steps.bump(ticket, f"kitchen:{index}", ticket.created_at))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=bump, args=(ticket_id, i)) for i, ticket_id in enumerate(ticket_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_bumps_move_the_order_to_ready_exactly_once(app, two_stations, menu):
    """Both stations bump at the same moment (and each twice), three orders over: each
    order moves to ready exactly once."""
    for _round in range(3):
        order = make.paid_order(menu)
        ticket_ids = [ticket.id for ticket in KitchenTicket.query.filter_by(order_id=order.id)]
        end_transaction()
        assert sorted(bump_all_at_once(app, ticket_ids * 2)) == [False, False, True, True]
        assert count(OrderStatusChange, order_id=order.id, to_status="ready") == 1
        assert reload(order).status == OrderStatus.READY


def test_a_qris_callback_makes_the_tickets_on_either_path(app, two_stations, menu, client):
    """On PostgreSQL a callback pays the order in one SQL statement that no flush sees;
    its tickets must come all the same (webapp.orders.paying's signal)."""
    kitchen, _drinks = two_stations
    app.config["DUITKU_CONFIRM_CALLBACKS"] = False
    payment = make.qris_payment(menu)  # two Nasi Goreng: the kitchen's only
    end_transaction()
    assert client.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
    order = reload(payment).order
    assert order.status == OrderStatus.PAID
    assert [ticket.station_id for ticket in KitchenTicket.query.filter_by(order_id=order.id)] == [kitchen.id]


def test_the_streams_light_version_is_the_displays_version_in_every_state(two_stations, menu, clock):
    """A station's stream compares `waiting_version` (a few columns) with the version the
    display drew from `waiting`: they must agree, or every station would fetch at once."""
    kitchen, drinks = two_stations

    def agree() -> str:
        assert tickets.waiting_version(drinks.id) == tickets.shown_version(tickets.waiting(drinks))
        version = tickets.waiting_version(kitchen.id)
        assert version == tickets.shown_version(tickets.waiting(kitchen))
        return version

    assert agree() == "0"
    make.three_friends_bill(menu, now=clock())  # pay-later orders: cooked unpaid
    paid = make.paid_order(menu, lines=(("Mie Ayam", 1),))
    unpaid_and_paid = agree()
    assert "u" in unpaid_and_paid
    assert steps.start(ticket_of(paid, kitchen), "kitchen:sari", clock())
    started = agree()
    assert started.endswith("s") and started != unpaid_and_paid
