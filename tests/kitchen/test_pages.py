"""The kitchen's pages: the station display (login), its polls and bumps, and the
admins' station settings with their validation."""

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.http_helpers import HTMX, visible_text
from webapp.extensions import db
from webapp.kitchen.demo import seed_stations
from webapp.menu.demo import seed_demo_menu
from webapp.models import Category, KitchenTicket, Station, StationCategory


def test_every_kitchen_page_needs_a_login(client, two_stations):
    kitchen, _drinks = two_stations
    for url in ("/kitchen/", f"/kitchen/{kitchen.id}", "/kitchen/stations"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(f"/kitchen/{kitchen.id}/tickets/1/bump").status_code in (302, 400)
    assert count(KitchenTicket) == 0


def test_station_settings_are_for_admins_only(cashier_client, two_stations):
    assert cashier_client.get("/kitchen/stations").status_code == 403
    response = cashier_client.post(
        "/kitchen/stations/new", data={"csrf_token": cashier_client.csrf_token, "name": "Bakar"}
    )
    assert response.status_code == 403 and count(Station) == 2


def test_the_display_shows_its_station_s_tickets_oldest_first(cashier_client, two_stations, menu, clock):
    kitchen, drinks = two_stations
    first = make.order(menu, lines=(("Nasi Goreng", 2, "tidak pedas"),), table="7", note="cepat ya")
    make.paid_order(menu, lines=(("Es Teh Manis", 1),))
    make.confirm_cash(first, first.total, "cashier:sari")
    clock.advance(minutes=9)
    later = make.paid_order(menu, lines=(("Mie Ayam", 1),), table=None)
    page = cashier_client.get(f"/kitchen/{kitchen.id}").get_data(as_text=True)
    assert page.index(first.number) < page.index(later.number)
    assert "2&times; Nasi Goreng" in page and "(tidak pedas)" in page and "cepat ya" in page
    assert "Meja 7" in page and "Es Teh" not in page
    assert "age-mid" in page and "9 mnt" in page  # the first has waited 9 minutes
    drinks_page = cashier_client.get(f"/kitchen/{drinks.id}").get_data(as_text=True)
    assert "Es Teh Manis" in drinks_page and "Nasi Goreng" not in drinks_page


def test_polls_answer_204_until_something_changes(cashier_client, two_stations, menu, clock):
    kitchen, _drinks = two_stations
    url = f"/kitchen/{kitchen.id}"
    first = cashier_client.get(url, headers=HTMX)
    shown = first.get_data(as_text=True).split('name="shown" value="')[1].split('"')[0]
    assert cashier_client.get(url, query_string={"shown": shown}, headers=HTMX).status_code == 204
    order = make.paid_order(menu, lines=(("Nasi Goreng", 1),))
    changed = cashier_client.get(url, query_string={"shown": shown}, headers=HTMX)
    assert changed.status_code == 200 and order.number in changed.get_data(as_text=True)


def test_one_tap_bumps_and_the_last_station_makes_the_order_ready(cashier_client, two_stations, menu):
    kitchen, drinks = two_stations
    order = make.paid_order(menu)
    for station in (drinks, kitchen):
        ticket = KitchenTicket.query.filter_by(order_id=order.id, station_id=station.id).one()
        response = cashier_client.post(
            f"/kitchen/{station.id}/tickets/{ticket.id}/bump",
            data={"csrf_token": cashier_client.csrf_token},
            headers=HTMX,
        )
        undo, listed = response.get_data(as_text=True).split('<ol class="kitchen-tickets">')
        assert response.status_code == 200 and order.number not in listed  # gone, but for its undo
        assert "Batalkan selesai" in undo and order.number in undo
    assert reload(order).status == "ready"
    assert (
        cashier_client.post(
            f"/kitchen/{drinks.id}/tickets/{ticket.id}/bump", data={"csrf_token": cashier_client.csrf_token}
        ).status_code
        == 404
    )  # another station's ticket


def test_starting_a_ticket_shows_on_the_customer_s_page_and_the_board(cashier_client, client, two_stations, menu):
    kitchen, _drinks = two_stations
    order = make.paid_order(menu)  # Nasi Goreng (Dapur) and Es Teh Manis (Minuman)
    board = visible_text(cashier_client.get("/cashier").get_data(as_text=True))
    assert "Dapur: menunggu" in board and "Minuman: menunggu" in board
    ticket = KitchenTicket.query.filter_by(order_id=order.id, station_id=kitchen.id).one()
    response = cashier_client.post(
        f"/kitchen/{kitchen.id}/tickets/{ticket.id}/start", data={"csrf_token": cashier_client.csrf_token}, headers=HTMX
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Dimasak sejak" in page and "Mulai masak" not in page
    assert "Sedang dimasak" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    board = visible_text(cashier_client.get("/cashier").get_data(as_text=True))
    assert "Dapur: dimasak" in board and "Minuman: menunggu" in board


def test_the_board_s_start_starts_every_station_s_waiting_part(cashier_client, two_stations, menu):
    """The board and the stations agree: after the board's "Mulai masak" the stations
    offer "Selesai", not "Mulai masak" again, and the card's chips say "dimasak"."""
    kitchen, drinks = two_stations
    order = make.paid_order(menu)  # Nasi Goreng (Dapur) and Es Teh Manis (Minuman)
    advance = {"csrf_token": cashier_client.csrf_token, "to": "preparing"}
    assert cashier_client.post(f"/cashier/orders/{order.public_id}/advance", data=advance).status_code == 303
    board = visible_text(cashier_client.get("/cashier").get_data(as_text=True))
    assert "Dapur: dimasak" in board and "Minuman: dimasak" in board
    for station in (kitchen, drinks):
        display = cashier_client.get(f"/kitchen/{station.id}").get_data(as_text=True)
        assert order.number in display and "Dimasak sejak" in display and "Mulai masak" not in display


def test_a_refused_board_step_leaves_the_stations_parts_waiting(cashier_client, two_stations, menu):
    """A board a step behind (Dapur started the order meanwhile) is refused, and the
    refusal starts nothing: Minuman's part still waits."""
    kitchen, drinks = two_stations
    order = make.paid_order(menu)
    ticket = KitchenTicket.query.filter_by(order_id=order.id, station_id=kitchen.id).one()
    token = cashier_client.csrf_token
    cashier_client.post(f"/kitchen/{kitchen.id}/tickets/{ticket.id}/start", data={"csrf_token": token})
    advance = {"csrf_token": token, "to": "preparing"}
    response = cashier_client.post(f"/cashier/orders/{order.public_id}/advance", data=advance, headers=HTMX)
    assert response.status_code == 409
    assert KitchenTicket.query.filter_by(order_id=order.id, station_id=drinks.id).one().started_at is None
    assert "Mulai masak" in cashier_client.get(f"/kitchen/{drinks.id}").get_data(as_text=True)


def test_admin_adds_a_station_with_a_printer(admin_client, two_stations):
    response = admin_client.post(
        "/kitchen/stations/new",
        data={"csrf_token": admin_client.csrf_token, "name": "  Bakar ", "printer": "192.168.1.50:9100"},
    )
    assert response.status_code == 303
    assert Station.query.filter_by(name="Bakar").one().printer == "192.168.1.50:9100"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": ""}, "Nama wajib diisi."),
        ({"name": "dapur"}, "Sudah ada stasiun bernama dapur."),
        ({"name": "Bakar", "printer": "printer-dapur"}, "Printer ditulis host:port"),
        ({"name": "Bakar", "printer": "10.0.0.9:99999"}, "Printer ditulis host:port"),
        ({"name": "x" * 41}, "Paling panjang 40 karakter."),
    ],
)
def test_bad_station_settings_are_refused_with_a_message(admin_client, two_stations, fields, error):
    response = admin_client.post("/kitchen/stations/new", data={"csrf_token": admin_client.csrf_token, **fields})
    assert response.status_code == 422 and error in response.get_data(as_text=True)
    assert count(Station) == 2


