"""Paying a table's bill share by share, each by its own QRIS through the Duitku sandbox
or in cash at the counter: a share is paid once, the bill is settled once, and money
that arrives for a share that no longer wants it is kept and flagged."""

import pytest
from sqlalchemy import func, select

from tests import factories as make
from tests.db_helpers import reload
from tests.duitku_side import callback_form, pay_on_sandbox
from webapp.bills import bill_closing, bill_splits, share_payments
from webapp.bills.table_bills import bill_view
from webapp.extensions import db
from webapp.models import (
    AttentionReason,
    BillEvent,
    BillStatus,
    CloseReason,
    Payment,
    PaymentEvent,
    PaymentStatus,
    ShareStatus,
    TableBill,
)
from webapp.payments import callbacks, qris_payments, reconcile
from webapp.state import IllegalTransition

CUSTOMER = "customer"


@pytest.fixture
def bill(app, menu, clock):
    """Table 4 after two rounds: Rina (Nasi Goreng, Es Teh), Budi (two Nasi Goreng), then
    Sari (Es Teh). 85.000 + 5% service 4.250 + 10% tax 8.925 = Rp98.175."""
    make.pay_later()
    make.bill_order(menu, name="Rina", now=clock())
    make.bill_order(menu, name="Budi", lines=make.TWO_NASI_GORENG, now=clock())
    clock.advance(minutes=30)
    make.bill_order(menu, name="Sari", lines=(("Es Teh Manis", 1),), now=clock())
    return make.open_bill()


def events(bill, kind: str) -> list[BillEvent]:
    return list(
        db.session.scalars(
            select(BillEvent).where(BillEvent.bill_id == bill.id, BillEvent.kind == kind).order_by(BillEvent.id)
        )
    )


def claim_named(bill, share, name: str, index: int = 0) -> None:
    portion = [p for p in bill_view(reload(bill)).portions if p.item.name == name][index]
    bill_splits.claim(bill, share, portion.item.id, portion.unit)


def test_three_friends_split_by_items_two_pay_by_qris_one_in_cash(bill, clock, sandbox, live_app):
    bill_splits.split_by_items(bill, CUSTOMER, clock())
    rina, budi, sari = (bill_splits.join(bill, name, CUSTOMER, clock()) for name in ("Rina", "Budi", "Sari"))
    claim_named(bill, rina, "Nasi Goreng", 0)
    claim_named(bill, rina, "Es Teh Manis", 0)
    claim_named(bill, budi, "Nasi Goreng", 1)
    claim_named(bill, budi, "Nasi Goreng", 2)
    claim_named(bill, sari, "Es Teh Manis", 1)
    shares = bill_splits.lock_items(bill, CUSTOMER, clock())
    assert {share.payer_name: share.amount for share in shares} == {"Rina": 34_650, "Budi": 57_750, "Sari": 5775}
    assert sum(share.amount for share in shares) == 98_175

    for share in (rina, budi):
        payment = share_payments.create_share_qris(reload(share), clock())
        assert payment.amount == reload(share).amount
        pay_on_sandbox(sandbox, payment)
        assert reload(share).status == ShareStatus.PAID
        assert reload(bill).status == BillStatus.OPEN
    share_payments.confirm_share_cash(reload(sari), 10_000, "cashier:sari", clock())

    bill = reload(bill)
    assert bill.status == BillStatus.SETTLED and bill.settled_at == clock()
    assert len(events(bill, "settled")) == 1
    paid = db.session.scalars(
        select(Payment).where(Payment.share_id.in_([s.id for s in shares]), Payment.status == PaymentStatus.PAID)
    ).all()
    assert sorted((p.provider, p.amount) for p in paid) == [("cash", 5775), ("duitku", 34_650), ("duitku", 57_750)]
    assert [s.paid_method for s in bill.shares] == ["duitku", "duitku", "cash"]


