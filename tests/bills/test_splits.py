"""Dividing a table's bill: whole, evenly, by items (claims), changing one's mind, and
paying the rest in one. Each refusal says why."""

import pytest

from tests import factories as make
from tests.db_helpers import count, reload
from webapp.bills import bill_splits, share_payments
from webapp.bills.table_bills import bill_view
from webapp.models import BillShare, BillStatus, PaymentStatus, ShareClaim, ShareStatus, SplitMode
from webapp.state import IllegalTransition

CUSTOMER = "customer"


@pytest.fixture
def bill(app, menu, clock):
    """Table 4's bill: Rina's Nasi Goreng + Es Teh (Rp30.000), Budi's two Nasi Goreng
    (Rp50.000); 5% service and 10% tax: 80.000 + 4.000 + 8.400 = Rp92.400."""
    make.pay_later()
    make.bill_order(menu, name="Rina", now=clock())
    make.bill_order(menu, name="Budi", lines=make.TWO_NASI_GORENG, now=clock())
    return make.open_bill()


def amounts(shares) -> list[int]:
    return [share.amount for share in shares]


def test_the_whole_bill_as_one_share(bill, clock):
    share = bill_splits.pay_whole(bill, CUSTOMER, clock())
    assert (share.amount, share.subtotal, share.service, share.tax) == (92_400, 80_000, 4000, 8400)
    bill = reload(bill)
    assert (bill.split_mode, bill.total, bill.is_locked) == (SplitMode.WHOLE, 92_400, True)


def test_an_even_split_sums_to_the_bill(bill, clock):
    shares = bill_splits.split_evenly(bill, 3, CUSTOMER, clock())
    assert amounts(shares) == [30_800, 30_800, 30_800]
    assert [share.position for share in shares] == [1, 2, 3]


@pytest.mark.parametrize("payers", [1, 21])
def test_an_even_split_is_for_2_to_20(bill, clock, payers):
    with pytest.raises(IllegalTransition, match="2 sampai 20"):
        bill_splits.split_evenly(bill, payers, CUSTOMER, clock())
    assert reload(bill).split_mode is None


def test_a_split_is_chosen_once_until_it_is_cancelled(bill, clock):
    bill_splits.split_evenly(bill, 2, CUSTOMER, clock())
    with pytest.raises(IllegalTransition, match="sedang dibayar"):
        bill_splits.pay_whole(bill, CUSTOMER, clock())
    bill_splits.cancel_split(bill, CUSTOMER, clock())
    assert [share.status for share in reload(bill).shares] == [ShareStatus.CANCELLED] * 2
    assert reload(bill).split_mode is None
    [whole] = [bill_splits.pay_whole(bill, CUSTOMER, clock())]
    assert whole.position == 1 and whole.amount == 92_400  # numbered afresh


def items_split(bill, clock, names=("Rina", "Budi", "Sari")):
    bill_splits.split_by_items(bill, CUSTOMER, clock())
    return [bill_splits.join(bill, name, CUSTOMER, clock()) for name in names]


def portions(bill, name: str):
    """The (order item id, unit) of each portion of the item called `name`."""
    return [(p.item.id, p.unit) for p in bill_view(reload(bill)).portions if p.item.name == name]


def test_by_items_each_pays_what_they_claimed_and_a_part_of_the_rest(bill, clock):
    rina, budi, sari = items_split(bill, clock)
    nasi = portions(bill, "Nasi Goreng")
    assert len(nasi) == 3  # Rina's one and Budi's two
    bill_splits.claim(bill, rina, *nasi[0], clock())
    bill_splits.claim(bill, budi, *nasi[1], clock())
    bill_splits.claim(bill, sari, *nasi[2], clock())
    # The Es Teh (Rp5.000) nobody claimed is shared by all three.
    live = {line.share.payer_name: line.figures.total for line in bill_view(reload(bill)).share_lines}
    assert sum(live.values()) == 92_400
    locked = bill_splits.lock_items(bill, CUSTOMER, clock())
    assert {share.payer_name: share.amount for share in locked} == live
    assert live["Rina"] == live["Budi"] == live["Sari"] == 30_800


def test_a_portion_is_claimed_by_one_share_at_most(bill, clock):
    rina, budi, _sari = items_split(bill, clock)
    portion = portions(bill, "Es Teh Manis")[0]
    bill_splits.claim(bill, rina, *portion, clock())
    with pytest.raises(IllegalTransition, match="sudah diambil Rina"):
        bill_splits.claim(bill, budi, *portion, clock())
    assert count(ShareClaim) == 1
    bill_splits.unclaim(bill, rina, *portion, clock())
    bill_splits.claim(bill, budi, *portion, clock())
    assert [claim.share_id for claim in reload(bill).shares[1].claims] == [budi.id]


