"""Pay-later orders on the cashier's board and order page: prepared like paid ones,
marked with their table's bill and linking it; their cash is taken on the bill, and
an open dine-in order can move to another table from its page."""

import re

import pytest

from tests import factories as make
from tests.cashier.tablet import fresh
from tests.db_helpers import count, reload
from tests.http_helpers import visible_text
from webapp.bills import share_payments
from webapp.models import OrderStatus, Payment
from webapp.orders import lifecycle
from webapp.orders.paying import confirm_cash
from webapp.state import IllegalTransition


@pytest.fixture
def bill(app, menu, clock):
    return make.three_friends_bill(menu, now=clock())


def text(response) -> str:
    return visible_text(response.get_data(as_text=True))


def card(page: str, dom_id: str) -> str:
    return page.split(f'<article id="{dom_id}"')[1].split("</article>")[0]


def test_a_pay_later_order_is_to_prepare_marked_with_its_bill(cashier_client, bill):
    tablet = fresh(cashier_client)
    assert tablet.cards["paid"] == ["o1-paid", "o2-paid", "o3-paid"]
    page = cashier_client.get("/cashier").get_data(as_text=True)
    rina = card(page, "o1-paid")
    assert f'<a href="/cashier/bills/{bill.public_id}">bayar nanti · Meja 4</a>' in rina
    assert "Mulai masak" in rina  # the kitchen's first step, as for a paid order


def test_the_kitchen_steps_take_a_pay_later_order_to_completed(cashier_client, bill):
    order = bill.orders[0]
    for step in (OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED):
        response = cashier_client.post(
            f"/cashier/orders/{order.public_id}/advance", data={"csrf_token": cashier_client.csrf_token, "to": step}
        )
        assert response.status_code == 303
        assert reload(order).status == step


def test_the_card_says_when_its_bill_is_settled(cashier_client, bill):
    tablet = fresh(cashier_client)
    share_payments.take_cash_for_rest(bill, 100_000, "cashier:budi")
    answer = tablet.poll(cashier_client).get_data(as_text=True)
    assert answer.count("<article") == 3 and "bayar nanti · Meja 4</a> &middot; lunas" in answer


def test_the_order_page_of_a_bill_order_points_to_its_bill(cashier_client, bill):
    order = bill.orders[0]
    page = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert "Bayar nanti" in page and "Di tagihan Meja 4: terbuka" in page
    assert f'href="/cashier/bills/{bill.public_id}">Lihat tagihan Meja 4</a>' in page
    assert "cash-form" not in page and "Ubah ke tunai" not in page and "Struk" not in page


def test_cash_for_a_bill_order_is_refused_with_where_to_take_it(cashier_client, bill):
    order = bill.orders[0]
    with pytest.raises(IllegalTransition, match="tagihan Meja 4: terima tunainya di halaman tagihan"):
        confirm_cash(order, 50_000, "cashier:sari")
    lifecycle.advance_order(order, OrderStatus.PREPARING, "cashier:sari")
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash", data={"csrf_token": cashier_client.csrf_token, "tendered": "50000"}
    )
    landed = text(cashier_client.get(response.location))
    assert "Pesanan A-001 dibayar nanti lewat tagihan Meja 4: terima tunainya di halaman tagihan." in landed
    assert count(Payment) == 0


def test_an_open_order_moves_to_another_table_from_its_page(cashier_client, menu, clock):
    order = make.order(menu, table="5", now=clock())
    eight = make.dining_table("8")
    page = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert f'<option value="{eight.id}">8</option>' in page
    assert f'<option value="{order.table_id}">5</option>' not in page  # its own table
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/move", data={"csrf_token": cashier_client.csrf_token, "table": eight.id}
    )
    landed = text(cashier_client.get(response.location))
    assert "A-001 pindah ke Meja 8." in landed and "sari · pindah dari Meja 5 ke Meja 8" in landed
    assert reload(order).table_label == "8"


@pytest.mark.parametrize("table", ["", "nope", "99999999999999999999"])
def test_the_order_move_form_is_validated(cashier_client, menu, table):
    order = make.order(menu)
    make.dining_table("8")
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/move", data={"csrf_token": cashier_client.csrf_token, "table": table}
    )
    assert response.status_code == 422 and "Pilih meja tujuan dari daftar." in response.get_data(as_text=True)
    assert re.search(r"<details class=\"card-form\" open>\s*<summary>Pindah meja", response.get_data(as_text=True))


def test_a_takeaway_or_finished_order_cannot_move(cashier_client, menu):
    make.dining_table("8")
    takeaway = make.order(menu, table=None)
    assert "Pindah meja" not in cashier_client.get(f"/cashier/orders/{takeaway.public_id}").get_data(as_text=True)
    response = cashier_client.post(
        f"/cashier/orders/{takeaway.public_id}/move", data={"csrf_token": cashier_client.csrf_token, "table": ""}
    )
    assert "Pesanan A-001 tidak bisa pindah meja." in text(cashier_client.get(response.location))