def test_an_even_split_where_one_qr_expires_and_is_renewed(bill, clock, sandbox, live_app):
    first, second = bill_splits.split_evenly(bill, 2, CUSTOMER, clock())
    assert [first.amount, second.amount] == [49_088, 49_087]
    expired = share_payments.create_share_qris(first, clock())
    clock.advance(minutes=11)
    reconcile.reconcile_if_due(expired, clock())
    assert reload(expired).status == PaymentStatus.EXPIRED
    assert reload(first).status == ShareStatus.OPEN
    renewed = share_payments.create_share_qris(reload(first), clock())
    assert renewed.id != expired.id and renewed.amount == 49_088
    pay_on_sandbox(sandbox, renewed)
    pay_on_sandbox(sandbox, share_payments.create_share_qris(reload(second), clock()))
    assert reload(bill).status == BillStatus.SETTLED
    assert [reload(share).status for share in (first, second)] == [ShareStatus.PAID, ShareStatus.PAID]


def test_a_duplicated_callback_pays_the_share_once(bill, clock, sandbox):
    share = bill_splits.pay_whole(bill, CUSTOMER, clock())
    payment = share_payments.create_share_qris(share, clock())
    sandbox.extensions["sandbox_store"].settle(payment.reference, "00", "93600914", clock())
    form = callback_form(payment)
    outcomes = [callbacks.handle_duitku_callback(form, clock()) for _ in range(3)]
    assert [outcome.message for outcome in outcomes] == ["paid", "duplicate: already paid", "duplicate: already paid"]
    assert len(events(bill, "share_paid")) == 1 and len(events(bill, "settled")) == 1
    assert reload(bill).needs_attention is False


def test_money_for_a_share_paid_in_cash_meanwhile_is_kept_and_flagged(bill, clock, sandbox):
    share = bill_splits.pay_whole(bill, CUSTOMER, clock())
    payment = share_payments.create_share_qris(share, clock())
    share_payments.confirm_share_cash(reload(share), 100_000, "cashier:sari", clock())
    assert reload(payment).status == PaymentStatus.CANCELLED  # the pending QR, cancelled by the cash
    sandbox.extensions["sandbox_store"].settle(payment.reference, "00", "93600914", clock())
    outcome = callbacks.handle_duitku_callback(callback_form(payment), clock())
    assert outcome.http_status == 200
    assert reload(payment).status == PaymentStatus.PAID  # the money is recorded
    bill = reload(bill)
    assert bill.status == BillStatus.SETTLED and len(events(bill, "settled")) == 1
    assert bill.needs_attention and bill.attention_reason == AttentionReason.PAID_FOR_CLOSED_SHARE
    assert bill.attention_params == {"position": 1, "share_status": "paid", "bill_status": "settled"}
    flagged = db.session.scalar(
        select(func.count())
        .select_from(PaymentEvent)
        .where(PaymentEvent.payment_id == payment.id, PaymentEvent.flagged)
    )
    assert flagged == 1
    [late] = events(bill, "late_money")
    assert late.params["amount"] == payment.amount
    bill_closing.resolve_attention(bill, "cashier:sari", clock())
    assert reload(bill).needs_attention is False


def test_a_signed_callback_with_another_amount_flags_the_bill(bill, clock, sandbox):
    share = bill_splits.pay_whole(bill, CUSTOMER, clock())
    payment = share_payments.create_share_qris(share, clock())
    outcome = callbacks.handle_duitku_callback(callback_form(payment, amount="1000"), clock())
    assert (outcome.http_status, outcome.message) == (200, "recorded: amount mismatch")
    bill = reload(bill)
    assert (bill.needs_attention, bill.attention_reason) == (True, AttentionReason.AMOUNT_MISMATCH)
    assert bill.attention_params == {"received": "1000", "expected": 98_175}
    assert reload(share).status == ShareStatus.OPEN


def test_a_late_success_for_an_expired_qr_still_pays_an_unpaid_share(bill, clock, sandbox):
    share = bill_splits.pay_whole(bill, CUSTOMER, clock())
    payment = share_payments.create_share_qris(share, clock())
    sandbox.extensions["sandbox_store"].settle(payment.reference, "00", "93600914", clock())
    clock.advance(minutes=11)
    db.session.execute(Payment.__table__.update().values(status="expired").where(Payment.__table__.c.id == payment.id))
    db.session.commit()
    callbacks.handle_duitku_callback(callback_form(payment), clock())
    assert reload(share).status == ShareStatus.PAID
    assert reload(bill).status == BillStatus.SETTLED and not reload(bill).needs_attention


