"""A void after the kitchen got the ticket: the station that has the voided lines gets a
"BATAL" ticket, printed on its printer (ESC/POS) and shown on its display, struck and
red, until bumped; a station whose lines were not voided gets none, nor does an order
voided before the kitchen had it."""

from __future__ import annotations

from tests import factories as make
from tests.db_helpers import reload
from tests.http_helpers import visible_text
from tests.voids.conftest import PIN, void
from webapp.kitchen import printing, stations
from webapp.models import PrintState, VoidTicket

LINES = (("Nasi Goreng", 2, "tidak pedas"), ("Es Teh Manis", 1))


def words(sent: bytes) -> str:
    """A print job's text, ESC/POS styles taken out."""
    for code in (b"\x1d!\x11", b"\x1d!\x00", b"\x1bE\x01", b"\x1bE\x00"):
        sent = sent.replace(code, b"")
    return sent.decode("ascii", "replace")


def paid_at_the_counter(client, menu, **fields):
    """An order paid in cash at the counter: its kitchen tickets print at the end of the request."""
    order = make.order(menu, lines=LINES, **fields)
    paid = client.post(
        f"/cashier/orders/{order.public_id}/cash", data={"csrf_token": client.csrf_token, "tendered": str(order.total)}
    )
    assert paid.status_code == 303
    return order


def test_a_void_after_the_kitchen_got_the_ticket_prints_batal_at_the_station(
    cashier_client, two_stations, menu, printer, rini
):
    kitchen, _drinks = two_stations
    stations.save_station(kitchen, kitchen.name, printer.address)
    order = paid_at_the_counter(cashier_client, menu, table="7")
    (ticket,) = printer.wait_for(1)
    assert "2x Nasi Goreng" in words(ticket)
    nasi = order.items[0]
    answer = void(cashier_client, order, target=str(nasi.id), quantity="1", reason="habis", approver="rini", pin=PIN)
    assert answer.status_code == 303
    _ticket, batal = printer.wait_for(2)
    text = words(batal)
    assert batal.startswith(b"\x1b@") and batal.endswith(b"\x1dV\x42\x00")  # reset ... cut
    assert "DAPUR" in text and f"{order.number}  Meja 7" in text and "*** BATAL ***" in text
    assert "1x Nasi Goreng" in text and "(habis)" in text and "Es Teh" not in text
    [made] = VoidTicket.query.all()  # the drinks station's line was not voided: no BATAL there
    assert (made.station_id, made.print_state) == (kitchen.id, PrintState.PRINTED)


def test_the_kitchen_display_shows_batal_until_it_is_bumped(cashier_client, two_stations, menu, rini):
    kitchen, drinks = two_stations
    order = make.paid_order(menu, lines=LINES)
    assert void(cashier_client, order, approver="rini", pin=PIN, reason="salah meja").status_code == 303
    shown = cashier_client.get(f"/kitchen/{kitchen.id}").get_data(as_text=True)
    assert "kitchen-void" in shown and "<s>2&times; Nasi Goreng</s>" in shown
    text = visible_text(shown)
    assert f"{order.number}" in text and "BATAL" in text and "salah meja" in text
    assert "Mulai masak" not in text  # the cancelled order's own ticket is off the display
    drinks_shown = visible_text(cashier_client.get(f"/kitchen/{drinks.id}").get_data(as_text=True))
    assert "BATAL" in drinks_shown and "Es Teh Manis" in drinks_shown  # the whole order: each station's lines
    ticket = VoidTicket.query.filter_by(station_id=kitchen.id).one()
    bumped = cashier_client.post(
        f"/kitchen/{kitchen.id}/voids/{ticket.id}/bump", data={"csrf_token": cashier_client.csrf_token}
    )
    assert bumped.status_code == 303 and reload(ticket).bumped_by == "kitchen:sari"
    assert "kitchen-void" not in cashier_client.get(f"/kitchen/{kitchen.id}").get_data(as_text=True)
    other = cashier_client.post(
        f"/kitchen/{drinks.id}/voids/{ticket.id}/bump", data={"csrf_token": cashier_client.csrf_token}
    )
    assert other.status_code == 404  # another station's ticket


def test_a_void_before_the_kitchen_had_it_makes_no_batal(cashier_client, two_stations, menu):
    order = make.order(menu, lines=LINES)
    assert void(cashier_client, order).status_code == 303
    assert VoidTicket.query.count() == 0


def test_an_unprinted_batal_is_retried(cashier_client, two_stations, menu, printer, rini, clock):
    kitchen, _drinks = two_stations
    stations.save_station(kitchen, kitchen.name, printer.address)
    order = paid_at_the_counter(cashier_client, menu)
    printer.wait_for(1)
    printer.stop()
    assert void(cashier_client, order, approver="rini", pin=PIN).status_code == 303
    ticket = VoidTicket.query.filter_by(station_id=kitchen.id).one()
    assert ticket.print_state == PrintState.QUEUED
    printer.start()
    clock.advance(minutes=1)
    assert printing.retry_void_tickets(clock()) == 1
    assert "*** BATAL ***" in words(printer.wait_for(2)[-1]) and reload(ticket).print_state == PrintState.PRINTED


def test_a_stations_ticket_left_with_nothing_to_cook_goes_with_its_batal(cashier_client, two_stations, menu, rini):
    kitchen, drinks = two_stations
    order = make.paid_order(menu, lines=LINES)
    tea = order.items[1]
    assert void(cashier_client, order, target=str(tea.id), approver="rini", pin=PIN).status_code == 303
    batal = VoidTicket.query.one()
    assert batal.station_id == drinks.id and [line.name for line in batal.lines] == ["Es Teh Manis"]
    bump = f"/kitchen/{drinks.id}/voids/{batal.id}/bump"
    assert cashier_client.post(bump, data={"csrf_token": cashier_client.csrf_token}).status_code == 303
    own = {ticket.station_id: ticket for ticket in reload(order).tickets}
    assert own[drinks.id].bumped_at is not None and own[kitchen.id].bumped_at is None
    assert reload(order).status == "preparing"  # the kitchen still cooks the Nasi Goreng
