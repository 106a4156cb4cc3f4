"""The bill rules (webapp/billing/bill.py): worked examples and properties over random carts and settings."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.billing.bill import ROUNDING_STEPS, BillRules, compute_bill
from webapp.models import PriceMode, RoundingDirection

PLUS_PLUS = PriceMode.EXCLUSIVE
NETT = PriceMode.INCLUSIVE


def test_the_issue_worked_example():
    bill = compute_bill(87_000, BillRules(tax_rate=1000, service_rate=500, rounding_step=500))
    assert (bill.subtotal, bill.service, bill.tax, bill.rounding, bill.total) == (87_000, 4_350, 9_135, 15, 100_500)
    assert (bill.service_rate, bill.tax_rate, bill.mode) == (500, 1000, PLUS_PLUS)


def test_the_defaults_change_nothing():
    bill = compute_bill(43_500, BillRules())
    assert (bill.subtotal, bill.service, bill.tax, bill.rounding, bill.total) == (43_500, 0, 0, 0, 43_500)


def test_each_component_is_rounded_half_up_to_the_rupiah():
    # service 5% of 12.345 = 617,25 -> 617; tax 10% of 12.962 = 1.296,2 -> 1.296
    bill = compute_bill(12_345, BillRules(tax_rate=1000, service_rate=500))
    assert (bill.service, bill.tax, bill.total) == (617, 1_296, 14_258)
    # tax 11% of 150 = 16,5 -> 17 (a half goes up)
    assert compute_bill(150, BillRules(tax_rate=1100)).tax == 17


@pytest.mark.parametrize(
    "step, direction, expected_rounding",
    [
        (100, RoundingDirection.UP, 15),  # 100.485 -> 100.500
        (100, RoundingDirection.NEAREST, 15),
        (500, RoundingDirection.NEAREST, 15),
        (1000, RoundingDirection.UP, 515),  # -> 101.000
        (1000, RoundingDirection.NEAREST, -485),  # -> 100.000
    ],
)
def test_rounding_is_its_own_line(step, direction, expected_rounding):
    bill = compute_bill(87_000, BillRules(1000, 500, rounding_step=step, rounding_direction=direction))
    assert bill.rounding == expected_rounding
    assert bill.total == 100_485 + expected_rounding


def test_rounding_to_the_nearest_takes_a_half_up():
    assert (
        compute_bill(1_250, BillRules(rounding_step=500, rounding_direction=RoundingDirection.NEAREST)).total == 1_500
    )


def test_nett_prices_include_service_and_tax():
    bill = compute_bill(100_485, BillRules(1000, 500, NETT))
    assert (bill.subtotal, bill.service, bill.tax, bill.rounding, bill.total) == (87_000, 4_350, 9_135, 0, 100_485)


def test_a_nett_price_no_plus_plus_subtotal_reaches_still_sums_exactly():
    plus_plus, nett = BillRules(1000, 1000), BillRules(1000, 1000, NETT)
    reached = {sum(_before_rounding(compute_bill(subtotal, plus_plus))) for subtotal in range(80_000, 80_100)}
    skipped = min(set(range(min(reached), max(reached))) - reached)
    bill = compute_bill(skipped, nett)
    assert sum(_before_rounding(bill)) == skipped
    assert bill.subtotal == 1 + max(
        s for s in range(80_000, 80_100) if sum(_before_rounding(compute_bill(s, plus_plus))) < skipped
    )


def _before_rounding(bill):
    return bill.subtotal, bill.service, bill.tax


def test_service_can_be_left_off_takeaway():
    rules = BillRules(tax_rate=1000, service_rate=500, service_on_takeaway=False)
    takeaway = compute_bill(20_000, rules, takeaway=True)
    assert (takeaway.service, takeaway.service_rate, takeaway.tax, takeaway.total) == (0, 0, 2_000, 22_000)
    assert compute_bill(20_000, rules, takeaway=False).service == 1_000


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError, match="negative"):
        compute_bill(-1, BillRules())


carts = st.lists(st.tuples(st.integers(1, 500_000), st.integers(1, 99)), min_size=1, max_size=20)
rules = st.builds(
    BillRules,
    tax_rate=st.integers(0, 1000),
    service_rate=st.integers(0, 2000),
    mode=st.sampled_from(PriceMode),
    service_on_takeaway=st.booleans(),
    rounding_step=st.sampled_from(ROUNDING_STEPS),
    rounding_direction=st.sampled_from(RoundingDirection),
)


def lines_total(cart) -> int:
    return sum(price * quantity for price, quantity in cart)


@given(carts, rules, st.booleans())
def test_the_components_sum_to_the_total_and_none_is_negative(cart, bill_rules, takeaway):
    bill = compute_bill(lines_total(cart), bill_rules, takeaway)
    assert bill.subtotal + bill.service + bill.tax + bill.rounding == bill.total
    assert min(bill.subtotal, bill.service, bill.tax, bill.total) >= 0
    if bill_rules.mode == NETT:
        assert bill.subtotal + bill.service + bill.tax == lines_total(cart)
    else:
        assert bill.subtotal == lines_total(cart)


@given(carts, rules, st.booleans())
def test_the_rounding_stays_within_its_step(cart, bill_rules, takeaway):
    bill = compute_bill(lines_total(cart), bill_rules, takeaway)
    step = bill_rules.rounding_step
    if step == 0:
        assert bill.rounding == 0
        return
    assert bill.total % step == 0
    if bill_rules.rounding_direction == RoundingDirection.UP:
        assert 0 <= bill.rounding < step
    else:
        assert -step // 2 < bill.rounding <= step // 2


@given(carts, rules)
def test_nett_and_plus_plus_agree_on_the_same_effective_price(cart, bill_rules):
    """The "++" bill of a cart and the nett bill of its effective price (what "++" asks
    before rounding) have the same subtotal, service, tax, rounding and total."""
    plus_plus = compute_bill(lines_total(cart), BillRules(**{**vars(bill_rules), "mode": PLUS_PLUS}))
    effective = plus_plus.subtotal + plus_plus.service + plus_plus.tax
    nett = compute_bill(effective, BillRules(**{**vars(bill_rules), "mode": NETT}))
    figures = ("subtotal", "service", "tax", "rounding", "total")
    assert [getattr(nett, name) for name in figures] == [getattr(plus_plus, name) for name in figures]


@given(st.integers(0, 10_000_000), rules)
def test_a_nett_bill_never_exceeds_the_menu_price(amount, bill_rules):
    bill = compute_bill(amount, BillRules(**{**vars(bill_rules), "mode": NETT}))
    assert bill.service + bill.tax <= amount
