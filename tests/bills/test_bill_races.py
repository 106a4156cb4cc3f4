"""Real races on a table's bill: two threads, each with its own app context (so its own
session and database connection), released together by a barrier, change one bill at
the same moment. PostgreSQL only: it runs transactions side by side, where SQLite runs
one writer at a time (the app begins each write transaction IMMEDIATE).

Each race runs a few rounds, each on a bill of its own (the races with two possible
winners also give each side a round ahead), and checks that whichever thread wins, the
outcome is one of the allowed ones and never a mix of both. Each test names the guard
it checks: without it, the test fails.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from tests import factories as make
from tests.db_helpers import count, reload
from tests.duitku_side import callback_form
from tests.races import at_once
from webapp.bills import bill_splits, share_payments
from webapp.bills.table_bills import bill_view
from webapp.extensions import db
from webapp.models import (
    BillEvent,
    BillShare,
    BillStatus,
    MenuItem,
    Order,
    Payment,
    PaymentEvent,
    PaymentStatus,
    ShareClaim,
    ShareStatus,
    TableBill,
)
from webapp.payments import callbacks
from webapp.state import IllegalTransition

ROUNDS = 4
LEADS = (None, 0, 1, None)  # which step of two goes ahead, round by round (None: an even start)
CUSTOMER, CASHIER = "customer", "cashier:sari"


pytestmark = pytest.mark.races


def history(bill: TableBill, kind: str) -> list[BillEvent]:
    return list(
        db.session.scalars(
            select(BillEvent).where(BillEvent.bill_id == bill.id, BillEvent.kind == kind).order_by(BillEvent.id)
        )
    )


@pytest.fixture
def bills(app, menu, clock):
    """`bills(n)`: n open bills (tables R1..Rn, new labels each call), each with Rp104.000
    of orders: 2 Nasi Goreng, 2 Mie Ayam and 2 Es Teh under no tax or service."""
    made = iter(range(1, 1000))

    def open_bills(number: int) -> list[TableBill]:
        make.pay_later(tax_rate=0, service_rate=0)
        labels = [f"R{next(made)}" for _ in range(number)]
        for label in labels:
            lines = (("Nasi Goreng", 2), ("Mie Ayam", 2), ("Es Teh Manis", 2))
            make.bill_order(menu, table=label, lines=lines, now=clock())
        return [make.open_bill(label) for label in labels]

    return open_bills


def paid_at_duitku(sandbox, share: BillShare, now) -> Payment:
    """The share's QR, paid by its payer at Duitku; its callback not sent yet."""
    payment = share_payments.create_share_qris(reload(share), now)
    assert sandbox.extensions["sandbox_store"].settle(payment.reference, "00", "93600914", now)
    return payment


def callback(form: dict[str, str], now) -> Callable[[], callbacks.CallbackOutcome]:
    return lambda: callbacks.handle_duitku_callback(form, now)


def cash(share_id: int, now) -> Callable[[], str]:
    """The cashier takes the share's amount in cash; the payment's provider."""

    def take() -> str:
        share = db.session.get_one(BillShare, share_id)
        return share_payments.confirm_share_cash(share, share.amount, CASHIER, now).provider

    return take


def test_the_last_two_shares_paid_at_once_settle_the_bill_exactly_once(app, bills, clock, sandbox):
    """One share's QR callback and the other's cash at the counter, at the same moment:
    whichever commits second sees the other's share paid and settles the bill. Guard:
    the bill's lock, taken first by both (`paying.mark_paid`, `share_payments._take_cash`)."""
    for opened in bills(ROUNDS):
        by_qr, by_cash = bill_splits.split_evenly(opened, 2, CUSTOMER, clock())
        form = callback_form(paid_at_duitku(sandbox, by_qr, clock()))
        answered, taken = at_once(app, callback(form, clock()), cash(by_cash.id, clock()))
        assert isinstance(answered, callbacks.CallbackOutcome) and answered.message == "paid", answered
        assert taken == "cash", taken
        bill = reload(opened)
        assert bill.status == BillStatus.SETTLED, "the bill was left unsettled with every share paid"
        assert len(history(bill, "settled")) == 1
        assert [share.status for share in bill.shares] == [ShareStatus.PAID, ShareStatus.PAID]
        assert sum(share.amount for share in bill.shares) == bill.total == 104_000


def claim(share_id: int, order_item_id: int, unit: int, now) -> Callable[[], None]:
    def claim_it() -> None:
        share = db.session.get_one(BillShare, share_id)
        bill_splits.claim(share.bill, share, order_item_id, unit, now)

    return claim_it


def test_two_shares_claiming_one_portion_at_once_get_it_once(app, bills, clock):
    """Guard: the unique index on a claim's portion (the bill's lock alone would let the
    second claim in after the first)."""
    for bill in bills(ROUNDS):
        bill_splits.split_by_items(bill, CUSTOMER, clock())
        rina, budi = (bill_splits.join(bill, name, CUSTOMER, clock()) for name in ("Rina", "Budi"))
        portion = bill_view(reload(bill)).portions[0]
        item_id, unit = portion.item.id, portion.unit
        outcomes = at_once(app, claim(rina.id, item_id, unit, clock()), claim(budi.id, item_id, unit, clock()))
        refused = [outcome for outcome in outcomes if isinstance(outcome, IllegalTransition)]
        assert len(refused) == 1 and outcomes.count(None) == 1, outcomes
        winner = [rina, budi][outcomes.index(None)]
        assert f"sudah diambil {winner.payer_name}" in str(refused[0])
        claims = db.session.scalars(select(ShareClaim).where(ShareClaim.order_item_id == item_id)).all()
        assert [(claim.share_id, claim.unit) for claim in claims] == [(winner.id, unit)]


