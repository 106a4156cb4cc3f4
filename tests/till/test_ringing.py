"""Ringing up at a till, as a domain (webapp/till/ringing.py): the draft on the till's row,
its version raised by every change, no line lost when two devices change one till at
once, and the draft placed as one order the way a customer's order is placed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests import factories as make
from tests.db_helpers import count, end_transaction, reload
from webapp.extensions import db
from webapp.kitchen import stations
from webapp.models import BillEventKind, KitchenTicket, Order, OrderStatus, OrderType, PaymentMethod, TableBill
from webapp.orders.cart import CartError
from webapp.till import ringing, tills
from webapp.till.ringing import Place, Sale, TillError


@pytest.fixture
def till(app, menu):
    return tills.counter_tills()[0]


def items(till) -> list[tuple[int, int, str]]:
    """The draft's lines: (item id, quantity, note)."""
    draft = ringing.read_draft(till)
    db.session.rollback()
    return [(line["item"], line["qty"], line["note"]) for line in draft.lines]


def test_one_till_exists_by_default_and_a_waiter_gets_a_phone_of_their_own(app):
    assert [till.name for till in tills.counter_tills()] == ["Kasir 1"]
    assert [till.name for till in tills.counter_tills()] == ["Kasir 1"]  # made once
    phone = tills.phone_till("wati")
    assert phone.name == "HP wati" and tills.is_phone(phone) and tills.phone_till("wati").id == phone.id
    assert [till.name for till in tills.counter_tills()] == ["Kasir 1"]
    # A waiter serves tables: the phone starts on a table, the counter on takeaway.
    assert phone.order_type == OrderType.DINE_IN and tills.counter_tills()[0].order_type == OrderType.TAKEAWAY


def test_every_change_of_the_draft_raises_the_version_and_nothing_else_does(till, menu):
    nasi, teh = menu["Nasi Goreng"].id, menu["Es Teh Manis"].id
    ringing.change(till, lambda cart: cart.add(nasi, 1, "tidak pedas"))
    assert reload(till).version == 1
    ringing.change(till, lambda cart: cart.add(teh, 2))
    ringing.change(till, place=Place(OrderType.DINE_IN, make.dining_table("4").id, "Rina"))
    assert reload(till).version == 3
    ringing.change(till, lambda cart: cart.set_notes({}))  # changes nothing
    ringing.change(till, place=Place(OrderType.DINE_IN, make.dining_table("4").id, "Rina"))
    assert reload(till).version == 3
    assert items(till) == [(nasi, 1, "tidak pedas"), (teh, 2, "")]
    assert (till.order_type, till.customer_name) == (OrderType.DINE_IN, "Rina")


def test_a_refused_change_changes_nothing(till, menu):
    ringing.change(till, lambda cart: cart.add(menu["Nasi Goreng"].id, 99))
    with pytest.raises(CartError, match="Jumlah harus antara 1 dan 99"):
        ringing.change(till, lambda cart: cart.add(menu["Nasi Goreng"].id, 1))
    assert reload(till).version == 1 and items(till) == [(menu["Nasi Goreng"].id, 99, "")]


def test_a_change_that_read_the_till_before_another_device_wrote_is_made_on_top_of_it(till, menu, monkeypatch):
    """Two devices on one till: the second read the draft (empty, version 0) before the
    first added Nasi Goreng. Its write matches no row; it reads again and adds Es Teh to
    what is there now, instead of writing back its empty draft plus Es Teh."""
    stale = ringing.read_draft(till)
    db.session.rollback()
    ringing.change(till, lambda cart: cart.add(menu["Nasi Goreng"].id, 1))
    reads = []
    real_read = ringing.read_draft

    def read_stale_first(till):
        reads.append(1)
        return stale if len(reads) == 1 else real_read(till)

    monkeypatch.setattr(ringing, "read_draft", read_stale_first)
    ringing.change(till, lambda cart: cart.add(menu["Es Teh Manis"].id, 1))
    assert len(reads) == 2
    assert items(till) == [(menu["Nasi Goreng"].id, 1, ""), (menu["Es Teh Manis"].id, 1, "")]
    assert reload(till).version == 2


def test_two_devices_adding_at_the_same_moment_lose_no_line(app, till, menu, database_uri):
    """A real race (PostgreSQL runs the two transactions side by side; SQLite one after
    the other): both read version 0, the second's UPDATE waits for the first's commit,
    matches no row, and is made again on top of it."""
    ids = [menu["Nasi Goreng"].id, menu["Es Teh Manis"].id, menu["Mie Ayam"].id]
    end_transaction()
    start = threading.Barrier(len(ids))

    def add(item_id: int) -> None:
        with app.app_context():
            try:
                start.wait(timeout=30)
                ringing.change(tills.counter_tills()[0], lambda cart: cart.add(item_id, 1))
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(ids)) as threads:
        list(threads.map(add, ids))
    assert sorted(item for item, _qty, _note in items(till)) == sorted(ids)
    assert reload(till).version == len(ids)