def test_a_share_qr_needs_a_locked_split(bill, clock):
    bill_splits.split_by_items(bill, CUSTOMER, clock())
    share = bill_splits.join(bill, "Rina", CUSTOMER, clock())
    with pytest.raises(qris_payments.PaymentNotAllowed):
        share_payments.create_share_qris(share, clock())


def test_a_share_under_duitkus_qris_minimum_is_paid_in_cash(bill, clock):
    shares = bill_splits.split_evenly(bill, 10, CUSTOMER, clock())
    assert shares[0].amount == 9818
    with pytest.raises(qris_payments.PaymentNotAllowed):
        share_payments.create_share_qris(shares[0], clock())
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 0
    share_payments.confirm_share_cash(reload(shares[0]), 10_000, "cashier:sari", clock())
    assert reload(shares[0]).status == ShareStatus.PAID


def test_two_phones_on_one_share_see_one_qr(bill, clock, sandbox):
    share = bill_splits.pay_whole(bill, CUSTOMER, clock())
    assert share_payments.create_share_qris(share, clock()).id == share_payments.create_share_qris(share, clock()).id


def test_cash_for_a_share_must_cover_it_and_is_taken_once(bill, clock):
    first, _second = bill_splits.split_evenly(bill, 2, CUSTOMER, clock())
    with pytest.raises(IllegalTransition, match="kurang"):
        share_payments.confirm_share_cash(first, 49_000, "cashier:sari", clock())
    share_payments.confirm_share_cash(reload(first), 50_000, "cashier:sari", clock())
    with pytest.raises(IllegalTransition, match="Bagian 1 sudah lunas"):
        share_payments.confirm_share_cash(reload(first), 50_000, "cashier:budi", clock())
    change = db.session.scalars(select(PaymentEvent.note_params).where(PaymentEvent.kind == "cash_confirmed")).all()
    assert change == [{"tendered": 50_000, "change": 912}]


@pytest.mark.parametrize("split", ["none", "items", "even_half_paid"])
def test_cash_for_the_rest_settles_the_bill_however_it_was_split(bill, clock, split):
    if split == "items":
        bill_splits.split_by_items(bill, CUSTOMER, clock())
        bill_splits.join(bill, "Rina", CUSTOMER, clock())
    elif split == "even_half_paid":
        first, *_ = bill_splits.split_evenly(bill, 3, CUSTOMER, clock())
        share_payments.confirm_share_cash(first, first.amount, "cashier:sari", clock())
    to_pay = bill_view(reload(bill)).to_pay
    payment = share_payments.take_cash_for_rest(reload(bill), 100_000, "cashier:sari", clock())
    assert payment.amount == to_pay
    bill = reload(bill)
    assert bill.status == BillStatus.SETTLED
    assert sum(share.amount for share in bill.shares if share.status == ShareStatus.PAID) == bill.total == 98_175


def test_closing_a_bill_cancels_what_is_unpaid_and_late_money_is_flagged(bill, clock, sandbox):
    first, second = bill_splits.split_evenly(bill, 2, CUSTOMER, clock())
    share_payments.confirm_share_cash(first, first.amount, "cashier:sari", clock())
    pending = share_payments.create_share_qris(reload(second), clock())
    bill_closing.close_bill(
        reload(bill), CloseReason.WALK_OUT, "  pergi  lewat pintu samping ", "cashier:sari", clock()
    )
    bill = reload(bill)
    assert (bill.status, bill.close_reason, bill.close_note, bill.closed_by) == (
        BillStatus.CLOSED,
        CloseReason.WALK_OUT,
        "pergi lewat pintu samping",
        "cashier:sari",
    )
    assert [share.status for share in bill.shares] == [ShareStatus.PAID, ShareStatus.CANCELLED]
    assert reload(pending).status == PaymentStatus.CANCELLED
    sandbox.extensions["sandbox_store"].settle(pending.reference, "00", "93600914", clock())
    callbacks.handle_duitku_callback(callback_form(pending), clock())
    assert reload(pending).status == PaymentStatus.PAID
    bill = reload(bill)
    assert bill.status == BillStatus.CLOSED and bill.needs_attention
    assert bill.attention_params["bill_status"] == "closed"
    with pytest.raises(IllegalTransition, match="ditutup"):
        bill_closing.close_bill(bill, CloseReason.COMPED, "", "cashier:sari", clock())


