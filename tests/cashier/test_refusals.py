"""A cashier's action refused because the order moved meanwhile (another cashier, the
customer, a payment) changes nothing and says why on the page the cashier lands on,
in the cashier's language."""

import html

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.http_helpers import HTMX
from webapp.extensions import db
from webapp.models import OrderStatus, OrderStatusChange, Payment
from webapp.orders import lifecycle


def post(client, url: str, **data):
    """Post a form the way the browser does (no htmx) and land where it is sent."""
    response = client.post(url, data={"csrf_token": client.csrf_token, **data})
    landed = client.get(response.location) if response.status_code in (302, 303) else response
    return response, html.unescape(landed.get_data(as_text=True))


def test_second_confirmation_of_cash_says_it_is_already_paid(cashier_client, menu):
    order = make.paid_order(menu, tendered=50000, cashier="budi")  # by the other cashier, a moment ago
    response, page = post(cashier_client, f"/cashier/orders/{order.public_id}/cash", tendered="30000")
    assert response.status_code == 303
    assert "Pesanan A-001 dibayar: tidak bisa menjadi dibayar." in page
    assert count(Payment) == 1


def test_cancelling_an_order_paid_a_moment_ago_says_so(cashier_client, menu):
    order = make.paid_order(menu, cashier="budi")
    changes = count(OrderStatusChange)
    response, page = post(cashier_client, f"/cashier/orders/{order.public_id}/cancel", reason="pelanggan pergi")
    assert response.status_code == 303
    assert "Pesanan A-001 dibayar: tidak bisa menjadi dibatalkan." in page
    assert reload(order).status == "paid" and count(OrderStatusChange) == changes


def test_cash_for_a_cancelled_order_is_refused_in_english_too(cashier_client, menu):
    order = make.order(menu)
    lifecycle.cancel_order(order, "customer")
    cashier_client.get("/lang/en")
    response, page = post(cashier_client, f"/cashier/orders/{order.public_id}/cash", quick="30000")
    assert response.status_code == 303
    assert "Order A-001 is cancelled: it cannot become paid." in page
    assert count(Payment) == 0


@pytest.mark.parametrize("form", [{"tendered": ""}, {"tendered": "dua puluh"}])
def test_a_stale_form_with_a_bad_amount_still_says_the_order_moved(cashier_client, menu, form):
    """The amount's error belongs to a form the page no longer shows."""
    order = make.paid_order(menu, cashier="budi")
    _response, page = post(cashier_client, f"/cashier/orders/{order.public_id}/cash", **form)
    assert "Pesanan A-001 dibayar: tidak bisa menjadi dibayar." in page


def test_a_stale_cancel_form_without_a_reason_says_the_order_moved(cashier_client, menu):
    order = make.paid_order(menu, cashier="budi")
    _response, page = post(cashier_client, f"/cashier/orders/{order.public_id}/cancel", reason="")
    assert "Pesanan A-001 dibayar: tidak bisa menjadi dibatalkan." in page


def test_switching_a_paid_order_to_cash_says_why_not(cashier_client, menu):
    order = make.order(menu, method="qris")
    order.status = "paid"
    db.session.commit()
    _response, page = post(cashier_client, f"/cashier/orders/{order.public_id}/switch-to-cash")
    assert "Pesanan A-001 dibayar: tidak bisa diubah ke tunai." in page
    assert reload(order).payment_method == "qris"


def test_a_refused_board_button_shows_why_on_the_board(cashier_client, menu):
    order = make.paid_order(menu)
    lifecycle.advance_order(order, OrderStatus.PREPARING, "cashier:budi")  # pressed on the other tablet
    response = cashier_client.post(
        f"/cashier/orders/{order.public_id}/advance",
        headers=HTMX,
        data={"csrf_token": cashier_client.csrf_token, "to": "preparing"},
    )
    assert response.status_code == 409  # swapped in all the same (base.html's htmx config)
    answer = html.unescape(response.get_data(as_text=True))
    message = answer.split('id="board-message"')[1]
    assert 'role="alert"' in message and "Pesanan A-001 sedang dimasak: tidak bisa menjadi sedang dimasak." in message
    assert reload(order).status == "preparing"


def test_htmx_is_told_to_swap_a_refusal(cashier_client):
    page = cashier_client.get("/cashier").get_data(as_text=True)
    assert '{"code": "409", "swap": true}' in html.unescape(page)
