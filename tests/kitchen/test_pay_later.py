"""Pay-later orders reach the kitchen unpaid: the display and the printed ticket say
so while the table's bill is not settled."""

from tests import factories as make
from tests.http_helpers import HTMX
from webapp.bills import share_payments
from webapp.kitchen import printing, stations
from webapp.models import KitchenTicket

UNPAID = "BELUM BAYAR</strong> &middot; bayar nanti"


def test_the_display_marks_a_pay_later_order_until_its_bill_is_settled(cashier_client, two_stations, menu, clock):
    kitchen, _drinks = two_stations
    bill = make.three_friends_bill(menu, now=clock())
    paid_first = make.paid_order(menu, name="Tono", lines=(("Mie Ayam", 1),), table="7")
    url = f"/kitchen/{kitchen.id}"
    page = cashier_client.get(url, headers=HTMX).get_data(as_text=True)
    assert page.count(UNPAID) == 2  # Rina's and Budi's Nasi Goreng; Sari's Es Teh is the drinks station's
    assert UNPAID not in page.split(paid_first.number)[1]
    shown = page.split('name="shown" value="')[1].split('"')[0]
    assert cashier_client.get(url, query_string={"shown": shown}, headers=HTMX).status_code == 204

    tickets = KitchenTicket.query.count()
    share_payments.take_cash_for_rest(bill, 100_000, "cashier:sari")
    assert KitchenTicket.query.count() == tickets  # paid now, and already in the kitchen
    answer = cashier_client.get(url, query_string={"shown": shown}, headers=HTMX)
    assert answer.status_code == 200 and UNPAID not in answer.get_data(as_text=True)
    assert bill.orders[0].number in answer.get_data(as_text=True)  # still to cook, now paid


def test_the_printed_ticket_of_a_pay_later_order_says_it_is_unpaid(app, two_stations, menu, printer, clock):
    kitchen, _drinks = two_stations
    stations.save_station(kitchen, kitchen.name, printer.address)
    make.pay_later()
    make.bill_order(menu, lines=(("Nasi Goreng", 1),), now=clock())
    make.paid_order(menu, lines=(("Mie Ayam", 1),), now=clock())
    tickets = KitchenTicket.query.order_by(KitchenTicket.id).all()
    assert printing.print_now([ticket.id for ticket in tickets], clock()) == 2
    on_bill, paid = printer.wait_for(2)
    assert b"A-001  Meja 4" in on_bill and b"\n\x1bE\x01BELUM BAYAR - bayar nanti\x1bE\x00\n" in on_bill
    assert b"BELUM BAYAR" not in paid