def test_admin_moves_a_category_to_another_station_or_none(admin_client, two_stations):
    kitchen, drinks = two_stations
    category = Category.query.filter_by(name="Minuman").one()
    url = f"/kitchen/categories/{category.id}/station"
    assert (
        admin_client.post(url, data={"csrf_token": admin_client.csrf_token, "station": kitchen.id}).status_code == 303
    )
    assert db.session.get(StationCategory, category.id).station_id == kitchen.id
    for bad in ("999", "abc", "99999999999999999999"):
        response = admin_client.post(url, data={"csrf_token": admin_client.csrf_token, "station": bad})
        assert response.status_code == 422 and "Pilih stasiun yang ada." in response.get_data(as_text=True)
    assert admin_client.post(url, data={"csrf_token": admin_client.csrf_token, "station": "0"}).status_code == 303
    assert db.session.get(StationCategory, category.id) is None
    assert drinks.id  # the station itself stays


def test_the_demo_seed_makes_two_stations_once(app):
    seed_demo_menu()
    assigned = seed_stations()
    assert assigned == count(Category) and seed_stations() == 0
    names = {s.name: s.id for s in Station.query}
    assert set(names) == {"Dapur", "Minuman"}
    drinks = Category.query.filter(Category.name.ilike("%minum%")).one()
    assert db.session.get(StationCategory, drinks.id).station_id == names["Minuman"]
