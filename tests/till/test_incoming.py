"""The till's "Pesanan yang masuk" strip (issue 26 item 5): an order that came in to be
prepared (a customer's, paid by QRIS or put on the table's bill; a waiter's from their
phone) shows on the till, each with the key that makes it announce itself; one rung up
at this till, or not paid yet, does not. The strip's poll answers 204 from one query
while nothing changed."""

from __future__ import annotations

import re

import pytest

from tests import factories as make
from tests.db_helpers import end_transaction, postgresql_round_trips, statements
from tests.duitku_side import pay_on_sandbox
from tests.http_helpers import HTMX, visible_text
from tests.till.test_till_pages import logged_in
from tests.till_browser import TillBrowser
from webapp.cashier.live_board import TO_PREPARE, columns_of
from webapp.extensions import db
from webapp.models import Order, OrderStatus, PaymentMethod, Role

STRIP = re.compile(r'<div id="till-incoming".*?\n</div>', re.S)
SEEN = re.compile(r'/incoming\?seen=([0-9a-f]+)"')


def strip_of(html: str) -> str:
    found = STRIP.search(html)
    assert found, "no strip on the page"
    return found.group(0)


def shown_numbers(html: str) -> list[str]:
    return re.findall(r'class="till-incoming-number">([^<]+)<', strip_of(html))


def poll(till: TillBrowser, seen: str):
    return till.client.get(f"{till.url}/incoming?seen={seen}", headers=HTMX)


@pytest.fixture
def kasir(app, menu):
    return TillBrowser(logged_in(app, "sari"))


def test_an_order_a_customer_paid_comes_in_and_one_rung_up_here_does_not(app, menu, kasir, sandbox, live_app):
    kasir.add(menu["Mie Ayam"])
    assert kasir.pay("cash", tendered="50000").status_code == 200
    rung_here = db.session.scalars(db.select(Order)).one()
    payment = make.qris_payment(menu, table="7", name="Gita")
    waiting = make.order(menu, name="Hana")  # cash at the counter, not taken yet
    assert shown_numbers(kasir.refresh()) == []
    assert "Belum ada pesanan masuk." in visible_text(strip_of(kasir.html))

    pay_on_sandbox(sandbox, payment)  # the customer pays the QR from their phone
    customer = db.session.get(Order, payment.order_id)
    assert customer.status == OrderStatus.PAID
    html = strip_of(kasir.refresh())
    assert shown_numbers(kasir.html) == [customer.number]
    assert f'data-announce="o{customer.daily_seq}"' in html
    assert f'href="/cashier/orders/{customer.public_id}"' in html
    assert "Meja 7 Rp50.000" in visible_text(html)
    assert rung_here.number not in html and waiting.number not in html
    assert 'id="sound-switch"' in kasir.html  # the switch, hidden until the script finds Web Audio


def test_pay_later_orders_come_in_and_a_waiter_sees_them_without_the_cashiers_link(app, menu, kasir):
    make.pay_later()
    table = make.dining_table("4")
    customer = make.bill_order(menu, table="4", name="Rina")  # from the table's QR, to pay later
    waiter = TillBrowser(logged_in(app, "wati", Role.WAITER))
    html = strip_of(waiter.html)
    assert shown_numbers(waiter.html) == [customer.number]
    assert "bayar nanti · Meja 4" in visible_text(html) and "/cashier/orders/" not in html

    waiter.post("/save", order_type="dine_in", table_id=str(table.id), customer_name="Budi")
    waiter.add(menu["Mie Ayam"])
    assert waiter.pay("bill", total=25410).status_code == 200
    from_phone = db.session.scalars(db.select(Order).where(Order.taken_by == "wati")).one()
    assert shown_numbers(waiter.refresh()) == [customer.number]  # rung up on this phone: not in
    assert shown_numbers(kasir.refresh()) == [from_phone.number, customer.number]  # the counter hears of both


def test_the_newest_few_come_first_by_when_they_came_in(app, menu, kasir, sandbox, live_app):
    payment = make.qris_payment(menu, table="2", name="Adi")  # placed first, paid last
    others = [make.paid_order(menu, table=label, name="Budi").number for label in ("3", "4", "5")]
    pay_on_sandbox(sandbox, payment)
    first = db.session.get(Order, payment.order_id)
    assert shown_numbers(kasir.refresh()) == [first.number, others[2], others[1]]
    more = strip_of(kasir.html)
    assert "+1 lagi" in visible_text(more) and 'href="/cashier"' in more


def test_the_poll_answers_204_from_one_query_until_an_order_comes_in(app, menu, kasir):
    make.paid_order(menu, table="3")
    seen = SEEN.search(kasir.refresh()).group(1)
    end_transaction()
    with statements() as seen_statements:
        assert poll(kasir, seen).status_code == 204
    strip_reads = [text for text in seen_statements if not re.search(r'\bFROM "?user"?\s', text)]
    assert len(seen_statements) == 2 and len(strip_reads) == 1  # the login's read of the staff member, and the strip's
    if db.engine.dialect.name == "postgresql":
        with postgresql_round_trips() as round_trips:
            assert poll(kasir, seen).status_code == 204
        assert round_trips == ["BEGIN", "SELECT", "SELECT"]

    kasir.add(menu["Mie Ayam"])
    assert kasir.pay("cash", tendered="50000").status_code == 200
    assert poll(kasir, seen).status_code == 204  # rung up here: nothing came in
    newest = make.order(menu, method=PaymentMethod.QRIS, table=None, name="Citra")
    assert poll(kasir, seen).status_code == 204  # its QR not paid yet
    make.paid_order(menu, table=None, name="Dewi")
    answer = poll(kasir, seen)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and SEEN.search(text).group(1) != seen
    assert "Bungkus" in visible_text(text) and newest.number not in text
    assert kasir.client.get(f"{kasir.url}/incoming?seen={seen}").status_code == 303  # without htmx: the till


def test_the_statuses_read_are_those_of_the_boards_column_to_prepare():
    assert {status for status in OrderStatus if "paid" in columns_of(status, "qris", False)} == set(TO_PREPARE)