def test_only_portions_of_this_bill_can_be_claimed(bill, menu, clock):
    rina, *_ = items_split(bill, clock)
    other = make.bill_order(menu, table="9", now=clock())
    for item_id, unit in ((other.items[0].id, 1), (portions(bill, "Es Teh Manis")[0][0], 2)):
        with pytest.raises(IllegalTransition, match="tidak ada di tagihan"):
            bill_splits.claim(bill, rina, item_id, unit, clock())


def test_claims_stop_when_the_split_is_locked(bill, clock):
    rina, budi, _sari = items_split(bill, clock)
    bill_splits.claim(bill, rina, *portions(bill, "Nasi Goreng")[0], clock())
    bill_splits.lock_items(bill, CUSTOMER, clock())
    with pytest.raises(IllegalTransition, match="dikunci"):
        bill_splits.claim(bill, budi, *portions(bill, "Es Teh Manis")[0], clock())
    with pytest.raises(IllegalTransition, match="dikunci"):
        bill_splits.join(bill, "Dewi", CUSTOMER, clock())


def test_a_share_with_nothing_to_pay_is_dropped_at_the_lock(bill, clock):
    rina, budi, sari = items_split(bill, clock)
    for share, (name, index) in ((rina, ("Nasi Goreng", 0)), (budi, ("Nasi Goreng", 1)), (budi, ("Nasi Goreng", 2))):
        bill_splits.claim(bill, share, *portions(bill, name)[index], clock())
    bill_splits.claim(bill, rina, *portions(bill, "Es Teh Manis")[0], clock())
    kept = bill_splits.lock_items(bill, CUSTOMER, clock())
    assert [share.payer_name for share in kept] == ["Rina", "Budi"]
    assert sum(amounts(kept)) == 92_400
    assert reload(sari).status == ShareStatus.CANCELLED


def test_locking_needs_someone_to_pay(bill, clock):
    bill_splits.split_by_items(bill, CUSTOMER, clock())
    with pytest.raises(IllegalTransition, match="Belum ada yang ikut"):
        bill_splits.lock_items(bill, CUSTOMER, clock())


def test_the_split_cannot_change_once_a_share_is_paid_except_to_pay_the_rest_in_one(bill, clock):
    first, second, third = bill_splits.split_evenly(bill, 3, CUSTOMER, clock())
    share_payments.confirm_share_cash(first, 50_000, "cashier:sari", clock())
    with pytest.raises(IllegalTransition, match="Sudah ada yang membayar"):
        bill_splits.cancel_split(bill, CUSTOMER, clock())
    rest = bill_splits.pay_rest_in_one(bill, CUSTOMER, clock())
    assert (rest.rest, rest.amount, rest.position) == (True, 61_600, 2)
    assert [reload(share).status for share in (first, second, third)] == [
        ShareStatus.PAID,
        ShareStatus.CANCELLED,
        ShareStatus.CANCELLED,
    ]
    shares = [share for share in reload(bill).shares if share.status != ShareStatus.CANCELLED]
    assert sum(share.amount for share in shares) == 92_400
    for figure in ("subtotal", "service", "tax", "rounding"):
        assert sum(getattr(share, figure) for share in shares) == getattr(reload(bill), figure)


def test_cancelling_a_split_cancels_its_pending_qrs(bill, clock, sandbox):
    first, _second = bill_splits.split_evenly(bill, 2, CUSTOMER, clock())
    payment = share_payments.create_share_qris(first, clock())
    assert payment.status == PaymentStatus.PENDING and payment.amount == 46_200
    bill_splits.cancel_split(bill, CUSTOMER, clock())
    assert reload(payment).status == PaymentStatus.CANCELLED


def test_refusals_name_the_state_of_the_bill(bill, clock):
    share = bill_splits.pay_whole(bill, CUSTOMER, clock())
    share_payments.confirm_share_cash(share, share.amount, "cashier:sari", clock())
    assert reload(bill).status == BillStatus.SETTLED
    with pytest.raises(IllegalTransition, match="sudah lunas"):
        bill_splits.split_evenly(bill, 2, CUSTOMER, clock())
    assert count(BillShare) == 1
