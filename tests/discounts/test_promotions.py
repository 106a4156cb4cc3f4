"""Promotions (issue 27 item 5): in their window (days of the week, hours in Asia/Jakarta)
the server takes them off on the customer's menu, cart and checkout and at the till,
shown struck through; the QRIS amount at the sandbox is the discounted total; an order
keeps what it got, whatever the promotion becomes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.http_helpers import HTMX, add_to_cart, check_out, checkout_form, csrf_token_from, log_in, visible_text
from webapp.discounts import promotions
from webapp.extensions import db
from webapp.models import DiscountSource, Order
from webapp.orders.cart import Cart, price_cart

MONDAY_15 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 15.00 WIB
MONDAY_17 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 17.00 WIB: the end is not included
SUNDAY_16 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # Sunday 16.00 WIB


@pytest.fixture
def happy_hour(menu, clock):
    """Weekdays 15.00-17.00 WIB: 20% off Nasi Goreng (Rp25.000 -> Rp20.000); it is Monday 15.00."""
    clock.current = MONDAY_15
    return make.promotion(menu, items=("Nasi Goreng",), categories=())


@pytest.mark.parametrize(
    "moment, applies",
    [
        (MONDAY_15, True),
        (datetime(2026, 11, 23, 9, 59, tzinfo=UTC), True),  # 16.59
        (MONDAY_17, False),
        (datetime(2026, 11, 23, 7, 59, tzinfo=UTC), False),  # 14.59
        (SUNDAY_16, False),  # a weekend
        (datetime(2026, 11, 27, 8, 30, tzinfo=UTC), True),  # Friday 15.30
    ],
)
def test_a_promotion_applies_on_its_days_between_its_hours_in_jakarta(happy_hour, moment, applies):
    assert promotions.in_window(happy_hour, moment) is applies
    assert bool(promotions.in_effect(moment).offers) is applies


def test_the_menu_shows_the_old_price_struck_through_in_the_window_only(happy_hour, client, clock):
    text = visible_text(client.get("/").get_data(as_text=True))
    assert "Nasi Goreng" in text and "Harga semula Rp25.000 Harga promo Rp20.000 Happy hour" in text
    assert "Harga semula Rp22.000" not in text  # Mie Ayam has no promotion
    clock.current = MONDAY_17
    text = visible_text(client.get("/").get_data(as_text=True))
    assert "Harga promo" not in text and "Rp25.000" in text


def test_the_cart_and_checkout_charge_the_promotion(happy_hour, client, csrf, menu):
    make.bill_settings()  # 10% tax, 5% service on what the customer pays
    add_to_cart(client, csrf, menu["Nasi Goreng"].id, "2")
    cart = visible_text(client.get("/cart").get_data(as_text=True))
    assert "Harga semula Rp50.000 Harga promo Rp40.000" in cart and "Happy hour -20%" in cart
    assert "Harga menu Rp50.000 Diskon -Rp10.000 Subtotal Rp40.000" in cart
    assert "Total Rp46.200" in cart  # 40.000 + 2.000 + 4.200
    assert "Pesan sekarang · Rp46.200" in visible_text(client.get("/checkout").get_data(as_text=True))
    order = check_out_now(client)
    assert (order.total, order.bill_discount, order.bill_subtotal, order.bill_tax) == (46_200, 10_000, 40_000, 4_200)
    [snapshot] = order.discounts
    assert (snapshot.source, snapshot.label, snapshot.amount, snapshot.promotion_id) == (
        DiscountSource.PROMOTION,
        "Happy hour",
        10_000,
        happy_hour.id,
    )


def check_out_now(client) -> Order:
    response = client.post("/checkout", data=checkout_form(client))
    assert response.status_code == 303
    return db.session.scalars(db.select(Order)).one()


def test_the_qris_amount_at_the_sandbox_is_the_discounted_total(happy_hour, client, csrf, menu, sandbox):
    order = check_out(client, csrf, menu, method="qris")  # two Nasi Goreng: 40.000 in the happy hour
    payment = order.current_payment
    assert order.total == payment.amount == 40_000
    assert sandbox.extensions["sandbox_store"].get(payment.reference).amount == 40_000


def test_a_checkout_after_the_window_closed_says_the_new_total(happy_hour, client, csrf, menu, clock):
    add_to_cart(client, csrf, menu["Nasi Goreng"].id, "1")
    form = checkout_form(client) | {"shown_total": "20000"}
    clock.current = MONDAY_17
    refused = client.post("/checkout", data=form)
    assert refused.status_code == 422 and "Rp25.000" in visible_text(refused.get_data(as_text=True))
    assert db.session.scalars(db.select(Order)).first() is None


def test_an_order_keeps_its_discount_whatever_the_promotion_becomes(happy_hour, menu, clock):
    order = make.order(menu, lines=(("Nasi Goreng", 1),), table=None)
    change = promotions.PromotionChange("Happy hour", happy_hour.kind, 5000, 1, 0, 60, False, [], [])
    promotions.save_promotion(happy_hour, change, "cashier:budi")
    order = reload(order)
    assert (order.total, order.bill_discount, order.discounts[0].amount, order.discounts[0].value) == (
        20_000,
        5_000,
        5_000,
        2_000,
    )
    db.session.delete(reload(happy_hour))
    db.session.commit()
    assert reload(order).discounts[0].label == "Happy hour" and reload(order).total == 20_000


def test_the_best_promotion_wins_and_a_line_with_options_gets_it_off_its_unit_price(happy_hour, menu, app):
    make.promotion(menu, name="Makan siang", percent=0, amount=6000, items=("Nasi Goreng",), categories=())
    level_1, telur = make.option_ids(make.menu_options(menu), "Level 1", "Telur")
    cart = Cart({})
    cart.add(menu["Nasi Goreng"].id, 2, "", {level_1: 0, telur: 4000})
    [line] = price_cart(cart).lines
    assert line.promotion.label == "Makan siang"  # Rp6.000 off beats 20% (Rp5.000) of Rp25.000
    assert (line.unit_price, line.offs, line.paid_for) == (29_000, (12_000, 0), 46_000)  # 2 x (29.000 - 6.000)


def test_the_till_shows_and_charges_the_promotion(happy_hour, menu, app):
    make.staff_user("sari")
    client = app.test_client()
    assert log_in(client, "sari").status_code == 303
    url = client.get("/till").location
    page = client.get(url).get_data(as_text=True)
    assert "Harga semula Rp25.000 Harga promo Rp20.000" in visible_text(page)  # the tile
    csrf = csrf_token_from(page)
    added = {"csrf_token": csrf, "item_id": menu["Nasi Goreng"].id, "quantity": "1"}
    side = client.post(url + "/lines", data=added, headers=HTMX).get_data(as_text=True)
    assert "Happy hour -20%" in visible_text(side) and "Total Rp20.000" in visible_text(side)
    version = re.search(r'data-version="(\d+)"', side).group(1)
    cash = {"csrf_token": csrf, "version": version, "shown_total": "20000", "tendered": "20000"}
    paid = client.post(url + "/pay/cash", data=cash, headers=HTMX)
    assert paid.status_code == 200
    order = db.session.scalars(db.select(Order)).one()
    assert (order.total, order.bill_discount, order.discounts[0].source) == (20_000, 5_000, DiscountSource.PROMOTION)
