"""Kitchen tickets on a network printer: printed when the order is paid, queued while
the printer is off, retried, and reprinted by the cashier."""

from datetime import timedelta

from tests import factories as make
from tests.db_helpers import end_transaction, reload
from tests.duitku_side import callback_form
from webapp.extensions import db
from webapp.kitchen import printing, stations
from webapp.models import KitchenTicket, PrintState
from webapp.printing import escpos


def with_printer(station, printer):
    return stations.save_station(station, station.name, printer.address)


def test_a_paid_order_is_printed_at_its_station(cashier_client, two_stations, menu, printer):
    kitchen, _drinks = two_stations
    with_printer(kitchen, printer)
    order = make.order(menu, lines=(("Nasi Goreng", 2, "tidak pedas"), ("Es Teh Manis", 1)), table="7")
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash", data={"csrf_token": cashier_client.csrf_token, "tendered": "60000"}
    )
    assert response.status_code == 303
    (sent,) = printer.wait_for(1)
    assert sent.startswith(b"\x1b@") and sent.endswith(b"\x1dV\x42\x00")  # reset ... cut
    words = sent.replace(b"\x1d!\x11", b"").replace(b"\x1d!\x00", b"").replace(b"\x1bE\x01", b"")
    words = words.replace(b"\x1bE\x00", b"").decode("ascii")
    assert "DAPUR" in words and f"{order.number}  Meja 7" in words
    assert "2x Nasi Goreng" in words and "(tidak pedas)" in words
    assert "Es Teh" not in words  # the drinks station's item
    ticket = KitchenTicket.query.filter_by(station_id=kitchen.id).one()
    assert ticket.print_state == PrintState.PRINTED


def test_printer_off_queues_retries_and_prints_when_it_is_back(cashier_client, two_stations, menu, printer, clock):
    kitchen, _drinks = two_stations
    with_printer(kitchen, printer)
    printer.stop()  # off: the connection is refused
    order = make.order(menu, lines=(("Mie Ayam", 1),))
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash",
        data={"csrf_token": cashier_client.csrf_token, "tendered": "22000"},
        follow_redirects=True,
    )
    assert reload(order).status == "paid"  # the order did not wait for the printer
    page = response.get_data(as_text=True)
    assert "Tiket Dapur belum dicetak." in page and "Cetak ulang" in page
    ticket = KitchenTicket.query.one()
    assert (ticket.print_state, ticket.print_attempts) == (PrintState.QUEUED, 1)
    assert printing.retry_due(clock()) == 0  # not due yet
    clock.advance(seconds=20)
    assert printing.retry_due(clock()) == 1  # due, still off
    assert reload(ticket).print_attempts == 2 and reload(ticket).print_due_at == clock() + timedelta(seconds=30)
    printer.start()  # back on the same port
    clock.advance(minutes=1)
    assert printing.retry_due(clock()) == 1
    (sent,) = printer.wait_for(1)
    assert b"1x Mie Ayam" in sent
    assert reload(ticket).print_state == PrintState.PRINTED
    assert printing.retry_due(clock() + timedelta(hours=1)) == 0
    page = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert "belum dicetak" not in page


def test_the_cashier_reprints_a_ticket(cashier_client, two_stations, menu, printer):
    kitchen, _drinks = two_stations
    with_printer(kitchen, printer)
    printer.stop()
    order = make.paid_order(menu, lines=(("Nasi Goreng", 1),))
    ticket = KitchenTicket.query.one()
    assert ticket.print_state == PrintState.QUEUED  # paid outside a request: the worker's to print
    url = f"/kitchen/tickets/{ticket.id}/reprint"
    still_off = cashier_client.post(url, data={"csrf_token": cashier_client.csrf_token}, follow_redirects=True)
    assert "Printer Dapur belum bisa dihubungi" in still_off.get_data(as_text=True)
    printer.start()
    response = cashier_client.post(url, data={"csrf_token": cashier_client.csrf_token}, follow_redirects=True)
    assert "Tiket Dapur dicetak." in response.get_data(as_text=True)
    assert b"1x Nasi Goreng" in printer.wait_for(1)[0]
    assert reload(ticket).print_state == PrintState.PRINTED
    assert order.id == ticket.order_id


def test_a_station_without_printer_queues_nothing(two_stations, menu, clock):
    make.paid_order(menu)
    assert {ticket.print_state for ticket in KitchenTicket.query} == {PrintState.NOT_NEEDED}
    assert printing.retry_due(clock() + timedelta(hours=1)) == 0


def test_the_printed_ticket_lists_each_line_s_options(cashier_client, two_stations, menu, printer):
    kitchen, _drinks = two_stations
    with_printer(kitchen, printer)
    groups = make.menu_options(menu)
    level_3, egg = make.option_ids(groups, "Level 3", "Telur")
    order = make.order(menu, lines=(("Nasi Goreng", 1, "", {level_3: 0, egg: 4000}),))
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash", data={"csrf_token": cashier_client.csrf_token, "tendered": "30000"}
    )
    assert response.status_code == 303
    (sent,) = printer.wait_for(1)
    assert b"1x Nasi Goreng" in sent and b"   + Level 3\n" in sent and b"   + Telur\n" in sent


def test_a_qris_callback_prints_the_tickets_it_makes(app, client, two_stations, menu, printer):
    """On PostgreSQL the callback writes the tickets in one statement of its own; they
    are printed after the commit as any others (on SQLite, through the flush)."""
    kitchen, drinks = two_stations
    with_printer(kitchen, printer)
    app.config["DUITKU_CONFIRM_CALLBACKS"] = False
    lines = (("Nasi Goreng", 2), ("Es Teh Manis", 1), ("Mie Ayam", 1))
    payment = make.qris_payment(menu, lines=lines)
    end_transaction()
    assert client.post("/api/v1/webhooks/duitku", data=callback_form(payment)).status_code == 200
    (sent,) = printer.wait_for(1)
    assert "2x Nasi Goreng" in sent.decode("ascii", "replace") and "Es Teh" not in sent.decode("ascii", "replace")
    order = reload(payment).order
    items = {item.name: item.id for item in order.items}
    made = {
        ticket.station_id: (ticket.item_id_list, ticket.print_state)
        for ticket in KitchenTicket.query.filter_by(order_id=order.id)
    }
    assert made == {
        kitchen.id: (sorted([items["Nasi Goreng"], items["Mie Ayam"]]), PrintState.PRINTED),
        drinks.id: ([items["Es Teh Manis"]], PrintState.NOT_NEEDED),
    }


def test_no_transaction_is_held_while_the_printer_answers(cashier_client, two_stations, menu, printer, monkeypatch):
    """A printer that is off takes a couple of seconds to refuse; a transaction held
    through that would hold a pooled connection (and a read on SQLite) as long."""
    kitchen, _drinks = two_stations
    with_printer(kitchen, printer)
    held = []
    send = escpos.send
    monkeypatch.setattr(escpos, "send", lambda *args: held.append(db.session().in_transaction()) or send(*args))
    order = make.order(menu, lines=(("Nasi Goreng", 1),))
    cash = {"csrf_token": cashier_client.csrf_token, "tendered": "30000"}
    assert cashier_client.post(f"/cashier/orders/{order.public_id}/cash", data=cash).status_code == 303
    assert held == [False]
    assert b"1x Nasi Goreng" in printer.wait_for(1)[0]
