"""Cash needs an open shift at its drawer: on every page that takes cash (the board's
order page, a table bill's share and its rest, the till) cash with the drawer closed is
refused on the form, saying so and linking to the drawer's page to open a shift (422,
never a 500), and nothing is taken: the order or the bill is as it was."""

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.http_helpers import log_in, visible_text
from tests.till_browser import TillBrowser
from webapp.bills import bill_splits
from webapp.models import BillStatus, CashMovement, Order, OrderStatus, Payment, ShareStatus
from webapp.shifts import drawer
from webapp.till import tills

MESSAGE = "Belum ada shift terbuka di Kasir 1: buka shift dulu di Laci kas."


@pytest.fixture
def closed_drawer(app):
    """Kasir 1's shift (the one every test starts with) closed: its public id."""
    return make.close_drawer().public_id


def refused_with_a_link(response, till_id: str) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 422, response.status_code
    assert MESSAGE in visible_text(page)
    assert f'href="/drawer/{till_id}">Buka shift di Laci kas</a>' in page
    return page


def post(client, path: str, **data):
    return client.post(path, data={"csrf_token": client.csrf_token, **data})


def test_the_boards_cash_is_refused_on_its_form(cashier_client, menu, closed_drawer):
    order = make.order(menu)
    page = refused_with_a_link(
        post(cashier_client, f"/cashier/orders/{order.public_id}/cash", tendered="50000"), closed_drawer
    )
    assert 'aria-invalid="true"' in page  # on the amount field
    assert reload(order).status == OrderStatus.AWAITING_PAYMENT and count(Payment) == 0


@pytest.mark.no_till
def test_with_no_till_yet_the_refusal_links_to_the_drawer_that_makes_kasir_1(cashier_client, menu):
    """As the demo of `make run` starts: phone orders, and no till made yet."""
    order = make.order(menu)
    answer = post(cashier_client, f"/cashier/orders/{order.public_id}/cash", tendered="50000")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Belum ada shift terbuka: buka shift dulu di Laci kas." in visible_text(page)
    assert 'href="/drawer">Buka shift di Laci kas</a>' in page
    drawer_page = cashier_client.get("/drawer", follow_redirects=True)
    assert drawer_page.status_code == 200 and "Kasir 1" in visible_text(drawer_page.get_data(as_text=True))


def test_a_shares_cash_is_refused_and_the_share_stays_open(cashier_client, menu, closed_drawer):
    bill = make.three_friends_bill(menu)
    first, _second = bill_splits.split_evenly(bill, 2, "customer")
    path = f"/cashier/bills/{bill.public_id}/shares/1/cash"
    refused_with_a_link(post(cashier_client, path, **{"share-1-tendered": "50000"}), closed_drawer)
    assert reload(first).status == ShareStatus.OPEN and count(Payment) == 0


def test_the_rest_of_a_bill_in_cash_is_refused_and_the_bill_stays_as_it_was(cashier_client, menu, closed_drawer):
    bill = make.three_friends_bill(menu)
    path = f"/cashier/bills/{bill.public_id}/cash"
    refused_with_a_link(post(cashier_client, path, **{"rest-tendered": "100000"}), closed_drawer)
    bill = reload(bill)
    assert bill.status == BillStatus.OPEN and bill.shares == [] and count(Payment) == 0


def test_the_tills_cash_is_refused_before_the_order_is_placed(app, menu, staff, closed_drawer):
    client = app.test_client()
    log_in(client, "sari")
    till = TillBrowser(client)
    assert "Belum ada shift terbuka: uang tunai belum bisa diterima." in visible_text(till.html)
    till.add(menu["Nasi Goreng"])
    page = refused_with_a_link(till.pay("cash", tendered="50000"), closed_drawer)
    assert "Nasi Goreng" in visible_text(page)  # still being rung up
    assert count(Order) == 0 and count(Payment) == 0 and count(CashMovement) == 0


def test_with_the_drawer_open_again_the_same_cash_is_taken(cashier_client, menu, closed_drawer):
    order = make.order(menu)
    post(cashier_client, f"/cashier/orders/{order.public_id}/cash", tendered="50000")
    make.open_drawer(100_000)
    taken = post(cashier_client, f"/cashier/orders/{order.public_id}/cash", tendered="50000")
    assert taken.status_code == 303 and reload(order).status == OrderStatus.PAID
    assert [movement.amount for movement in drawer.open_shift_of(tills.counter_tills()[0]).movements] == [30_000]
