"""Bill settings: the admin page, their history, and orders keeping the bill they were placed with."""

from tests import factories as make
from tests.db_helpers import count, reload
from tests.html_forms import forms
from webapp.models import BillSettings, OrderStatus, PaymentTiming, PriceMode, Serving
from webapp.orders import lifecycle

SETTINGS_FORM = {
    "tax_rate": "10",
    "service_rate": "5",
    "mode": "exclusive",
    "service_on_takeaway": "y",
    "rounding_step": "500",
    "rounding_direction": "up",
    "merchant_address": "Jl. Braga 12, Bandung",
    "merchant_tax_number": "P2.0001234.16.01",
    "payment_timing": "pay_first",
    "dine_in_serving": "table",
}


def post_settings(client, **changes):
    return client.post("/admin/bill", data={"csrf_token": client.csrf_token, **SETTINGS_FORM, **changes})


def test_with_no_settings_an_order_costs_what_its_lines_cost(app, menu):
    order = make.order(menu)  # Rp30.000
    assert (order.bill_subtotal, order.bill_service, order.bill_tax, order.bill_rounding, order.total) == (
        30_000,
        0,
        0,
        0,
        30_000,
    )


def test_the_admin_saves_settings_and_each_change_is_kept_with_who_and_when(admin_client, app, clock, staff):
    assert admin_client.get("/admin/bill").status_code == 200
    assert post_settings(admin_client).status_code == 303
    clock.advance(minutes=5)
    assert post_settings(admin_client, tax_rate="2,5", rounding_step="0", payment_timing="pay_later").status_code == 303
    rows = BillSettings.query.order_by(BillSettings.id).all()
    assert [(row.tax_rate, row.service_rate, row.rounding_step) for row in rows] == [(1000, 500, 500), (250, 500, 0)]
    assert [row.payment_timing for row in rows] == [PaymentTiming.PAY_FIRST, PaymentTiming.PAY_LATER]
    assert {row.changed_by for row in rows} == {staff["admin"].username}
    assert rows[1].changed_at > rows[0].changed_at
    page = admin_client.get("/admin/bill").get_data(as_text=True)
    assert "2,5%" in page and "Jl. Braga 12" in page
    assert forms(page)[-1].fields["tax_rate"] == "2,5"


def test_bad_settings_are_refused_with_the_form(admin_client, app):
    for field, value in [
        ("tax_rate", "10,001"),
        ("tax_rate", "11"),
        ("tax_rate", "-1"),
        ("tax_rate", "sepuluh"),
        ("service_rate", "20,5"),
        ("rounding_step", "250"),
        ("mode", "both"),
        ("rounding_direction", "down"),
        ("merchant_tax_number", "9" * 41),
        ("payment_timing", "never"),
    ]:
        response = post_settings(admin_client, **{field: value})
        assert response.status_code == 422, (field, value)
        assert 'aria-invalid="true"' in response.get_data(as_text=True) or 'class="error"' in response.get_data(
            as_text=True
        )
    assert count(BillSettings) == 0


def test_cashiers_cannot_change_the_bill_settings(cashier_client, app):
    assert post_settings(cashier_client).status_code in (302, 303, 403)
    assert count(BillSettings) == 0


def test_an_order_is_placed_with_the_settings_of_the_moment_and_keeps_them(app, menu):
    make.bill_settings(rounding_step=500)
    before = make.order(menu, lines=[("Nasi Goreng", 2)])  # Rp50.000
    assert (before.bill_subtotal, before.bill_service, before.bill_tax, before.bill_rounding, before.total) == (
        50_000,
        2_500,
        5_250,
        250,
        58_000,
    )
    assert (before.bill_service_rate, before.bill_tax_rate, before.bill_mode) == (500, 1000, PriceMode.EXCLUSIVE)
    make.bill_settings(tax_rate=0, service_rate=0, mode=PriceMode.INCLUSIVE)
    after = make.order(menu, lines=[("Nasi Goreng", 2)])
    assert after.total == 50_000
    before = reload(before)
    assert (before.bill_service, before.bill_tax, before.total, before.bill_tax_rate) == (2_500, 5_250, 58_000, 1000)


def test_takeaway_orders_can_skip_the_service_charge(app, menu):
    make.bill_settings(service_on_takeaway=False)
    takeaway = make.order(menu, lines=[("Nasi Goreng", 2)], table=None)
    here = make.order(menu, lines=[("Nasi Goreng", 2)], table="4")
    assert (takeaway.bill_service, takeaway.total) == (0, 55_000)
    assert (here.bill_service, here.total) == (2_500, 57_750)


def test_a_ready_order_tells_its_guests_how_it_reaches_them(admin_client, client, app, menu):
    """Dine-in orders are brought to the table unless the restaurant says guests collect
    them; takeaway is always collected at the counter."""
    dine_in, takeaway = make.paid_order(menu, table="1"), make.paid_order(menu, table=None)
    for order in (dine_in, takeaway):
        lifecycle.advance_order(order, OrderStatus.PREPARING, "cashier:sari")
        lifecycle.advance_order(order, OrderStatus.READY, "cashier:sari")

    def ready_text(order) -> str:
        return client.get(f"/orders/{order.public_id}").get_data(as_text=True)

    assert f"Pesanan {dine_in.number} segera diantar ke meja Anda." in ready_text(dine_in)
    assert f"Ambil pesanan {takeaway.number} di konter." in ready_text(takeaway)
    assert post_settings(admin_client, dine_in_serving="counter").status_code == 303
    assert BillSettings.query.order_by(BillSettings.id.desc()).first().dine_in_serving == Serving.COUNTER
    assert f"Ambil pesanan {dine_in.number} di konter." in ready_text(dine_in)
    assert post_settings(admin_client, dine_in_serving="drone").status_code == 422
