"""Discounts in the bill (webapp/billing/bill.py): taken before service and tax, every
figure whole rupiah, a percentage rounded half up on the amount it is taken off."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.billing.bill import (
    BASIS,
    ROUNDING_STEPS,
    BillRules,
    Discount,
    compute_bill,
    divide,
    half_up,
    line_discounts,
    order_discounts,
    split_bill,
)
from webapp.models import DiscountKind, PriceMode, RoundingDirection

PERCENT, AMOUNT = DiscountKind.PERCENT, DiscountKind.AMOUNT


def percent(whole: float) -> Discount:
    return Discount(PERCENT, round(whole * 100))


def test_the_worked_example_a_fifth_off_before_service_and_tax():
    """Rp100.000 of lines, 20% off: service 5% and PB1 10% on the Rp80.000 the customer
    pays, rounded up to Rp500."""
    rules = BillRules(tax_rate=1000, service_rate=500, rounding_step=500)
    bill = compute_bill(100_000, rules, discount=percent(20).off(100_000))
    assert (bill.discount, bill.subtotal, bill.service, bill.tax, bill.rounding, bill.total) == (
        20_000,
        80_000,
        4_000,
        8_400,
        100,
        92_500,
    )
    assert bill.before_discount == 100_000


def test_a_percentage_rounds_half_up_on_the_amount_it_is_taken_off():
    assert percent(10).off(12_345) == 1_235  # 1.234,5 -> 1.235
    assert percent(10).off(12_344) == 1_234  # 1.234,4 -> 1.234
    assert percent(12.5).off(1_004) == 126  # 125,5 -> 126
    assert percent(100).off(7_777) == 7_777


def test_an_amount_never_takes_more_than_there_is():
    assert Discount(AMOUNT, 5_000).off(3_000) == 3_000
    assert Discount(AMOUNT, 5_000).off(8_000) == 5_000


@pytest.mark.parametrize("kind, value", [(PERCENT, 0), (PERCENT, BASIS + 1), (AMOUNT, 0), (AMOUNT, -1)])
def test_a_discount_is_more_than_nothing_and_at_most_everything(kind, value):
    with pytest.raises(ValueError, match="at most 100%"):
        Discount(kind, value)


def test_a_promotion_is_off_each_unit_then_the_line_discount_off_what_is_left():
    # 3 x Rp5.005 with 15% off each unit (750,75 -> 751), then Rp1.000 off the line
    assert line_discounts(5_005, 3, percent(15), Discount(AMOUNT, 1_000)) == (2_253, 1_000)
    # the line discount is a percentage of the promoted line: 10% of 3 x 4.254 = 1.276,2 -> 1.276
    assert line_discounts(5_005, 3, percent(15), percent(10)) == (2_253, 1_276)
    assert line_discounts(5_000, 2, None, None) == (0, 0)


def test_order_discounts_each_take_off_what_the_ones_before_left():
    assert order_discounts(50_000, [percent(10), Discount(AMOUNT, 10_000)]) == [5_000, 10_000]
    assert order_discounts(50_000, [Discount(AMOUNT, 10_000), percent(10)]) == [10_000, 4_000]
    assert order_discounts(8_000, [Discount(AMOUNT, 10_000), percent(50)]) == [8_000, 0]


def test_nett_prices_derive_service_and_tax_from_what_is_paid():
    bill = compute_bill(110_000, BillRules(1000, 0, PriceMode.INCLUSIVE), discount=11_000)
    assert (bill.subtotal, bill.tax, bill.total, bill.discount) == (90_000, 9_000, 99_000, 11_000)
    assert bill.before_discount == 110_000


def test_a_discount_above_the_lines_is_refused():
    with pytest.raises(ValueError, match="negative"):
        compute_bill(10_000, BillRules(), discount=10_001)


lines = st.integers(0, 5_000_000)
rules = st.builds(
    BillRules,
    tax_rate=st.integers(0, 1000),
    service_rate=st.integers(0, 2000),
    mode=st.sampled_from(PriceMode),
    service_on_takeaway=st.booleans(),
    rounding_step=st.sampled_from(ROUNDING_STEPS),
    rounding_direction=st.sampled_from(RoundingDirection),
)


@given(lines, rules, st.booleans())
def test_without_a_discount_every_figure_is_as_before(amount, bill_rules, takeaway):
    assert compute_bill(amount, bill_rules, takeaway, discount=0) == compute_bill(amount, bill_rules, takeaway)


@given(lines, st.integers(0, 5_000_000), rules, st.booleans())
def test_the_discount_comes_off_before_service_and_tax(amount, off, bill_rules, takeaway):
    off = min(off, amount)
    bill = compute_bill(amount, bill_rules, takeaway, discount=off)
    assert bill.subtotal + bill.service + bill.tax + bill.rounding == bill.total
    assert min(bill.subtotal, bill.service, bill.tax, bill.total, bill.discount) >= 0
    assert bill.discount == off and bill.before_discount == amount
    paid_for = amount - off
    # the very figures of lines worth what the customer pays, the discount apart
    undiscounted = compute_bill(paid_for, bill_rules, takeaway)
    assert (bill.subtotal, bill.service, bill.tax, bill.rounding, bill.total) == (
        undiscounted.subtotal,
        undiscounted.service,
        undiscounted.tax,
        undiscounted.rounding,
        undiscounted.total,
    )
    if bill_rules.mode == PriceMode.EXCLUSIVE:
        assert bill.subtotal == paid_for
        assert bill.tax == half_up(bill.subtotal + bill.service, bill_rules.tax_rate)


weights = st.lists(st.integers(0, 500_000), min_size=1, max_size=20).filter(lambda found: sum(found) > 0)


@given(lines, st.integers(0, 5_000_000), rules, weights, st.booleans())
def test_split_shares_sum_exactly_to_every_figure_the_discount_too(amount, off, bill_rules, share_weights, targeted):
    bill = compute_bill(amount, bill_rules, discount=min(off, amount))
    discount_weights = list(reversed(share_weights)) if targeted else None
    shares = split_bill(bill, share_weights, bill_rules.rounding_step, discount_weights)
    for figure in ("subtotal", "service", "tax", "rounding", "total", "discount"):
        assert sum(getattr(share, figure) for share in shares) == getattr(bill, figure)
    for share in shares:
        assert share.subtotal + share.service + share.tax + share.rounding == share.total


def test_a_split_gives_the_discount_to_who_got_it():
    """Rina ate the Rp20.000 dish at 50% off, Budi a Rp10.000 one at full price."""
    bill = compute_bill(30_000, BillRules(tax_rate=1000), discount=10_000)
    rina, budi = split_bill(bill, [10_000, 10_000], discount_weights=[10_000, 0])
    assert (rina.discount, budi.discount) == (10_000, 0)
    assert (rina.total, budi.total) == (11_000, 11_000)
    assert divide(10_000, [1, 1]) == [5_000, 5_000]
