"""An order's discounts as it keeps them: its figures, its receipt (the page and a till's
printer), its page, and a table's bill split among payers, each adding up exactly."""

import re

import pytest

from tests import factories as make
from tests.db_helpers import reload
from tests.http_helpers import visible_text
from webapp.billing.receipts import receipt_for
from webapp.bills import bill_splits
from webapp.bills.table_bills import bill_view
from webapp.models import DiscountSource
from webapp.till.receipt_text import receipt_lines


@pytest.fixture
def restaurant(app):
    """10% tax, 5% service, "++", rounding up to Rp500."""
    return make.bill_settings(rounding_step=500)


def discounted_order(menu, **fields):
    """Two Nasi Goreng (Rp50.000) 10% off, an Es Teh (Rp5.000), Rp5.000 off the order:
    Rp55.000 of lines, Rp10.000 off, subtotal 45.000 + service 2.250 + PB1 4.725 =
    51.975, rounded up to Rp52.000."""
    return make.paid_order(
        menu,
        lines=(("Nasi Goreng", 2), ("Es Teh Manis", 1)),
        line_discounts={0: make.given(percent=10)},
        on_order=[make.given(amount=5_000, reason="ulang tahun")],
        **fields,
    )


def test_an_order_keeps_its_discounts_and_figures(restaurant, menu):
    order = discounted_order(menu)
    assert (order.bill_discount, order.bill_subtotal, order.bill_service, order.bill_tax) == (
        10_000,
        45_000,
        2_250,
        4_725,
    )
    assert (order.bill_rounding, order.total, order.payments[0].amount) == (25, 52_000, 52_000)
    nasi, teh = order.items
    assert (nasi.line_total, nasi.discount, nasi.paid_for, teh.discount) == (50_000, 5_000, 45_000, 0)
    rows = [(d.source, d.label, d.amount, d.order_item_id) for d in order.discounts]
    assert rows == [
        (DiscountSource.MANUAL, "pelanggan tetap", 5_000, nasi.id),
        (DiscountSource.MANUAL, "ulang tahun", 5_000, None),
    ]
    assert all(d.given_by == "cashier:sari" for d in order.discounts)


def test_the_receipt_shows_each_discount_and_adds_up(restaurant, menu, client):
    order = discounted_order(menu)
    text = visible_text(client.get(f"/orders/{order.public_id}/receipt").get_data(as_text=True))
    for shown in [
        "Diskon: pelanggan tetap -10% -Rp5.000",
        "Diskon: ulang tahun -Rp5.000 -Rp5.000",
        "Harga menu Rp55.000",
        "Diskon -Rp10.000",
        "Subtotal Rp45.000",
        "Layanan 5% Rp2.250",
        "PB1 10% Rp4.725",
        "Pembulatan Rp25",
        "TOTAL Rp52.000",
    ]:
        assert shown in text
    # And the printed figures add up: the lines less the discount, then down to the total.
    shown = dict(re.findall(r"(Harga menu|Diskon|Subtotal|Layanan 5%|PB1 10%|Pembulatan|TOTAL) -?Rp([\d.]+)", text))
    rp = {name: int(amount.replace(".", "")) for name, amount in shown.items()}
    assert rp["Harga menu"] - rp["Diskon"] == rp["Subtotal"]
    assert rp["Subtotal"] + rp["Layanan 5%"] + rp["PB1 10%"] + rp["Pembulatan"] == rp["TOTAL"]


def test_the_order_page_shows_the_discounts(restaurant, menu, client):
    order = discounted_order(menu)
    text = visible_text(client.get(f"/orders/{order.public_id}").get_data(as_text=True))
    assert "Diskon: pelanggan tetap -10% -Rp5.000" in text and "Diskon -Rp10.000" in text


def test_a_printed_receipt_shows_the_discounts_within_the_paper(restaurant, menu, app):
    order = discounted_order(menu)
    with app.test_request_context():
        lines = [line.text for line in receipt_lines(receipt_for(reload(order)), "Warung", 32)]
    assert max(len(line) for line in lines) <= 32
    printed = "\n".join(lines)
    assert "-Rp5.000" in printed and "Harga menu" in printed and "Rp55.000" in printed
    assert any(line.startswith("   Diskon: pelanggan") for line in lines)  # under its line


def test_an_order_without_a_discount_shows_no_discount_rows(restaurant, menu, client):
    order = make.paid_order(menu, lines=(("Nasi Goreng", 2),))
    text = visible_text(client.get(f"/orders/{order.public_id}/receipt").get_data(as_text=True))
    assert "Diskon" not in text and "Harga menu" not in text and order.bill_discount == 0


def test_a_table_bill_counts_its_orders_discounts_and_its_shares_add_up(app, menu, clock):
    """Rina: Nasi Goreng 50% off (12.500 off), Budi: two Nasi Goreng, Rp5.000 off his
    order. 75.000 of lines, 17.500 off: 57.500 + 5% 2.875 + 10% 6.038 = Rp66.413."""
    make.pay_later()
    make.bill_order(
        menu,
        name="Rina",
        lines=(("Nasi Goreng", 1),),
        line_discounts={0: make.given(percent=50, approver="cashier:rini")},
    )
    make.bill_order(menu, name="Budi", lines=make.TWO_NASI_GORENG, on_order=[make.given(amount=5_000)])
    bill = make.open_bill()
    figures = bill_view(bill).figures
    assert (figures.before_discount, figures.discount, figures.subtotal, figures.total) == (
        75_000,
        17_500,
        57_500,
        66_413,
    )
    bill_splits.split_by_items(bill, "customer", clock())
    rina, budi = (bill_splits.join(bill, name, "customer", clock()) for name in ("Rina", "Budi"))
    portions = bill_view(reload(bill)).portions
    for portion in portions:
        payer = rina if portion.order.customer_name == "Rina" else budi
        bill_splits.claim(bill, payer, portion.item.id, portion.unit, clock())
    shares = bill_splits.lock_items(bill, "customer", clock())
    assert [share.discount for share in shares] == [12_500, 5_000]  # each got their own
    assert sum(share.amount for share in shares) == reload(bill).total == 66_413
    assert [share.subtotal for share in shares] == [12_500, 45_000]
    assert reload(bill).discount == 17_500
