"""The till's pages (issue 26 items 1 and 3): a cashier rings up a takeaway with options
and a note and takes cash with the change shown; the kitchen gets its tickets and the
board says who took it; a waiter adds to a table's open bill from a phone and cannot
take cash; every form refuses bad input with a message on the field at fault, never a
500; and all of it works without JavaScript as plain forms."""

from __future__ import annotations

import re

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.duitku_side import pay_on_sandbox
from tests.http_helpers import HTMX, log_in, visible_text
from tests.till_browser import TillBrowser
from webapp.bills import bill_splits
from webapp.extensions import db
from webapp.formatting import jakarta_time
from webapp.kitchen import stations
from webapp.models import KitchenTicket, Order, OrderStatus, OrderType, PaymentMethod, Role


@pytest.fixture
def groups(menu):
    """Level pedas and Tambahan on Nasi Goreng and Mie Ayam, Ukuran on Es Teh Manis."""
    return make.menu_options(menu)


@pytest.fixture
def kitchen(menu):
    """One station that cooks every category."""
    station = stations.save_station(None, "Dapur", "")
    for category in {item.category for item in menu.values()}:
        stations.assign(category, station)
    return station


def logged_in(app, username: str, role: Role = Role.CASHIER):
    make.staff_user(username, role=role)
    client = app.test_client()
    assert log_in(client, username).status_code == 303
    return client


@pytest.fixture
def cashier(app, menu):
    return TillBrowser(logged_in(app, "sari"))


def group_option(groups, *names) -> list[int]:
    return make.option_ids(groups, *names)


def test_done_when_a_cashier_rings_up_nasi_goreng_level_3_telur_es_teh_bungkus_takes_50000_and_sees_the_change(
    app, menu, groups, kitchen, cashier
):
    added = cashier.choose(menu["Nasi Goreng"], group_option(groups, "Level 3", "Telur"), note="tanpa bawang")
    assert added.status_code == 200 and added.headers["HX-Retarget"] == "#till-side"
    assert cashier.add(menu["Es Teh Manis"]).headers["HX-Retarget"] == "#till-choice"  # it has a size to choose
    cashier.choose(menu["Es Teh Manis"], group_option(groups, "Reguler"))
    text = visible_text(cashier.html)
    assert "1x Nasi Goreng Level 3, Telur" in text and 'value="tanpa bawang"' in cashier.html
    assert "Total Rp34.000" in text and "Uang pas Rp34.000" in text
    paid = cashier.pay("cash", tendered="50.000")
    assert paid.status_code == 200
    text = visible_text(paid.get_data(as_text=True))
    assert "Kembalian Rp16.000" in text and "Uang diterima Rp50.000 untuk total Rp34.000" in text
    order = db.session.scalars(db.select(Order)).one()
    assert (order.status, order.order_type, order.total, order.taken_by) == (
        OrderStatus.PAID,
        OrderType.TAKEAWAY,
        34000,
        "sari",
    )
    assert [(item.name, item.note, item.option_names) for item in order.items] == [
        ("Nasi Goreng", "tanpa bawang", ["Level 3", "Telur"]),
        ("Es Teh Manis", "", ["Reguler"]),
    ]
    assert count(KitchenTicket, order_id=order.id) == 1
    board = visible_text(cashier.client.get("/cashier").get_data(as_text=True))
    assert f"{order.number}" in board and "Dicatat oleh sari" in board
    assert "Pesanan baru" in text and "Belum ada menu" in text  # the till is ready for the next one


def test_the_till_shows_the_bill_with_service_tax_and_rounding_as_the_order_is_charged(app, menu, cashier):
    make.bill_settings(rounding_step=500)  # 10% tax, 5% service: 25.000 + 1.250 + 2.625 = 28.875 -> 29.000
    cashier.add(menu["Nasi Goreng"])
    text = visible_text(cashier.html)
    assert "Biaya layanan 5% Rp1.250" in text and "Pajak restoran (PB1) 10% Rp2.625" in text
    assert "Pembulatan Rp125" in text and "Total Rp29.000" in text
    assert cashier.pay("cash", tendered="29000").status_code == 200
    assert db.session.scalars(db.select(Order.total)).one() == 29000


