"""Who may order onto a table's bill: a phone seated there by a current scan of its QR,
for that sitting only. A table picked from checkout's list pays first; a rotated code,
a settled or closed bill, or the cashier clearing the table unseats the phones; an
order the cashier moves to another table takes its phone with it."""

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.http_helpers import add_to_cart, checkout_form, csrf_token_from
from webapp.bills import bill_closing, share_payments
from webapp.extensions import db
from webapp.models import CloseReason, Order, OrderStatus, OrderType, PaymentMethod, TableBill
from webapp.orders import lifecycle
from webapp.orders.cart import Cart, price_cart
from webapp.orders.paying import confirm_cash
from webapp.orders.placing import CheckoutError, CustomerDetails, place_order
from webapp.tables import clearing, registry


@pytest.fixture
def tables(app, menu):
    make.pay_later()
    return make.dining_table("4"), make.dining_table("5")


def phone_at(app, table):
    """A phone that scanned `table`'s QR (None: one that never scanned any)."""
    client = app.test_client()
    if table is not None:
        assert client.get(f"/t/{table.token}").status_code == 303
    client.csrf = csrf_token_from(client.get("/").get_data(as_text=True))
    return client


def order_from(client, menu, **fields):
    add_to_cart(client, client.csrf, menu["Nasi Goreng"].id)
    form = checkout_form(client) | {"customer_name": "Rina", "order_type": "dine_in", "payment_method": ""}
    return client.post("/checkout", data=form | fields)


def placed(response) -> Order:
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.query(Order).filter_by(public_id=response.location.rsplit("/", 1)[1]).one()


def test_a_table_picked_from_the_list_is_paid_first_never_put_on_its_bill(app, menu, tables):
    at_home = phone_at(app, None)
    add_to_cart(at_home, at_home.csrf, menu["Nasi Goreng"].id)
    page = at_home.get("/checkout").get_data(as_text=True)
    assert 'name="table_id"' in page and "Dari daftar ini, pesanan dibayar sekarang" in page
    assert "Bayar nanti sebelum pulang" not in page
    chosen = {"table_id": str(tables[0].id)}
    refused = order_from(at_home, menu, **chosen)
    assert refused.status_code == 422 and "Pilih cara bayar" in refused.get_data(as_text=True)
    order = placed(order_from(at_home, menu, payment_method="cash", **chosen))
    assert (order.status, order.payment_method, order.bill_id) == (
        OrderStatus.AWAITING_PAYMENT,
        PaymentMethod.CASH,
        None,
    )
    assert count(TableBill) == 0


def test_the_domain_refuses_a_pay_later_order_not_from_a_seated_phone(app, menu, tables):
    cart = Cart({})
    cart.add(menu["Nasi Goreng"].id, 1)
    customer = CustomerDetails("Rina", "", PaymentMethod.BILL, OrderType.DINE_IN, tables[0])
    with pytest.raises(CheckoutError, match="memindai kode QR di meja ini"):
        place_order(price_cart(cart), customer)
    assert count(Order) == 0


def test_a_rotated_code_unseats_the_phones_that_scanned_the_old_sticker(app, menu, tables):
    phone = phone_at(app, tables[0])
    assert "Meja 4" in phone.get("/").get_data(as_text=True)
    registry.rotate_token(tables[0])
    assert "Meja 4" not in phone.get("/").get_data(as_text=True)
    response = order_from(phone, menu)
    assert response.status_code == 422 and count(Order) == 0  # no table to eat in: the list or takeaway
    placed(order_from(phone_at(app, reload(tables[0])), menu))  # the new sticker seats a phone


def test_a_phone_of_an_earlier_sitting_never_sees_the_next_guests_bill(app, menu, tables, clock):
    diner = phone_at(app, tables[0])
    idle = phone_at(app, tables[0])  # scanned, never ordered
    first = placed(order_from(diner, menu))
    assert diner.get("/table/bill").status_code == 303
    clock.advance(minutes=50)
    share_payments.take_cash_for_rest(reload(first).bill, 50_000, "cashier:sari", clock())
    clock.advance(minutes=10)
    next_guest = phone_at(app, tables[0])
    second = placed(order_from(next_guest, menu, customer_name="Tamu baru"))
    assert reload(second).bill_id != reload(first).bill_id
    assert next_guest.get("/table/bill").location.endswith(f"/bills/{reload(second).bill.public_id}")
    for earlier in (diner, idle):
        assert earlier.get("/table/bill").status_code == 404
        assert "Meja 4" not in earlier.get("/").get_data(as_text=True)
        assert order_from(earlier, menu).status_code == 422
    assert count(Order, bill_id=reload(second).bill_id) == 1


def test_a_bill_closed_by_the_cashier_ends_the_sitting_too(app, menu, tables, clock):
    phone = phone_at(app, tables[0])
    order = placed(order_from(phone, menu))
    clock.advance(minutes=30)
    bill_closing.close_bill(reload(order).bill, CloseReason.WALK_OUT, "", "cashier:sari", clock())
    assert phone.get("/table/bill").status_code == 404


def test_clearing_the_table_unseats_the_phones_of_a_pay_first_restaurant(app, menu, clock):
    table = make.dining_table("7")
    phone = phone_at(app, table)
    order = placed(order_from(phone, menu, payment_method="cash"))
    confirm_cash(order, order.total, "cashier:sari", clock())
    lifecycle.advance_order(reload(order), OrderStatus.PREPARING, "cashier:sari", clock())
    lifecycle.advance_order(reload(order), OrderStatus.READY, "cashier:sari", clock())
    clock.advance(minutes=40)
    clearing.clear_table(reload(table), "cashier:sari", clock())
    assert "Meja 7" not in phone.get("/").get_data(as_text=True)
    assert reload(order).status == OrderStatus.COMPLETED


def test_a_moved_order_takes_its_phone_to_the_new_table(app, menu, tables, clock):
    phone = phone_at(app, tables[0])
    first = placed(order_from(phone, menu))
    clock.advance(minutes=5)
    bill_closing.move_order(reload(first), tables[1], "cashier:sari", clock())
    menu_page = phone.get("/").get_data(as_text=True)
    assert "Meja 5" in menu_page and "Meja 4" not in menu_page
    second = placed(order_from(phone, menu))
    assert reload(second).table_id == tables[1].id
    assert reload(second).bill_id == reload(first).bill_id  # the bill the order moved onto
