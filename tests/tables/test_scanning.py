"""A customer's table link: it lands on the menu with the table, checkout takes the
table from it, and codes that lead nowhere say what to do instead."""

import pytest

from tests import factories as make
from tests.html_forms import form_with_button
from tests.http_helpers import add_to_cart, checkout_form
from webapp.extensions import db
from webapp.models import Order, OrderType
from webapp.tables import registry, visit


def placed(response) -> Order:
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.query(Order).filter_by(public_id=response.location.rsplit("/", 1)[1]).one()


def test_the_table_is_carried_from_the_scan_to_the_order(client, csrf, menu):
    table = make.dining_table("7", "Teras")
    make.dining_table("8")
    scan = client.get(f"/t/{table.token}")
    assert scan.status_code == 303 and scan.location == "/"
    assert "Meja 7" in client.get("/").get_data(as_text=True)

    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    checkout = client.get("/checkout").get_data(as_text=True)
    assert "Meja 7" in checkout and 'name="table_id"' not in checkout  # nothing to type or choose
    form = form_with_button(checkout, "Pesan sekarang · Rp25.000")
    assert form.fields["order_type"] == "dine_in"  # already chosen
    order = placed(client.post(form.action, data=form.fields | {"customer_name": "Sari", "payment_method": "cash"}))
    assert order.order_type == OrderType.DINE_IN and order.table_id == table.id and order.table_label == "7"
    assert "Meja 7" in client.get(f"/orders/{order.public_id}").get_data(as_text=True)


def test_a_scanned_customer_may_switch_to_takeaway_at_checkout(client, csrf, menu):
    client.get(f"/t/{make.dining_table('7').token}")
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    order = placed(client.post("/checkout", data=checkout_form(client) | {"order_type": "takeaway"}))
    assert order.is_takeaway and order.table_id is None and order.table_label == ""
    page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert "Bungkus" in page and "Meja 7" not in page


def test_a_scanned_table_is_forgotten_after_the_configured_hours(app, client, csrf, menu, clock):
    app.config["TABLE_SESSION_HOURS"] = 2
    client.get(f"/t/{make.dining_table('7').token}")
    clock.advance(hours=1, minutes=59)
    assert "Meja 7" in client.get("/").get_data(as_text=True)
    clock.advance(minutes=2)
    assert "Meja 7" not in client.get("/").get_data(as_text=True)


def test_a_table_switched_off_after_the_scan_takes_no_more_orders(client, csrf, menu):
    table = make.dining_table("7")
    client.get(f"/t/{table.token}")
    registry.save_table(table, "7", active=False)
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    response = client.post("/checkout", data=checkout_form(client) | {"order_type": "dine_in"})
    assert response.status_code == 422 and db.session.query(Order).count() == 0


def test_qr_only_offers_takeaway_alone_without_a_scan(app, client, csrf, menu):
    app.config["TABLE_CHOICE"] = "qr_only"
    make.dining_table("7")
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="dine_in"' not in page and 'name="table_id"' not in page
    assert "scan kode QR di meja" in page
    refused = client.post("/checkout", data=checkout_form(client) | {"order_type": "dine_in"})
    assert refused.status_code == 422
    assert placed(client.post("/checkout", data=checkout_form(client))).is_takeaway


def test_qr_or_list_offers_the_active_tables(client, csrf, menu):
    make.dining_table("7")
    registry.save_table(make.dining_table("9"), "9", active=False)
    add_to_cart(client, csrf, menu["Nasi Goreng"].id)
    page = client.get("/checkout").get_data(as_text=True)
    assert 'name="table_id"' in page and ">7</option>" in page and ">9</option>" not in page


@pytest.mark.parametrize(
    "case, status, words",
    [
        ("rotated", 410, "Kode QR ini sudah diganti"),
        ("inactive", 410, "Meja 7 sedang tidak menerima pesanan"),
        ("unknown", 404, "Kode QR tidak dikenal"),
    ],
)
def test_a_code_that_leads_nowhere_gets_a_friendly_page(client, menu, case, status, words):
    table = make.dining_table("7")
    token = table.token
    if case == "rotated":
        registry.rotate_token(table)
    elif case == "inactive":
        registry.save_table(table, "7", active=False)
    else:
        token = "AAAAAAAAAAAAAAAAAAAAAA"
    response = client.get(f"/t/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == status and words in page and 'href="/"' in page
    with client.session_transaction() as session:
        assert visit.SESSION_KEY not in session