def test_a_waiter_adds_to_a_tables_open_bill_from_a_phone(app, menu, kitchen):
    make.pay_later()  # 10% tax, 5% service, paid later on the table's bill
    table = make.dining_table("4")
    make.bill_order(menu, table="4", name="Rina")  # the table's bill is open already
    waiter = TillBrowser(logged_in(app, "wati", Role.WAITER))
    assert "HP wati" in waiter.html and "Tunai" not in visible_text(waiter.html)
    waiter.post("/save", order_type="dine_in", table_id=str(table.id), customer_name="Budi")
    waiter.add(menu["Mie Ayam"], note="pedas")
    text = visible_text(waiter.html)
    assert "Tagihan Meja 4 terbuka" in text and "Masuk tagihan Meja 4: Rp25.410" in text
    placed = waiter.pay("bill", total=25410)
    assert placed.status_code == 200
    order = db.session.scalars(db.select(Order).where(Order.taken_by == "wati")).one()
    assert (order.status, order.payment_method, order.customer_name) == (
        OrderStatus.ON_BILL,
        PaymentMethod.BILL,
        "Budi",
    )
    assert order.bill == make.open_bill("4") and len(order.bill.orders) == 2
    assert count(KitchenTicket, order_id=order.id) == 1  # to the kitchen at once
    text = visible_text(placed.get_data(as_text=True))
    assert "masuk tagihan Meja 4" in text and "Tagihan meja Anda" in text


def test_a_waiter_sends_a_paid_first_order_to_the_counter_and_cannot_take_cash(app, menu):
    table = make.dining_table("6")
    waiter = TillBrowser(logged_in(app, "wati", Role.WAITER))
    waiter.post("/save", order_type="dine_in", table_id=str(table.id))
    waiter.add(menu["Mie Ayam"])
    cash = waiter.pay("cash", tendered="50000")
    assert cash.status_code == 403 and "Akun pelayan tidak bisa menerima uang." in cash.get_data(as_text=True)
    assert count(Order) == 0
    assert waiter.pay("counter").status_code == 200
    order = db.session.scalars(db.select(Order)).one()
    assert (order.status, order.payment_method, order.table_label) == (OrderStatus.AWAITING_PAYMENT, "cash", "6")
    assert "Bayar tunai di kasir: A-001, Rp22.000." in visible_text(waiter.html)


def test_a_kitchen_account_cannot_ring_up(app, menu):
    client = logged_in(app, "dapur1", Role.KITCHEN)
    response = client.get("/till")
    assert response.status_code == 403 and "Akun dapur tidak bisa mencatat pesanan." in response.get_data(as_text=True)


def test_qris_from_the_till_shows_the_qr_and_follows_it_until_paid(app, menu, cashier, sandbox, live_app):
    cashier.add(menu["Nasi Goreng"])
    placed = cashier.pay("qris")
    assert placed.status_code == 200 and '<svg class="qr"' in placed.get_data(as_text=True)
    order = db.session.scalars(db.select(Order)).one()
    assert order.payment_method == PaymentMethod.QRIS and order.till_id is not None
    assert order.payments[0].events[0].actor == f"cashier:{order.taken_by}"  # asked for at the till, not by a customer
    status = f"{cashier.url}/orders/{order.public_id}/status"
    seen = re.search(r"status\?seen=([^\"&]+)", placed.get_data(as_text=True)).group(1)
    assert cashier.client.get(f"{status}?seen={seen}", headers=HTMX).status_code == 204
    pay_on_sandbox(sandbox, order.payments[0])
    answer = cashier.client.get(f"{status}?seen={seen}", headers=HTMX)
    assert answer.status_code == 286 and "lunas" in visible_text(answer.get_data(as_text=True))
    assert reload(order).status == OrderStatus.PAID
    # The folded line "Pesanan terakhir A-001 · ... · <status>" follows too.
    assert '<span id="till-latest-status" hx-swap-oob="true">dibayar</span>' in answer.get_data(as_text=True)


