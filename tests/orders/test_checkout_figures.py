"""Checkout shows the figure the order is charged or put on the bill, for the order type
chosen, and places the order only at the figure its button showed."""

import re

import pytest

from tests import factories as make
from tests.db_helpers import count
from tests.html_forms import form_with_button
from tests.http_helpers import add_to_cart, csrf_token_from
from webapp.extensions import db
from webapp.models import Order, OrderStatus


def phone_at(app, table):
    client = app.test_client()
    client.get(f"/t/{table.token}")
    client.csrf = csrf_token_from(client.get("/").get_data(as_text=True))
    return client


def checkout_page(client, menu) -> str:
    add_to_cart(client, client.csrf, menu["Nasi Goreng"].id)
    add_to_cart(client, client.csrf, menu["Es Teh Manis"].id)
    return client.get("/checkout").get_data(as_text=True)


def figures_for(page: str, order_type: str) -> str:
    match = re.search(rf'<div class="checkout-figures" data-order-type="{order_type}"[^>]*>(.*?)</div>', page, re.S)
    assert match, f"no figures for {order_type}"
    return match.group(1)


def placed(response) -> Order:
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.query(Order).filter_by(public_id=response.location.rsplit("/", 1)[1]).one()


def test_a_pay_later_order_is_shown_and_put_on_the_bill_unrounded(app, menu):
    """The issue's figures: Rp30.000 + 5% service + 10% tax = Rp34.650; the bill is
    rounded once as a whole, so the order is put on it at Rp34.650, not Rp34.700."""
    make.pay_later(rounding_step=100)
    phone = phone_at(app, make.dining_table("4"))
    page = checkout_page(phone, menu)
    assert "Rp34.650" in figures_for(page, "dine_in") and "Pembulatan" not in figures_for(page, "dine_in")
    assert "Rp34.700" in figures_for(page, "takeaway") and "Pembulatan" in figures_for(page, "takeaway")
    cart = phone.get("/cart").get_data(as_text=True)  # the cart says what checkout will
    assert "Rp34.650" in cart and "Rp34.700" not in cart and "Pembulatan" not in cart
    form = form_with_button(page, "Pesan sekarang · Rp34.650")
    order = placed(phone.post(form.action, data=form.fields | {"customer_name": "Rina"}))
    assert (order.status, order.total) == (OrderStatus.ON_BILL, 34_650)
    assert "Rp34.650" in phone.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_takeaway_without_service_is_charged_what_its_figures_say(app, menu, client, csrf):
    make.bill_settings(service_on_takeaway=False)
    client.csrf = csrf
    page = checkout_page(client, menu)  # no table scanned: dine-in from the list, or takeaway
    assert "Rp34.650" in figures_for(page, "dine_in")
    takeaway = figures_for(page, "takeaway")
    assert "Rp33.000" in takeaway and "layanan" not in takeaway  # 30.000 + 10% tax, no service
    assert "Rp33.000" in client.get("/cart").get_data(as_text=True)  # takeaway: checkout's first choice
    form = form_with_button(page, "Pesan sekarang · Rp33.000")  # takeaway is chosen already
    order = placed(client.post(form.action, data=form.fields | {"customer_name": "Rina", "payment_method": "cash"}))
    assert (order.is_takeaway, order.total) == (True, 33_000)


@pytest.mark.parametrize("shown", ["34650", "1"])
def test_an_order_that_would_come_to_another_figure_is_not_placed_and_says_the_new_one(app, menu, shown):
    """Without JavaScript the button keeps the figure of the type chosen when the page
    was drawn: switching type (or a price changing meanwhile) stops the order there."""
    make.pay_later(service_on_takeaway=False)
    phone = phone_at(app, make.dining_table("4"))
    form = form_with_button(checkout_page(phone, menu), "Pesan sekarang · Rp34.650")
    assert form.fields["shown_total"] == "34650"
    switched = form.fields | {"customer_name": "Rina", "order_type": "takeaway", "payment_method": "cash"}
    refused = phone.post(form.action, data=switched | {"shown_total": shown})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Total pesanan ini Rp33.000" in page and count(Order) == 0
    again = form_with_button(page, "Pesan sekarang · Rp33.000")
    order = placed(phone.post(again.action, data=again.fields))
    assert (order.is_takeaway, order.total) == (True, 33_000)


def test_pay_later_checkout_marks_the_payment_choice_as_takeaway_s_only(app, menu):
    make.pay_later()
    page = checkout_page(phone_at(app, make.dining_table("4")), menu)
    payment = re.search(r'<fieldset class="field"([^>]*)>\s*<legend>Cara bayar untuk pesanan bungkus', page)
    assert payment and 'data-show-for="takeaway"' in payment.group(1)  # js/checkout.js hides it for dine-in
    assert 'data-show-for="dine_in"' in page  # and the pay-later note for takeaway


def test_the_first_field_to_fix_takes_the_focus(app, menu, client, csrf):
    """Without JavaScript a refused checkout comes back at the top of the page: the first
    field in error is focused (the browser brings it into view)."""
    client.csrf = csrf
    checkout_page(client, menu)
    form = form_with_button(client.get("/checkout").get_data(as_text=True), "Pesan sekarang · Rp30.000")
    refused = client.post(form.action, data=form.fields | {"customer_name": "Rina"}).get_data(as_text=True)
    assert re.search(r'<input[^>]* autofocus[^>]*value="qris"', refused) and "Pilih cara bayar." in refused
    refused = client.post(form.action, data=form.fields | {"payment_method": "cash"}).get_data(as_text=True)
    assert re.search(r'<input[^>]* autofocus[^>]*id="customer_name"', refused)
