"""Taking back a mistaken bump ("Batalkan selesai") from the station's display: within
30 s of the app's clock, never once the order was taken further, exactly once whatever
races, and kept in the order's history with who took it back."""

import threading
from functools import partial

import pytest

from tests import factories as make
from tests.db_helpers import count, end_transaction, reload
from tests.http_helpers import HTMX, csrf_token_from, log_in, visible_text
from webapp.extensions import db
from webapp.kitchen import steps
from webapp.models import KitchenTicket, Order, OrderStatus, OrderStatusChange, Role
from webapp.orders import lifecycle
from webapp.state import IllegalTransition


def ticket_of(order, station) -> KitchenTicket:
    return KitchenTicket.query.filter_by(order_id=order.id, station_id=station.id).one()


@pytest.fixture
def cook(app, client):
    """A kitchen account, joko, logged in on `client` (its csrf_token ready)."""
    make.staff_user("joko", role=Role.KITCHEN)
    log_in(client, "joko")
    client.csrf_token = csrf_token_from(client.get("/kitchen/").get_data(as_text=True))
    return client


def tap(client, station, ticket, step: str, htmx: bool = True):
    return client.post(
        f"/kitchen/{station.id}/tickets/{ticket.id}/{step}",
        data={"csrf_token": client.csrf_token},
        headers=HTMX if htmx else {},
    )


def test_a_bump_taken_back_within_30_s_puts_the_ticket_back_and_the_order_back_to_cooking(
    cook, admin_client, two_stations, menu, clock
):
    kitchen, _drinks = two_stations
    order = make.paid_order(menu, lines=(("Nasi Goreng", 1),), table="7")  # Dapur's only
    ticket = ticket_of(order, kitchen)
    bumped = tap(cook, kitchen, ticket, "bump").get_data(as_text=True)
    assert reload(order).status == OrderStatus.READY
    assert "Batalkan selesai" in bumped and "(0:30)" in bumped
    clock.advance(seconds=30)
    response = tap(cook, kitchen, ticket, "undo")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and f"{order.number} kembali ke daftar." in page
    assert "Batalkan selesai" not in page and f"/tickets/{ticket.id}/bump" in page  # listed again
    assert reload(ticket).bumped_at is None and reload(ticket).started_at is not None  # still being cooked
    assert reload(order).status == OrderStatus.PREPARING
    undone = reload(order).history[-1]
    assert (undone.from_status, undone.to_status) == (OrderStatus.READY, OrderStatus.PREPARING)
    assert undone.actor == "kitchen:joko" and undone.reason_params == {"station": "Dapur"}
    assert undone.created_at == clock()
    history = visible_text(admin_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True))
    assert "siap → sedang dimasak · joko · Dapur: selesai dibatalkan" in history


def test_after_30_s_the_undo_is_gone_and_refused(cook, two_stations, menu, clock):
    kitchen, _drinks = two_stations
    order = make.paid_order(menu, lines=(("Nasi Goreng", 1),))
    ticket = ticket_of(order, kitchen)
    tap(cook, kitchen, ticket, "bump")
    shown = cook.get(f"/kitchen/{kitchen.id}", headers=HTMX).get_data(as_text=True)
    version = shown.split('name="shown" value="')[1].split('"')[0]
    clock.advance(seconds=31)
    poll = cook.get(f"/kitchen/{kitchen.id}", query_string={"shown": version}, headers=HTMX)
    assert poll.status_code == 200 and "Batalkan selesai" not in poll.get_data(as_text=True)  # the poll took it away
    response = tap(cook, kitchen, ticket, "undo")
    assert response.status_code == 409
    assert f"{order.number} selesai lebih dari 30 detik lalu: tidak bisa dibatalkan lagi." in response.get_data(
        as_text=True
    )
    assert reload(ticket).bumped_at is not None and reload(order).status == OrderStatus.READY
    assert count(OrderStatusChange, order_id=order.id, reason="bump_undone") == 0


def test_one_station_of_two_takes_back_its_bump_the_order_stays_cooking(cook, two_stations, menu, clock):
    kitchen, drinks = two_stations
    order = make.paid_order(menu)  # Nasi Goreng (Dapur) and Es Teh Manis (Minuman)
    tap(cook, drinks, ticket_of(order, drinks), "bump")
    assert reload(order).status == OrderStatus.PREPARING
    touched = reload(order).updated_at
    clock.advance(seconds=5)
    assert tap(cook, drinks, ticket_of(order, drinks), "undo").status_code == 200
    assert reload(ticket_of(order, drinks)).bumped_at is None
    assert reload(order).status == OrderStatus.PREPARING and reload(order).updated_at > touched  # the board sees it
    kept = reload(order).history[-1]
    assert (kept.from_status, kept.to_status, kept.reason) == ("preparing", "preparing", "bump_undone")
    assert kept.actor == "kitchen:joko" and kept.reason_params == {"station": "Minuman"}
    # Bumped again, then the other station's bump makes the order ready, once.
    tap(cook, drinks, ticket_of(order, drinks), "bump")
    tap(cook, kitchen, ticket_of(order, kitchen), "bump")
    assert reload(order).status == OrderStatus.READY
    assert count(OrderStatusChange, order_id=order.id, to_status="ready") == 1


def test_an_order_made_ready_since_by_another_station_cannot_be_undone(cook, two_stations, menu, clock):
    kitchen, drinks = two_stations
    order = make.paid_order(menu)
    tap(cook, drinks, ticket_of(order, drinks), "bump")
    clock.advance(seconds=10)
    after_drinks = tap(cook, kitchen, ticket_of(order, kitchen), "bump")  # the last station: ready
    assert "Batalkan selesai" in after_drinks.get_data(as_text=True)  # Dapur's own may be undone
    drinks_page = cook.get(f"/kitchen/{drinks.id}").get_data(as_text=True)
    assert "Batalkan selesai" not in drinks_page  # Minuman's is not offered any more
    response = tap(cook, drinks, ticket_of(order, drinks), "undo")
    assert response.status_code == 409
    assert "sudah ditandai siap oleh stasiun lain atau kasir" in response.get_data(as_text=True)
    assert reload(order).status == OrderStatus.READY and reload(ticket_of(order, drinks)).bumped_at is not None


