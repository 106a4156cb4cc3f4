"""Vouchers at checkout (issue 27 item 5): a code with a value, dates, a uses limit and a
minimum spend; one per order, its use taken in the order's transaction; every refusal
said on the voucher field (unknown, switched off, not yet or no longer valid, used up,
below the minimum spend), nothing placed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from tests.http_helpers import add_to_cart, checkout_form, visible_text
from webapp.discounts import vouchers
from webapp.extensions import db
from webapp.models import DiscountSource, Order, Voucher
from webapp.orders.placing import CheckoutError


@pytest.fixture
def cart(client, csrf, menu, clock):
    """Two Nasi Goreng (Rp50.000) in the cart; it is 22 November 2026."""
    add_to_cart(client, csrf, menu["Nasi Goreng"].id, "2")
    return client


def check_out(client, code: str, **fields):
    return client.post("/checkout", data=checkout_form(client) | {"voucher": code} | fields)


def test_a_voucher_comes_off_before_service_and_tax_and_the_order_keeps_it(cart, menu):
    make.bill_settings()  # 5% service, 10% PB1
    voucher = make.voucher("HEMAT10")
    placed = check_out(cart, " hemat10 ")  # as typed: case and spaces do not matter
    assert placed.status_code == 303
    order = db.session.scalars(db.select(Order)).one()
    # 50.000 - 10% = 45.000; service 2.250; PB1 4.725
    assert (order.bill_discount, order.bill_subtotal, order.bill_service, order.bill_tax, order.total) == (
        5_000,
        45_000,
        2_250,
        4_725,
        51_975,
    )
    [kept] = order.discounts
    assert (kept.source, kept.label, kept.amount, kept.voucher_id, kept.order_item_id) == (
        DiscountSource.VOUCHER,
        "HEMAT10",
        5_000,
        voucher.id,
        None,
    )
    assert reload(voucher).uses == 1
    receipt_rows = visible_text(cart.get(f"/orders/{order.public_id}").get_data(as_text=True))
    assert "Voucher HEMAT10 -10% -Rp5.000" in receipt_rows


def test_pakai_shows_the_figures_with_the_voucher_and_places_nothing(cart):
    make.voucher("POTONG5", amount=5_000)
    shown = check_out(cart, "potong5", apply_voucher="1", customer_name="")
    assert shown.status_code == 200
    text = visible_text(shown.get_data(as_text=True))
    assert "Diskon -Rp5.000" in text and "Pesan sekarang · Rp45.000" in text and 'value="potong5"' in shown.text
    assert "Nama wajib diisi" not in text  # only the voucher is looked at
    assert count(Order) == 0 and Voucher.query.one().uses == 0


@pytest.mark.parametrize(
    "voucher, message",
    [
        ({"code": "LAIN"}, "Kode voucher tidak dikenal."),
        ({"days": ("2026-11-01", "2026-11-21")}, "Voucher ini sudah kedaluwarsa (21/11/2026)."),
        ({"days": ("2026-11-23", "2026-11-30")}, "Voucher ini baru berlaku mulai 23/11/2026."),
        ({"min_spend": 50_001}, "Voucher ini untuk belanja minimal Rp50.001."),
    ],
)
def test_a_voucher_that_cannot_be_used_says_why_on_its_field(cart, voucher, message):
    make.voucher(**voucher)
    refused = check_out(cart, "HEMAT10")
    assert refused.status_code == 422
    assert f'<p class="error" id="voucher-error">{message}</p>' in refused.text
    assert count(Order) == 0


def test_a_used_up_or_switched_off_voucher_is_refused(cart, menu):
    voucher = make.voucher("SEKALI", uses=1)
    make.order(menu, on_order=[vouchers.offer("SEKALI", 50_000)])
    assert reload(voucher).uses == 1
    refused = check_out(cart, "SEKALI")
    assert refused.status_code == 422 and "Voucher ini sudah habis dipakai." in refused.text
    other = make.voucher("MATI")
    vouchers.disable_voucher(other, "cashier:budi")
    refused = check_out(cart, "MATI")
    assert refused.status_code == 422 and "Voucher ini sudah tidak berlaku." in refused.text
    assert count(Order) == 1


def test_a_voucher_used_up_between_showing_and_placing_places_nothing(cart, menu):
    voucher = make.voucher("TERAKHIR", uses=1)
    offered = vouchers.offer("TERAKHIR", 50_000)  # checked while there was a use left...
    make.order(menu, on_order=[offered])  # ...and the last use taken
    with pytest.raises(CheckoutError, match="habis dipakai"):
        make.order(menu, on_order=[offered])
    assert reload(voucher).uses == 1 and count(Order) == 1


def test_the_minimum_spend_counts_the_lines_after_their_promotions(cart, menu, clock):
    clock.current = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 15.00 WIB
    make.promotion(menu, items=("Nasi Goreng",), categories=())  # 50.000 -> 40.000
    make.voucher(min_spend=45_000)
    refused = check_out(cart, "HEMAT10")
    assert refused.status_code == 422 and "belanja minimal Rp45.000" in refused.text


def test_the_qris_amount_at_the_sandbox_has_the_voucher_off(cart, sandbox):
    make.voucher("POTONG5", amount=5_000)
    assert check_out(cart, "POTONG5", payment_method="qris").status_code == 303
    payment = db.session.scalars(db.select(Order)).one().current_payment
    assert payment.amount == 45_000 and sandbox.extensions["sandbox_store"].get(payment.reference).amount == 45_000
