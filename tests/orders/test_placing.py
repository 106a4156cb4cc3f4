import threading
from datetime import UTC, date, datetime

import pytest

from webapp.extensions import db
from webapp.models import Order, OrderStatus, PaymentMethod
from webapp.orders.cart import Cart, price_cart
from webapp.orders.placing import CheckoutError, CustomerDetails, place_order

BUDI = CustomerDetails(name="Budi", note="", payment_method=PaymentMethod.CASH)  # takeaway


def priced_cart(*lines):
    cart = Cart({})
    for item, quantity, note in lines:
        cart.add(item.id, quantity, note)
    return price_cart(cart)


def test_order_snapshots_names_prices_and_notes(app, menu):
    priced = priced_cart((menu["Nasi Goreng"], 2, "tidak pedas"), (menu["Es Teh Manis"], 1, ""))
    order = place_order(priced, BUDI)
    assert order.status == OrderStatus.AWAITING_PAYMENT.value
    assert order.total == 55000
    assert [(i.name, i.unit_price, i.quantity, i.note, i.line_total) for i in order.items] == [
        ("Nasi Goreng", 25000, 2, "tidak pedas", 50000),
        ("Es Teh Manis", 5000, 1, "", 5000),
    ]
    # A later price change does not touch the order.
    menu["Nasi Goreng"].price = 30000
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Order, order.id).items[0].unit_price == 25000


def test_numbers_restart_at_midnight_in_jakarta(app, menu):
    priced = priced_cart((menu["Mie Ayam"], 1, ""))
    before_midnight = datetime(2026, 11, 22, 16, 59, tzinfo=UTC)  # 23:59 WIB
    after_midnight = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # 00:00 WIB, 23 Nov
    first = place_order(priced, BUDI, now=before_midnight)
    second = place_order(priced, BUDI, now=before_midnight)
    third = place_order(priced, BUDI, now=after_midnight)
    assert [first.number, second.number, third.number] == ["A-001", "A-002", "A-001"]
    assert (first.business_date, third.business_date) == (date(2026, 11, 22), date(2026, 11, 23))


def test_empty_cart_places_nothing(app, menu):
    with pytest.raises(CheckoutError, match="kosong"):
        place_order(priced_cart(), BUDI)
    assert db.session.query(Order).count() == 0


def test_sold_out_item_places_nothing(app, menu):
    priced = priced_cart((menu["Mie Ayam"], 1, ""), (menu["Rendang"], 1, ""))
    with pytest.raises(CheckoutError) as raised:
        place_order(priced, BUDI)
    assert any("Rendang" in message for message in raised.value.messages)
    assert db.session.query(Order).count() == 0


def test_same_checkout_token_gives_the_same_order(app, menu):
    priced = priced_cart((menu["Mie Ayam"], 1, ""))
    first = place_order(priced, BUDI, checkout_token="tok-1")
    again = place_order(priced_cart(), BUDI, checkout_token="tok-1")  # cart already cleared
    assert again.id == first.id
    assert db.session.query(Order).count() == 1


def test_concurrent_checkouts_get_distinct_numbers(app, menu):
    item_id = menu["Mie Ayam"].id
    db.session.rollback()  # end this thread's transaction (on SQLite it holds the write lock)
    results, errors = [], []

    def checkout():
        with app.app_context():
            try:
                cart = Cart({})
                cart.add(item_id, 1)
                results.append(place_order(price_cart(cart), BUDI).daily_seq)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=checkout) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(1, 9))