def test_cash_for_a_share_racing_its_qr_callback_pays_it_once_and_flags_the_other_money(app, bills, clock, sandbox):
    """Either the callback pays the share and the cash is refused, or the cash pays it
    and the QR's money is kept and flagged; never both paying it. Guard: the bill's lock
    (without it the two lock the payment and the share in opposite orders: deadlock)."""
    won = []
    for opened, lead in zip(bills(len(LEADS)), LEADS, strict=True):
        whole = bill_splits.pay_whole(opened, CUSTOMER, clock())
        paying = paid_at_duitku(sandbox, whole, clock())
        answered, taken = at_once(app, callback(callback_form(paying), clock()), cash(whole.id, clock()), lead=lead)
        assert isinstance(answered, callbacks.CallbackOutcome) and answered.http_status == 200, answered
        assert isinstance(taken, str | IllegalTransition), taken
        bill, share, payment = reload(opened), reload(whole), reload(paying)
        assert payment.status == PaymentStatus.PAID, "the QR's money was dropped"
        assert share.status == ShareStatus.PAID and len(history(bill, "share_paid")) == 1
        assert bill.status == BillStatus.SETTLED and len(history(bill, "settled")) == 1
        flagged = count(PaymentEvent, payment_id=payment.id, to_status="paid", flagged=True)
        if isinstance(taken, IllegalTransition):  # the callback won
            won.append("callback")
            assert share.paid_method == "duitku" and "sudah lunas" in str(taken)
            assert count(Payment, share_id=share.id, provider="cash") == 0
            assert not flagged and not bill.needs_attention and history(bill, "late_money") == []
        else:  # the cash won: the callback's money came for a paid share
            won.append("cash")
            assert taken == "cash" and share.paid_method == "cash"
            assert flagged == 1 and bill.needs_attention and len(history(bill, "late_money")) == 1
    assert won[1:3] == ["callback", "cash"], won  # the one ahead wins; the even starts may go either way


def cancel_split(bill_id: int, now) -> Callable[[], None]:
    return lambda: bill_splits.cancel_split(db.session.get_one(TableBill, bill_id), CUSTOMER, now)


def test_cancelling_the_split_racing_a_share_paid_lets_one_win(app, bills, clock, sandbox):
    """Either the payment wins (the split stays, its cancelling refused) or the cancel
    wins (the money is kept and flagged); never a cancelled split with a paid share.
    Guard: the bill's lock, taken by both."""
    won = []
    for opened, lead in zip(bills(len(LEADS)), LEADS, strict=True):
        first, _second = bill_splits.split_evenly(opened, 2, CUSTOMER, clock())
        paying = paid_at_duitku(sandbox, first, clock())
        racing = callback(callback_form(paying), clock()), cancel_split(opened.id, clock())
        answered, cancelled = at_once(app, *racing, lead=lead)
        assert isinstance(answered, callbacks.CallbackOutcome) and answered.http_status == 200, answered
        assert cancelled is None or isinstance(cancelled, IllegalTransition), cancelled
        bill, paid, payment = reload(opened), reload(first), reload(paying)
        assert payment.status == PaymentStatus.PAID, "the QR's money was dropped"
        assert bill.status == BillStatus.OPEN
        if isinstance(cancelled, IllegalTransition):  # the payment won
            won.append("payment")
            assert "Sudah ada yang membayar" in str(cancelled)
            assert bill.split_mode == "even" and bill.is_locked and paid.status == ShareStatus.PAID
            assert len(history(bill, "share_paid")) == 1 and not bill.needs_attention
        else:  # the cancel won
            won.append("cancel")
            assert bill.split_mode is None and not bill.is_locked
            assert paid.status == ShareStatus.CANCELLED and paid.paid_at is None
            assert history(bill, "share_paid") == []
            assert bill.needs_attention and len(history(bill, "late_money")) == 1
    assert won[1:3] == ["payment", "cancel"], won


def first_order(label: str, name: str, now) -> Callable[[], int]:
    """A pay-later order at the table labelled `label`, from a phone of its own; its id."""

    def order() -> int:
        menu = {item.name: item for item in db.session.scalars(select(MenuItem))}
        return make.bill_order(menu, table=label, name=name, now=now).id

    return order


def test_two_first_orders_at_a_free_table_open_one_bill(app, menu, clock):
    """Guard: the unique index on a table's open bill (the loser joins the winner's)."""
    make.pay_later()
    for round_ in range(ROUNDS):
        label = f"F{round_}"
        table_id = make.dining_table(label).id
        outcomes = at_once(app, first_order(label, "Rina", clock()), first_order(label, "Budi", clock()))
        assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
        bills = db.session.scalars(select(TableBill).where(TableBill.table_id == table_id)).all()
        assert len(bills) == 1, "two bills opened at one table"
        assert {db.session.get_one(Order, order_id).bill_id for order_id in outcomes} == {bills[0].id}
        assert len(history(bills[0], "opened")) == 1 and len(history(bills[0], "order_added")) == 2
