"""Dividing a bill among payers (webapp/billing/bill.py): every figure divided on its
own by largest remainder, so the shares always sum exactly to the bill."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.billing.bill import BillRules, compute_bill, divide, item_weights, split_bill
from webapp.models import PriceMode, RoundingDirection

rules = st.builds(
    BillRules,
    tax_rate=st.integers(0, 1000),
    service_rate=st.integers(0, 2000),
    mode=st.sampled_from(PriceMode),
    rounding_step=st.sampled_from((0, 100, 500, 1000)),
    rounding_direction=st.sampled_from(RoundingDirection),
)
weights = st.lists(st.integers(0, 500_000), min_size=1, max_size=20).filter(lambda found: sum(found) > 0)


def test_the_worked_example_split_evenly_among_three():
    bill = compute_bill(87_000, BillRules(tax_rate=1000, service_rate=500, rounding_step=500))
    assert (bill.subtotal, bill.service, bill.tax, bill.rounding, bill.total) == (87_000, 4350, 9135, 15, 100_500)
    shares = split_bill(bill, [1, 1, 1])
    assert [share.total for share in shares] == [33_500, 33_500, 33_500]
    assert [share.subtotal for share in shares] == [29_000, 29_000, 29_000]
    assert [share.service for share in shares] == [1450, 1450, 1450]
    assert [share.tax for share in shares] == [3045, 3045, 3045]
    assert [share.rounding for share in shares] == [5, 5, 5]


def test_odd_rupiah_go_to_the_largest_remainders_then_to_the_first():
    assert divide(100, [1, 1, 1]) == [34, 33, 33]
    assert divide(10, [1, 2]) == [3, 7]
    assert divide(-10, [1, 1, 1]) == [-3, -3, -4]  # a rounding down takes from the last first
    assert divide(5, [0, 3]) == [0, 5]
    assert divide(1, [1, 1, 1], start=2) == [0, 0, 1]


@pytest.mark.parametrize("bad", [[], [0, 0], [1, -1]])
def test_weights_must_be_non_negative_and_not_all_zero(bad):
    with pytest.raises(ValueError, match="non-negative and not all zero"):
        divide(100, bad)


def test_item_weights_share_unclaimed_portions_evenly():
    # Rina ate the Rp25.000 portion; a Rp9.000 portion nobody claimed is shared by all three.
    assert item_weights([(25_000, 0), (9000, None)], 3) == [84_000, 9000, 9000]
    figures = compute_bill(34_000, BillRules())
    assert [share.total for share in split_bill(figures, item_weights([(25_000, 0), (9000, None)], 3))] == [
        28_000,
        3000,
        3000,
    ]


@given(st.integers(0, 5_000_000), rules, weights)
def test_shares_sum_exactly_to_every_figure_of_the_bill(lines_total, bill_rules, share_weights):
    bill = compute_bill(lines_total, bill_rules)
    shares = split_bill(bill, share_weights, bill_rules.rounding_step)
    assert sum(share.total for share in shares) == bill.total
    for figure in ("subtotal", "service", "tax", "rounding"):
        assert sum(getattr(share, figure) for share in shares) == getattr(bill, figure)
    for share, weight in zip(shares, share_weights, strict=True):
        assert share.total == share.subtotal + share.service + share.tax + share.rounding
        if weight == 0:
            assert share.total == 0
        assert share.subtotal >= 0 and share.service >= 0 and share.tax >= 0


@given(st.integers(0, 5_000_000), rules, weights)
def test_the_shares_of_a_rounded_bill_are_rounded_to_its_step(lines_total, bill_rules, share_weights):
    step = bill_rules.rounding_step
    shares = split_bill(compute_bill(lines_total, bill_rules), share_weights, step)
    assert all(share.total % (step or 1) == 0 for share in shares)


@given(st.integers(0, 5_000_000), rules.filter(lambda found: found.rounding_step == 0), st.integers(1, 20))
def test_an_even_split_differs_by_at_most_a_rupiah_per_figure_and_in_total(lines_total, bill_rules, payers):
    shares = split_bill(compute_bill(lines_total, bill_rules), [1] * payers)
    for figure in ("subtotal", "service", "tax", "rounding", "total"):
        values = [getattr(share, figure) for share in shares]
        assert max(values) - min(values) <= 1


@given(st.integers(0, 5_000_000), rules.filter(lambda found: found.rounding_step > 0), st.integers(1, 20))
def test_an_even_split_of_a_rounded_bill_differs_by_one_step_at_most(lines_total, bill_rules, payers):
    step = bill_rules.rounding_step
    totals = [share.total for share in split_bill(compute_bill(lines_total, bill_rules), [1] * payers, step)]
    assert max(totals) - min(totals) <= step


def test_a_bill_rounded_to_rp100_splits_into_shares_payable_in_cash():
    """The issue's bill: Rp116.700 (rounded up to Rp100) split by items was Rp34.663,
    Rp39.285 and Rp42.752; each share is now a multiple of Rp100, the first carrying
    the odd step of an even split."""
    bill = compute_bill(97_700, BillRules(tax_rate=1000, service_rate=850, rounding_step=100))
    assert bill.total == 116_700
    by_items = split_bill(bill, [29_000, 32_900, 35_800], 100)
    assert [share.total for share in by_items] == [34_600, 39_300, 42_800]
    assert sum(share.rounding for share in by_items) == bill.rounding
    assert [share.total for share in split_bill(bill, [1, 1, 1], 100)] == [38_900, 38_900, 38_900]
    assert [share.total for share in split_bill(bill, [1, 1, 1, 1], 100)] == [29_200, 29_200, 29_200, 29_100]


def test_the_odd_rupiah_of_one_figure_go_on_round_the_payers_where_the_last_stopped():
    # 80.000 / 3 leaves 2 rupiah (payers 1 and 2), 4.000 / 3 leaves 1 (payer 3): equal totals.
    shares = split_bill(compute_bill(80_000, BillRules(tax_rate=1000, service_rate=500)), [1, 1, 1])
    assert [share.subtotal for share in shares] == [26_667, 26_667, 26_666]
    assert [share.service for share in shares] == [1333, 1333, 1334]
    assert [share.total for share in shares] == [30_800, 30_800, 30_800]
    assert divide(-2, [1, 1, 1], start=2) == [-1, -1, 0]  # a rounding down takes back from the last given


@given(st.lists(st.tuples(st.integers(1, 200_000), st.none() | st.integers(0, 4)), max_size=30))
def test_item_weights_are_each_payers_portions_plus_an_even_part_of_the_rest(units):
    payers = 5
    found = item_weights(units, payers)
    shared = sum(price for price, payer in units if payer is None)
    for index, weight in enumerate(found):
        own = sum(price for price, payer in units if payer == index)
        assert weight == own * payers + shared
