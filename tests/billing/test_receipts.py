"""Receipts of paid orders, the QRIS amount at Duitku and cash confirmation, all at the grand total."""

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.duitku_side import callback_form, settle_quietly


@pytest.fixture
def restaurant(app):
    """10% tax, 5% service, "++", rounding up to Rp500, with an address and tax number."""
    return make.bill_settings(
        rounding_step=500, merchant_address="Jl. Braga 12, Bandung", merchant_tax_number="P2.0001234.16.01"
    )


def test_the_qris_amount_at_duitku_is_the_grand_total(restaurant, menu, sandbox):
    payment = make.qris_payment(menu, lines=[("Nasi Goreng", 2)])  # lines Rp50.000
    order = payment.order
    assert (order.bill_subtotal, order.bill_service, order.bill_tax, order.bill_rounding) == (50_000, 2_500, 5_250, 250)
    assert payment.amount == order.total == 58_000
    assert sandbox.extensions["sandbox_store"].get(payment.reference).amount == 58_000


def test_cash_confirmation_takes_the_grand_total(restaurant, menu, cashier_client):
    order = make.order(menu, lines=[("Nasi Goreng", 2)])
    page = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert "Terima tunai: Rp58.000" in page and "Pajak restoran (PB1) 10%" in page
    too_little = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash", data={"csrf_token": cashier_client.csrf_token, "tendered": "50000"}
    )
    assert too_little.status_code == 422
    paid = cashier_client.post(
        f"/cashier/orders/{order.public_id}/cash", data={"csrf_token": cashier_client.csrf_token, "tendered": "60000"}
    )
    assert paid.status_code == 303
    assert reload(order).payments[0].amount == 58_000


def test_a_cash_receipt_shows_the_bill_the_cash_and_the_cashier(restaurant, menu, client):
    order = make.paid_order(menu, lines=[("Nasi Goreng", 2, "tidak pedas")], tendered=100_000, cashier="sari")
    order_page = client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert f"/orders/{order.public_id}/receipt" in order_page and "Lihat struk" in order_page
    page = client.get(f"/orders/{order.public_id}/receipt").get_data(as_text=True)
    for text in [
        "Warung Makan Sederhana",
        "Jl. Braga 12, Bandung",
        "P2.0001234.16.01",
        order.number,
        "WIB",
        "Meja 5",
        "tidak pedas",
        "Rp50.000",
        "Layanan 5%",
        "Rp2.500",
        "PB1 10%",
        "Rp5.250",
        "Pembulatan",
        "Rp250",
        "Rp58.000",
        "Rp100.000",  # tendered
        "Rp42.000",  # change
        "sari",
    ]:
        assert text in page, text


def test_a_qris_receipt_names_the_issuer(restaurant, menu, sandbox, clock, client):
    payment = make.qris_payment(menu)
    settle_quietly(sandbox, payment, clock(), issuer="93600914")
    form = callback_form(payment, issuerCode="93600914")
    assert client.post("/api/v1/webhooks/duitku", data=form).status_code == 200
    page = client.get(f"/orders/{payment.order.public_id}/receipt").get_data(as_text=True)
    assert "QRIS" in page and "GoPay" in page and "Rp58.000" in page


@pytest.mark.parametrize("paper, sheet", [("58", "receipt-58.css"), ("80", "receipt-80.css"), ("a4", "receipt-a4.css")])
def test_the_receipt_comes_on_the_paper_asked_for(restaurant, menu, client, paper, sheet):
    order = make.paid_order(menu)
    page = client.get(f"/orders/{order.public_id}/receipt?paper={paper}").get_data(as_text=True)
    assert sheet in page and f"receipt-{paper}" in page
    assert client.get(f"/static/css/{sheet}").status_code == 200


def test_the_paper_and_print_controls_are_for_staff(restaurant, menu, client, cashier_client):
    """A customer's receipt has a way back to the order and no paper or print button;
    staff get them on theirs and on the customer's link alike."""
    order = make.paid_order(menu)
    for path in (f"/orders/{order.public_id}/receipt", f"/cashier/orders/{order.public_id}/receipt"):
        staff_page = cashier_client.get(path).get_data(as_text=True)
        assert "Kertas:" in staff_page and "data-print" in staff_page and "paper=58" in staff_page, path
    customer_page = client.get(f"/orders/{order.public_id}/receipt").get_data(as_text=True)
    assert "Kembali ke pesanan" in customer_page
    assert "Kertas:" not in customer_page and "data-print" not in customer_page and "paper=58" not in customer_page


def test_an_unknown_paper_falls_back_to_80_mm(restaurant, menu, client):
    order = make.paid_order(menu)
    assert "receipt-80.css" in client.get(f"/orders/{order.public_id}/receipt?paper=%3Cb%3E").get_data(as_text=True)


def test_an_unpaid_order_has_no_receipt_yet(restaurant, menu, client):
    order = make.order(menu)
    assert client.get(f"/orders/{order.public_id}/receipt").status_code == 404
    assert "Lihat struk" not in client.get(f"/orders/{order.public_id}").get_data(as_text=True)
    assert client.get("/orders/not-an-order/receipt").status_code == 404


def test_the_cashier_opens_the_receipt_from_the_order_view(restaurant, menu, cashier_client, client):
    order = make.paid_order(menu, lines=[("Nasi Goreng", 2)])
    view = cashier_client.get(f"/cashier/orders/{order.public_id}").get_data(as_text=True)
    assert f"/cashier/orders/{order.public_id}/receipt" in view
    assert "Rp58.000" in cashier_client.get(f"/cashier/orders/{order.public_id}/receipt?paper=58").get_data(
        as_text=True
    )
    assert client.get(f"/cashier/orders/{order.public_id}/receipt").status_code in (302, 303, 401)


def test_a_receipt_keeps_the_bill_after_the_settings_change(restaurant, menu, client):
    order = make.paid_order(menu, lines=[("Nasi Goreng", 2)])
    make.bill_settings(tax_rate=0, service_rate=0)
    page = client.get(f"/orders/{order.public_id}/receipt").get_data(as_text=True)
    assert "Rp58.000" in page and "PB1 10%" in page