def test_moving_an_order_to_another_table_moves_it_to_that_tables_bill(bill, menu, clock):
    order = bill_view(bill).orders[-1]  # Sari's Es Teh
    other = make.bill_order(menu, table="7", name="Dewi", now=clock())
    bill_closing.move_order(order, make.dining_table("7"), "cashier:sari", clock())
    order = reload(order)
    assert (order.bill_id, order.table_label) == (other.bill_id, "7")
    assert bill_view(reload(bill)).figures.subtotal == 80_000
    assert order.history[-1].reason == "moved_table"
    assert order.history[-1].reason_params == {"from_table": "4", "to_table": "7"}
    assert [e.params["number"] for e in events(bill, "order_moved_out")] == [order.number]


def test_a_bill_left_without_orders_is_closed(menu, app, clock):
    make.pay_later()
    order = make.bill_order(menu, table="2", now=clock())
    source = order.bill_id
    bill_closing.move_order(order, make.dining_table("3"), "cashier:sari", clock())
    emptied = db.session.get(TableBill, source)
    assert (emptied.status, emptied.close_reason) == (BillStatus.CLOSED, CloseReason.EMPTIED)
    assert reload(order).bill.table_label == "3"


def test_a_bill_emptied_while_split_by_items_is_closed_with_nothing_left_to_pay(menu, app, clock):
    make.pay_later()
    order = make.bill_order(menu, table="2", now=clock())
    bill = reload(order).bill
    bill_splits.split_by_items(bill, CUSTOMER, clock())
    joined = [bill_splits.join(bill, name, CUSTOMER, clock()) for name in ("Rina", "Budi")]
    bill_closing.move_order(reload(order), make.dining_table("3"), "cashier:sari", clock())
    emptied = reload(bill)
    assert (emptied.status, emptied.close_reason) == (BillStatus.CLOSED, CloseReason.EMPTIED)
    assert [reload(share).status for share in joined] == [ShareStatus.CANCELLED] * 2


def test_an_order_on_a_bill_being_paid_cannot_move(bill, clock):
    bill_splits.split_evenly(bill, 2, CUSTOMER, clock())
    order = bill_view(reload(bill)).orders[0]
    with pytest.raises(IllegalTransition, match="sedang dibayar"):
        bill_closing.move_order(order, make.dining_table("7"), "cashier:sari", clock())
    assert reload(order).table_label == "4"


def test_a_settled_bill_has_one_receipt_with_every_order_and_each_shares_payment(bill, clock, sandbox, client):
    make.bill_settings(merchant_address="Jl. Braga 12, Bandung", payment_timing="pay_later")
    first, second = bill_splits.split_evenly(bill, 2, CUSTOMER, clock())
    assert client.get(f"/bills/{bill.public_id}/receipt").status_code == 404  # not settled yet
    payment = share_payments.create_share_qris(first, clock())
    sandbox.extensions["sandbox_store"].settle(payment.reference, "00", "93600914", clock())
    callbacks.handle_duitku_callback(callback_form(payment, issuerCode="93600914"), clock())
    share_payments.confirm_share_cash(reload(second), 50_000, "cashier:sari", clock())
    page = client.get(f"/bills/{bill.public_id}").get_data(as_text=True)
    assert f"/bills/{bill.public_id}/receipt" in page
    receipt = client.get(f"/bills/{bill.public_id}/receipt?paper=58").get_data(as_text=True)
    for text in ("Jl. Braga 12, Bandung", "Meja 4", "Rina, Budi, Sari", "Es Teh Manis", "Rp85.000", "Rp4.250"):
        assert text in receipt
    for text in ("Rp8.925", "Rp98.175", "Bagian 1", "Rp49.088", "GoPay", "Bagian 2", "Rp49.087", "Rp50.000", "Rp913"):
        assert text in receipt
    assert "<dt>Kasir</dt><dd>sari</dd>" in receipt  # who took the cash