def one_kitchen(menu) -> None:
    """A kitchen station that cooks every category of the menu."""
    station = stations.save_station(None, "Dapur", "")
    for category in {item.category for item in menu.values()}:
        stations.assign(category, station)


def ring_up(till, menu, *lines, place: Place | None = None) -> None:
    for name, quantity, *note in lines:
        ringing.change(
            till, lambda cart, name=name, quantity=quantity, note=note: cart.add(menu[name].id, quantity, *note)
        )
    if place is not None:
        ringing.change(till, place=place)


def sale(till, method=PaymentMethod.CASH, total=None) -> Sale:
    return Sale(method, reload(till).version, total, "sari")


def test_a_cash_sale_is_placed_paid_with_the_change_and_names_who_took_it_and_where(till, menu):
    ring_up(till, menu, ("Nasi Goreng", 1, "tidak pedas"), ("Es Teh Manis", 2))
    version = reload(till).version
    order = ringing.charge_cash(till, sale(till, total=35000), 50000)
    assert (order.status, order.total, order.taken_by, order.till_id) == (OrderStatus.PAID, 35000, "sari", till.id)
    assert order.order_type == OrderType.TAKEAWAY and order.history[0].actor == "cashier:sari"
    assert [(item.name, item.quantity, item.note) for item in order.items] == [
        ("Nasi Goreng", 1, "tidak pedas"),
        ("Es Teh Manis", 2, ""),
    ]
    assert order.payments[0].events[-1].note_params == {"tendered": 50000, "change": 15000}
    assert reload(till).draft is None and till.version == version + 1  # placing raised it too


def test_the_same_sale_pressed_twice_places_one_order(till, menu):
    ring_up(till, menu, ("Nasi Goreng", 1))
    pressed = sale(till, total=25000)
    first = ringing.charge_cash(till, pressed, 25000)
    again = ringing.charge_cash(till, pressed, 25000)
    assert again.id == first.id and count(Order) == 1 and again.status == OrderStatus.PAID


def test_a_total_that_changed_since_the_till_showed_it_is_not_placed(till, menu):
    ring_up(till, menu, ("Nasi Goreng", 1))
    make.bill_settings()  # 10% tax and 5% service from now on: Rp28.875
    with pytest.raises(TillError, match=r"Rp28\.875"):
        ringing.charge_cash(till, sale(till, total=25000), 50000)
    assert count(Order) == 0 and len(items(till)) == 1


def test_a_draft_changed_by_another_device_meanwhile_is_not_placed(till, menu, monkeypatch):
    ring_up(till, menu, ("Nasi Goreng", 1))
    stale = ringing.read_draft(till)
    db.session.rollback()
    ring_up(till, menu, ("Es Teh Manis", 1))  # the other device, after this one read
    monkeypatch.setattr(ringing, "read_draft", lambda till: stale)
    with pytest.raises(TillError, match="diubah dari perangkat lain"):
        ringing.place_draft(till, sale(till, total=25000))
    monkeypatch.undo()
    assert count(Order) == 0 and len(items(till)) == 2


def test_a_table_order_needs_an_active_table(till, menu):
    ring_up(till, menu, ("Nasi Goreng", 1), place=Place(OrderType.DINE_IN, None))
    with pytest.raises(TillError) as refused:
        ringing.place_draft(till, sale(till, total=25000))
    assert refused.value.field == "table_id" and count(Order) == 0


def test_pay_later_puts_the_order_on_the_tables_bill_unrounded_and_to_the_kitchen_at_once(till, menu):
    make.pay_later(rounding_step=1000)  # 10% tax, 5% service, rounded to Rp1.000 when paid
    one_kitchen(menu)
    table = make.dining_table("4")
    ring_up(till, menu, ("Nasi Goreng", 1), place=Place(OrderType.DINE_IN, table.id))
    assert ringing.pays_later_at(ringing.read_draft(till).place) == table
    order = ringing.place_draft(till, sale(till, PaymentMethod.BILL, total=28875))
    assert (order.status, order.total, order.bill_rounding) == (OrderStatus.ON_BILL, 28875, 0)
    assert order.bill is not None and order.bill.table_id == table.id and order.taken_by == "sari"
    # The bill's history credits who rang it up with opening it and adding the order (not "Pelanggan").
    assert [(event.kind, event.actor) for event in order.bill.events] == [
        (BillEventKind.OPENED, "cashier:sari"),
        (BillEventKind.ORDER_ADDED, "cashier:sari"),
    ]
    assert count(KitchenTicket, order_id=order.id) == 1


def test_pay_later_is_refused_where_it_is_not_allowed(till, menu):
    ring_up(till, menu, ("Nasi Goreng", 1))
    with pytest.raises(TillError) as takeaway:
        ringing.place_draft(till, sale(till, PaymentMethod.BILL, total=25000))
    assert takeaway.value.field == "order_type"
    ringing.change(till, place=Place(OrderType.DINE_IN, make.dining_table("4").id))
    with pytest.raises(TillError, match="Bayar nanti tidak dipakai"):  # the restaurant pays first
        ringing.place_draft(till, sale(till, PaymentMethod.BILL, total=25000))
    assert count(Order) == 0 and count(TableBill) == 0