def test_an_order_the_cashier_made_ready_or_completed_cannot_be_undone(cook, two_stations, menu, clock):
    kitchen, drinks = two_stations
    readied = make.paid_order(menu)
    tap(cook, drinks, ticket_of(readied, drinks), "bump")  # Dapur has no screen today: the board steps
    lifecycle.advance_order(reload(readied), OrderStatus.READY, "cashier:sari")
    refused = tap(cook, drinks, ticket_of(readied, drinks), "undo")
    assert refused.status_code == 409 and "sudah ditandai siap" in refused.get_data(as_text=True)

    completed = make.paid_order(menu, lines=(("Nasi Goreng", 1),))
    tap(cook, kitchen, ticket_of(completed, kitchen), "bump")
    lifecycle.advance_order(reload(completed), OrderStatus.COMPLETED, "cashier:sari")
    refused = tap(cook, kitchen, ticket_of(completed, kitchen), "undo", htmx=False)  # without JavaScript
    assert refused.status_code == 303
    page = cook.get(refused.headers["Location"]).get_data(as_text=True)
    assert f"{completed.number} sudah selesai: tidak bisa dibatalkan." in page
    assert reload(completed).status == OrderStatus.COMPLETED


def test_a_second_tap_on_undo_changes_nothing(cook, two_stations, menu, clock):
    kitchen, _drinks = two_stations
    order = make.paid_order(menu, lines=(("Nasi Goreng", 1),))
    ticket = ticket_of(order, kitchen)
    tap(cook, kitchen, ticket, "bump")
    assert tap(cook, kitchen, ticket, "undo").status_code == 200
    again = tap(cook, kitchen, ticket, "undo")
    assert again.status_code == 409 and f"{order.number} sudah kembali ke daftar." in again.get_data(as_text=True)
    assert count(OrderStatusChange, order_id=order.id, reason="bump_undone") == 1
    assert tap(cook, _drinks, ticket, "undo").status_code == 404  # another station's ticket


def both_at_once(app, steps) -> list[object]:
    """Each step (a function of no argument) in its own thread and app context, released
    together; what each returned or raised."""
    barrier = threading.Barrier(len(steps))
    outcomes: list[object] = []

    def run(step):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                outcomes.append(step())
            except IllegalTransition as refused:
                outcomes.append(refused)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def a_step(ticket_id: int, step, actor: str, now):
    return lambda: step(db.session.get(KitchenTicket, ticket_id), actor, now)


def hand_over(order_id: int) -> None:
    """The cashier's last step on the board: the ready order is collected."""
    lifecycle.advance_order(db.session.get(Order, order_id), OrderStatus.COMPLETED, "cashier:sari")


def test_undo_racing_the_other_station_s_bump_leaves_one_consistent_order(app, two_stations, menu, clock):
    """Minuman takes back its bump while Dapur bumps: either the undo came first (the
    order is still being cooked: Minuman's part is back), or the bump did (the order is
    ready and the undo is refused). Never ready with a part still to cook."""
    kitchen, drinks = two_stations
    for _round in range(3):
        order = make.paid_order(menu)
        steps.bump(ticket_of(order, drinks), "kitchen:a", clock())
        drinks_id, kitchen_id = ticket_of(order, drinks).id, ticket_of(order, kitchen).id
        end_transaction()
        clock.advance(seconds=5)
        outcomes = both_at_once(
            app,
            [
                a_step(drinks_id, steps.undo_bump, "kitchen:a", clock()),
                a_step(kitchen_id, steps.bump, "kitchen:b", clock()),
            ],
        )
        refused = [outcome for outcome in outcomes if isinstance(outcome, IllegalTransition)]
        drinks_back = reload(ticket_of(order, drinks)).bumped_at is None
        assert reload(ticket_of(order, kitchen)).bumped_at is not None  # the bump always lands
        assert reload(order).status == (OrderStatus.PREPARING if drinks_back else OrderStatus.READY)
        assert len(refused) == (0 if drinks_back else 1)
        assert count(OrderStatusChange, order_id=order.id, to_status="ready") == (0 if drinks_back else 1)


def test_undo_racing_the_board_s_step_happens_once(app, two_stations, menu, clock):
    """Dapur takes back the bump that made the order ready while the cashier hands it
    over: one of them wins, the other is refused, and the history says which."""
    kitchen, _drinks = two_stations
    for _round in range(3):
        order = make.paid_order(menu, lines=(("Nasi Goreng", 1),))
        steps.bump(ticket_of(order, kitchen), "kitchen:a", clock())
        ticket_id, order_id = ticket_of(order, kitchen).id, order.id  # read now: a read later holds SQLite's lock
        end_transaction()
        outcomes = both_at_once(
            app,
            [
                a_step(ticket_id, steps.undo_bump, "kitchen:a", clock()),
                partial(hand_over, order_id),
            ],
        )
        assert sum(isinstance(outcome, IllegalTransition) for outcome in outcomes) == 1
        status, back = reload(order).status, reload(ticket_of(order, kitchen)).bumped_at is None
        assert (status, back) in ((OrderStatus.PREPARING, True), (OrderStatus.COMPLETED, False))
        assert count(OrderStatusChange, order_id=order.id, reason="bump_undone") == (1 if back else 0)