def test_bad_input_is_refused_with_a_message_on_the_field(app, menu, groups, cashier):
    unknown = cashier.post("/lines", item_id="999999", quantity="1")
    assert unknown.status_code == 422 and "Menu itu tidak ditemukan." in unknown.get_data(as_text=True)
    sold_out = cashier.add(menu["Rendang"])
    assert sold_out.status_code == 422 and "Maaf, Rendang sedang habis." in sold_out.get_data(as_text=True)
    rules = cashier.choose(menu["Nasi Goreng"], group_option(groups, "Telur"))  # no spice level
    assert rules.status_code == 422 and "Level pedas: pilih satu." in rules.get_data(as_text=True)
    too_many = cashier.choose(menu["Nasi Goreng"], group_option(groups, "Level 1"), quantity="100")
    assert too_many.status_code == 422 and "Jumlah harus angka 1 sampai 99." in too_many.get_data(as_text=True)
    name = cashier.post("/save", order_type="takeaway", customer_name="x" * 41)
    assert name.status_code == 422 and "Nama paling panjang 40 karakter." in name.get_data(as_text=True)
    table = cashier.post("/save", order_type="dine_in", table_id="424242")
    assert table.status_code == 422 and "Meja itu tidak ada" in table.get_data(as_text=True)
    cashier.choose(menu["Mie Ayam"], group_option(groups, "Level 1"))
    short = cashier.pay("cash", tendered="20000")
    assert (
        short.status_code == 422
        and 'id="tendered-error">Uang diterima kurang Rp2.000 dari total Rp22.000.' in short.get_data(as_text=True)
    )
    no_table = cashier.post("/save", order_type="dine_in", table_id="")
    assert no_table.status_code == 200
    refused = cashier.pay("cash", tendered="50000")
    assert refused.status_code == 422 and 'id="table_id-error">Pilih meja, atau pilih bungkus.' in refused.get_data(
        as_text=True
    )
    assert count(Order) == 0


def test_a_table_whose_bill_is_being_paid_takes_no_new_order_on_its_bill(app, menu, cashier):
    bill = make.three_friends_bill(menu)  # table 4, pay later
    bill_splits.split_evenly(bill, 2, "customer")  # the bill is being paid
    cashier.post("/save", order_type="dine_in", table_id=str(bill.table_id))
    cashier.add(menu["Es Teh Manis"])
    assert "Tagihan Meja 4 sedang dibayar: pesanan ini dibayar sekarang." in visible_text(cashier.html)
    refused = cashier.pay("bill", total=5775)
    assert refused.status_code == 422 and "sedang dibayar" in refused.get_data(as_text=True)
    assert count(Order) == 3


def test_lines_left_on_the_till_say_since_when(app, menu, cashier, clock):
    """A cashier who comes to a till holding lines nobody has touched for 10 minutes is
    told since when, before charging them to the next customer."""
    cashier.add(menu["Mie Ayam"])  # then left
    added_at, note = clock(), "Baris di bawah ada sejak"
    clock.advance(minutes=9, seconds=59)
    cashier.refresh()
    assert note not in cashier.text
    clock.advance(seconds=1)
    cashier.refresh()
    assert f"{note} {jakarta_time(added_at)} dan belum dibayar" in cashier.text
    cashier.add(menu["Es Teh Manis"])  # touched again: the lines are someone's now
    assert note not in cashier.text


def test_a_stale_or_missing_version_places_nothing(app, menu, cashier):
    cashier.add(menu["Mie Ayam"])
    missing = cashier.post("/pay/cash", tendered="50000", shown_total="22000")
    assert missing.status_code == 422 and "muat ulang" in missing.get_data(as_text=True)
    assert count(Order) == 0


def test_without_javascript_the_till_is_plain_forms(app, menu, groups, cashier):
    plain = TillBrowser(cashier.client, htmx=False)
    to_choose = plain.add(menu["Mie Ayam"])  # it has a spice level to choose: the panel's page
    assert to_choose.status_code == 303 and to_choose.location.endswith(f"/items/{menu['Mie Ayam'].id}")
    assert "Level pedas" in plain.client.get(to_choose.location).get_data(as_text=True)
    assert plain.choose(menu["Mie Ayam"], group_option(groups, "Level 2")).status_code == 303
    assert plain.choose(menu["Es Teh Manis"], group_option(groups, "Reguler")).status_code == 303
    html = plain.refresh()
    line = re.search(r'name="note-([0-9a-f]+)"', html).group(1)
    increased = plain.post(f"/lines/{line}/increase", **{f"note-{line}": "tanpa kecap"})
    assert increased.status_code == 303 and increased.location == plain.url
    found = plain.client.get(plain.url + "?q=teh").get_data(as_text=True)
    grid = found.split('id="till-side"')[0]
    assert re.search(r'<a class="till-tile" href="[^"]+" hx-get="[^"]+" hx-target="#till-choice" autofocus>', grid)
    assert "Mie Ayam" not in grid
    plain.refresh()
    paid = plain.pay("cash", quick="50000")  # 2 Mie Ayam and an Es Teh: Rp49.000
    assert paid.status_code == 303
    assert "Kembalian Rp1.000" in visible_text(plain.refresh())
    order = db.session.scalars(db.select(Order)).one()
    assert [(item.name, item.quantity, item.note) for item in order.items] == [
        ("Mie Ayam", 2, "tanpa kecap"),
        ("Es Teh Manis", 1, ""),
    ]
