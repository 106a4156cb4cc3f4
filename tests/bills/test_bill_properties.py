"""Property tests of a table's bill: random interleavings of everything that can touch
one, run against the service layer on SQLite and on PostgreSQL like the whole suite.

A Hypothesis state machine sits a table down (bill rules, a round or more of orders,
perhaps a split), then plays steps: more orders, moving an order to another table,
splitting (whole, evenly, by items), joining, claiming and unclaiming portions (also
ones someone else has), locking, cancelling the split, a share's QR (paid at once,
later, or never; its callback sent, lost, repeated, late or out of order), failed and
forged callbacks, status reads after a while or after the QR expired, cash for a share
or for the rest, paying the rest in one, closing the bill. The cashier's steps and
cancelling the split may race the payers: every QR left to pay is paid at Duitku just
before the step, and its callback comes just after. Each example has two tables of its
own. A step the bill's state does not allow is refused and rolled back; the steps
check that what must be allowed is, and what must be refused is (a portion someone
has, another split once a share is paid).

After every step, for every bill of the example's tables:

- a share is paid at most once: one "share paid" in its history and one payment that
  paid it, and only while it is paid;
- a bill is settled exactly once, and exactly when its split is locked, no share is
  left to pay and it was not closed; a settled or closed bill has no share left to pay;
- a portion is claimed by one share at most, and only while it is on the bill;
- once a share is paid, the split changes only by paying the rest in one (the open
  shares cancelled together and one "rest" share added with their figures' sum) or by
  the cashier closing the bill;
- money is never dropped: a QR that Duitku holds the money for is paid once Duitku
  says so (callback or status check), and money that found its share paid or
  cancelled, or its bill settled or closed, is kept and flagged (its event flagged, a
  "late money" line in the bill's history, the bill needing the cashier);
- the shares of a locked bill that are not cancelled sum exactly to the bill, figure by
  figure (an item split being chosen does too, live), and the locked figures are the
  bill of its orders; the paid shares of a settled bill sum to its total;
- every callback is recorded exactly once, and no QR is paid that Duitku does not hold.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from duitku_sandbox import MIN_AMOUNT as DUITKU_MINIMUM
from duitku_sandbox.store import Store
from tests import factories as make
from tests.conftest import FakeClock
from tests.duitku_side import callback_form
from webapp.billing.bill import Bill
from webapp.bills import bill_closing, bill_splits, share_payments
from webapp.bills.table_bills import Portion, bill_view
from webapp.extensions import db
from webapp.models import (
    BillShare,
    BillStatus,
    CloseReason,
    DiningTable,
    EventNote,
    MenuItem,
    Payment,
    PaymentEvent,
    PaymentProvider,
    PaymentStatus,
    PriceMode,
    RoundingDirection,
    ShareClaim,
    ShareStatus,
    SplitMode,
    TableBill,
)
from webapp.orders.placing import BILL_BEING_PAID, CheckoutError
from webapp.payments import callbacks, reconcile
from webapp.payments.qris_payments import PaymentNotAllowed, QrisUnavailable
from webapp.state import IllegalTransition

# 100 examples of up to 15 steps after sitting down, every invariant checked after every
# step: about 20 s on SQLite and 40 s on PostgreSQL (two cores, a local server).
SETTINGS = settings(max_examples=100, stateful_step_count=15, deadline=None)

REFUSALS = (IllegalTransition, PaymentNotAllowed, QrisUnavailable, CheckoutError)
CUSTOMER, CASHIER = "customer", "cashier:property"
DUITKU_PAID = "00"
NAMES = ("Rina", "Budi", "Sari", "Dewi")
FIGURES = ("subtotal", "service", "tax", "rounding")
LINES = st.lists(
    st.tuples(st.sampled_from(["Nasi Goreng", "Mie Ayam", "Es Teh Manis"]), st.integers(1, 4)),
    min_size=1,
    max_size=2,
    unique_by=lambda line: line[0],
)
RULES = st.builds(
    dict,
    tax_rate=st.sampled_from([0, 1000]),
    service_rate=st.sampled_from([0, 500, 750]),
    mode=st.sampled_from(PriceMode),
    rounding_step=st.sampled_from([0, 100, 500, 1000]),
    rounding_direction=st.sampled_from(RoundingDirection),
)
SPLITS = st.tuples(st.sampled_from([None, *SplitMode]), st.integers(2, 3))  # (mode, payers)
PAYS = st.sampled_from(["later", "now", "now, callback lost"])  # when the payer pays a QR shown
INDEX = st.integers(0, 9)  # a share, a portion or an order, counted round those there are
TABLE_NUMBERS = itertools.count(1)  # tables outlive an example: each takes new labels


class Refused:
    """What `attempt` answers when the service refused the step."""


REFUSED = Refused()


def attempt(action, *args):
    """The action's result, or REFUSED (rolled back) when the service refused it."""
    try:
        return action(*args)
    except REFUSALS:
        db.session.rollback()
        return REFUSED


def pick(rows: list, index: int):
    return rows[index % len(rows)] if rows else None


def figures_of(row: TableBill | BillShare | Bill) -> tuple[int, ...]:
    return tuple(getattr(row, figure) for figure in FIGURES)


@dataclass
class World:
    """What every example shares: the menu, the clock and Duitku (the sandbox's store)."""

    menu: dict[str, MenuItem]
    clock: FakeClock
    store: Store
    status_check_interval: int  # seconds
    expiry_minutes: int


@dataclass(frozen=True)
class Stage:
    """Where the table's latest bill stands after a step: which steps make sense next."""

    open: bool = True
    split: SplitMode | None = None
    locked: bool = False
    any_paid: bool = False

    @property
    def may_split(self) -> bool:
        """Not split yet; or a share is paid, and splitting again must be refused."""
        return self.open and (self.split is None or self.any_paid)

    @property
    def choosing_items(self) -> bool:
        return self.open and self.split == SplitMode.ITEMS and not self.locked

    @property
    def being_paid(self) -> bool:
        return self.open and self.locked


@dataclass(frozen=True)
class SplitSnapshot:
    """A bill's split after a step, to compare with the next step's."""

    bill: tuple  # split mode, lock, figures
    shares: dict[int, tuple]  # share id -> (status, rest, subtotal, service, tax, rounding, amount)

    @property
    def any_paid(self) -> bool:
        return any(share[0] == ShareStatus.PAID for share in self.shares.values())


class BillMachine(RuleBasedStateMachine):
    payments = Bundle("payments")  # every share QR made: old ones stay, for late and repeated callbacks

    def __init__(self, world: World):
        super().__init__()
        self.world = world
        number = next(TABLE_NUMBERS)
        self.table = make.dining_table(f"H{number}")
        self.other_table = make.dining_table(f"H{number}x")  # where orders are moved to
        self.stage = Stage()
        self.callbacks: Counter[int] = Counter()  # payment id -> callbacks sent for it
        self.confirmed: set[int] = set()  # payments Duitku holds the money for, and said so
        self.splits: dict[int, SplitSnapshot] = {}
        self.checked_versions: dict[int, int] = {}  # bill id -> version whose orders and claims were checked

    def now(self) -> datetime:
        return self.world.clock()

    def bill(self) -> TableBill:
        """The table's latest bill (a new sitting starts after one is settled or closed)."""
        db.session.expire_all()
        bill = db.session.scalar(
            select(TableBill).where(TableBill.table_id == self.table.id).order_by(TableBill.id.desc()).limit(1)
        )
        assert bill is not None
        return bill

    def payment(self, payment_id: int) -> Payment:
        db.session.expire_all()
        return db.session.get_one(Payment, payment_id)

    def duitku_status(self, payment: Payment) -> str:
        txn = self.world.store.get(payment.reference) if payment.reference else None
        return txn.status_at(self.now()) if txn is not None else ""

    # Orders -------------------------------------------------------------------------

    @initialize(rules=RULES, orders=st.lists(LINES, min_size=2, max_size=3), split=SPLITS)
    def sit_down(self, rules, orders, split):
        """A sitting under some bill rules: a round or two of orders, and perhaps a split
        chosen (people rarely wait long for that)."""
        make.pay_later(**rules)
        for lines in orders:
            make.bill_order(self.world.menu, table=self.table.label, lines=lines, now=self.now())
        mode, payers = split
        if mode is not None:
            self.split(mode, payers)

    @rule(lines=LINES)
    def order_more(self, lines):
        """Joins the open bill unless it is being paid; after a settled or closed bill,
        starts a new sitting."""
        bill = self.bill()
        being_paid = bill.status == BillStatus.OPEN and bill.is_locked
        try:
            order = make.bill_order(self.world.menu, table=self.table.label, lines=lines, now=self.now())
        except CheckoutError as exc:
            db.session.rollback()
            refused: CheckoutError | None = exc
        else:
            refused = None
        assert (refused is not None) == being_paid, "an order joined a bill being paid, or was refused"
        if refused is None:
            assert order.bill_id == self.bill().id and (order.bill_id == bill.id) == (bill.status == BillStatus.OPEN)
        else:
            assert refused.code == BILL_BEING_PAID

    @precondition(lambda self: self.stage.open and not self.stage.locked)
    @rule(index=INDEX)
    def move_an_order_away(self, index):
        """The cashier moves an order to the other table's bill (the last one empties and
        closes this bill)."""
        bill = self.bill()
        order = pick(bill_view(bill).orders, index)
        target = db.session.get_one(DiningTable, self.other_table.id)
        done = attempt(bill_closing.move_order, order, target, CASHIER, self.now())
        assert done is not REFUSED

    # Splitting ----------------------------------------------------------------------

    def split(self, mode: SplitMode, payers: int) -> None:
        """Choose how to pay the bill: allowed while nobody has chosen. Whoever splits by
        items is often joined at once by `payers` people."""
        bill = self.bill()
        free = bill.status == BillStatus.OPEN and bill.split_mode is None
        if mode == SplitMode.WHOLE:
            done = attempt(bill_splits.pay_whole, bill, CUSTOMER, self.now())
        elif mode == SplitMode.EVEN:
            done = attempt(bill_splits.split_evenly, bill, payers, CUSTOMER, self.now())
        else:
            done = attempt(bill_splits.split_by_items, bill, CUSTOMER, self.now())
            for name in NAMES[: payers if done is not REFUSED else 0]:
                bill_splits.join(bill, name, CUSTOMER, self.now())
        assert (done is not REFUSED) == free, "a split was refused, or chosen over another"

    @precondition(lambda self: self.stage.may_split)
    @rule()
    def pay_the_whole_bill(self):
        self.split(SplitMode.WHOLE, 1)

    @precondition(lambda self: self.stage.may_split)
    @rule(payers=st.integers(2, 4))
    def split_evenly(self, payers):
        self.split(SplitMode.EVEN, payers)

    @precondition(lambda self: self.stage.may_split)
    @rule(payers=st.integers(0, 3))
    def split_by_items(self, payers):
        self.split(SplitMode.ITEMS, payers)

    @precondition(lambda self: self.stage.choosing_items)
    @rule(name=st.sampled_from(NAMES))
    def join(self, name):
        bill = self.bill()
        room = len(bill_view(bill).open_shares) < bill_splits.MAX_SHARES
        assert (attempt(bill_splits.join, bill, name, CUSTOMER, self.now()) is not REFUSED) == room

    @precondition(lambda self: self.stage.choosing_items)
    @rule(share_index=INDEX, portion_index=INDEX)
    def claim(self, share_index, portion_index):
        """Someone claims a portion: refused if anyone (them included) has it."""
        bill, share, portion = self.share_and_portion(share_index, portion_index)
        if share is None:
            return
        holder = portion.claimed_by.id if portion.claimed_by else None
        share_id, key = share.id, (portion.item.id, portion.unit)
        done = attempt(bill_splits.claim, bill, share, *key, self.now())
        assert (done is REFUSED) == (holder is not None), "a portion was claimed twice, or a free one refused"
        after = bill_view(self.bill()).claims.get(key)
        assert (after.id if after else None) == (holder or share_id)

    @precondition(lambda self: self.stage.choosing_items)
    @rule(share_index=INDEX, portion_index=INDEX)
    def unclaim(self, share_index, portion_index):
        bill, share, portion = self.share_and_portion(share_index, portion_index)
        if share is not None:
            attempt(bill_splits.unclaim, bill, share, portion.item.id, portion.unit, self.now())

    def share_and_portion(self, share_index: int, portion_index: int) -> tuple[TableBill, BillShare | None, Portion]:
        """The bill, one of its shares (None if nobody has joined) and one of its portions."""
        bill = self.bill()
        view = bill_view(bill)
        return bill, pick(view.open_shares, share_index), pick(view.portions, portion_index)

    @precondition(lambda self: self.stage.choosing_items)
    @rule()
    def lock_the_items(self):
        bill = self.bill()
        someone = bool(bill_view(bill).open_shares)
        assert (attempt(bill_splits.lock_items, bill, CUSTOMER, self.now()) is not REFUSED) == someone

    @precondition(lambda self: self.stage.open and self.stage.split is not None)
    @rule(target=payments, meanwhile=st.booleans())
    def cancel_the_split(self, meanwhile):
        """Allowed until a share is paid (as far as is known here: money on its way does
        not count)."""
        bill = self.bill()
        unpaid = not bill_view(bill).any_paid
        done, paid = self.while_payers_pay(meanwhile, bill_splits.cancel_split, bill, CUSTOMER, self.now())
        assert (done is not REFUSED) == unpaid
        return multiple(*paid)

    @precondition(lambda self: self.stage.being_paid)
    @rule(target=payments, meanwhile=st.booleans())
    def pay_the_rest_in_one(self, meanwhile):
        done, paid = self.while_payers_pay(meanwhile, bill_splits.pay_rest_in_one, self.bill(), CUSTOMER, self.now())
        assert done is not REFUSED
        bill = self.bill()  # the rest is one share (paid already when it was the only one left and its QR's money came)
        assert [share.status for share in bill.shares].count(ShareStatus.OPEN) == (bill.status == BillStatus.OPEN)
        return multiple(*paid)

    # QRIS ---------------------------------------------------------------------------

    @precondition(lambda self: self.stage.being_paid)
    @rule(target=payments, share_index=INDEX, pays=PAYS)
    def show_a_share_qr(self, share_index, pays):
        """A payer's phone shows their share's QR (a paid share's is refused); the payer
        pays now (Duitku calls back, or the callback is lost), later, or never."""
        share = pick(bill_view(self.bill()).open_shares, share_index)
        payment_id = self.show_qr(share, pays)
        return multiple() if payment_id is None else payment_id

    @precondition(lambda self: self.stage.being_paid)
    @rule(target=payments, pays=st.lists(PAYS, min_size=4, max_size=4))
    def everyone_shows_their_qr(self, pays):
        """Every payer left opens their share's page at once."""
        shares = [share for share in bill_view(self.bill()).open_shares if share.status == ShareStatus.OPEN]
        payment_ids = [self.show_qr(share, pay) for share, pay in zip(shares, itertools.cycle(pays))]
        return multiple(*(payment_id for payment_id in payment_ids if payment_id is not None))

    def show_qr(self, share: BillShare, pays: str) -> int | None:
        payable = share.status == ShareStatus.OPEN
        payment = attempt(share_payments.create_share_qris, share, self.now())
        # Duitku takes no QRIS under its minimum (QrisUnavailable): such a share is paid in cash.
        assert (payment is not REFUSED) == (payable and share.amount >= DUITKU_MINIMUM)
        if payment is REFUSED:
            return None
        if pays != "later":
            self.pay_at_duitku(payment, calls_back=pays == "now")
        return payment.id

    @rule(payment_id=payments, calls_back=st.booleans())
    def payer_pays_at_duitku(self, payment_id, calls_back):
        """A payer pays a QR they still have (Duitku takes it if it has not expired there,
        whatever became of it here); Duitku calls back at once, or the callback is lost."""
        self.pay_at_duitku(self.payment(payment_id), calls_back)

    def pay_at_duitku(self, payment: Payment, calls_back: bool) -> None:
        paid = payment.reference and self.world.store.settle(payment.reference, DUITKU_PAID, "93600914", self.now())
        if paid and calls_back:
            self.send_callback(payment)

    def send_callback(self, payment: Payment, **overrides) -> callbacks.CallbackOutcome:
        outcome = callbacks.handle_duitku_callback(callback_form(payment, **overrides), self.now())
        self.callbacks[payment.id] += 1
        if not overrides and outcome.http_status == 200 and self.duitku_status(payment) == DUITKU_PAID:
            self.confirmed.add(payment.id)
        return outcome

    @rule(payment_id=payments, kind=st.sampled_from(["success", "success", "failed", "forged", "wrong amount"]))
    def callback(self, payment_id, kind):
        """Duitku's callback for any QR, however old: a success (again: Duitku retries, and
        a replay comes late or out of order), a failure, a forgery, or a signed callback
        for another amount (these three change nothing)."""
        payment = self.payment(payment_id)
        before = payment.status
        if kind == "success":
            self.send_callback(payment)
            return
        if kind == "failed":
            self.send_callback(payment, resultCode="01")
        elif kind == "forged":
            assert self.send_callback(payment, signature="f" * 32).http_status == 400
        else:
            self.send_callback(payment, amount=str(payment.amount + 1000))
        assert self.payment(payment_id).status == before, f"a {kind} callback changed the payment"

    @rule(payment_id=payments, expired=st.booleans())
    def read_the_status(self, payment_id, expired):
        """The share's page reads its QR's status a while later (a status check with
        Duitku is due), or once the QR has expired: reconciled with Duitku."""
        if expired:
            self.world.clock.advance(minutes=self.world.expiry_minutes + 1)
        else:
            self.world.clock.advance(seconds=self.world.status_check_interval)
        payment = self.payment(payment_id)
        pending, held = payment.status == PaymentStatus.PENDING, self.duitku_status(payment) == DUITKU_PAID
        reconcile.reconcile_if_due(payment, self.now())
        if pending and held:
            self.confirmed.add(payment_id)
        elif pending and expired:
            assert self.payment(payment_id).status == PaymentStatus.EXPIRED

    # The counter --------------------------------------------------------------------

    @precondition(lambda self: self.stage.being_paid)
    @rule(
        target=payments,
        share_index=INDEX,
        tendered=st.sampled_from(["exact", "more", "short"]),
        meanwhile=st.booleans(),
    )
    def cash_for_a_share(self, share_index, tendered, meanwhile):
        """The cashier takes cash for a share: refused if it is paid or the cash short."""
        share = pick(bill_view(self.bill()).open_shares, share_index)
        payable = share.status == ShareStatus.OPEN and tendered != "short"
        cash = share.amount + {"exact": 0, "more": 2000, "short": -1}[tendered]
        done, paid = self.while_payers_pay(
            meanwhile, share_payments.confirm_share_cash, share, cash, CASHIER, self.now()
        )
        assert (done is not REFUSED) == payable
        return multiple(*paid)

    @precondition(lambda self: self.stage.being_paid)
    @rule(target=payments, meanwhile=st.booleans())
    def cash_for_the_rest(self, meanwhile):
        bill = self.bill()
        done, paid = self.while_payers_pay(
            meanwhile, share_payments.take_cash_for_rest, bill, 10**7, CASHIER, self.now()
        )
        assert done is not REFUSED and self.bill().status == BillStatus.SETTLED
        return multiple(*paid)

    @precondition(lambda self: self.stage.being_paid)
    @rule(
        target=payments,
        reason=st.sampled_from([CloseReason.WALK_OUT, CloseReason.COMPED, CloseReason.OTHER]),
        meanwhile=st.booleans(),
    )
    def close_the_bill(self, reason, meanwhile):
        done, paid = self.while_payers_pay(
            meanwhile, bill_closing.close_bill, self.bill(), reason, "", CASHIER, self.now()
        )
        assert done is not REFUSED
        return multiple(*paid)

    def while_payers_pay(self, meanwhile: bool, action, *args) -> tuple[object, list[int]]:
        """`attempt(action, *args)`; and `meanwhile`, every payer with a share left to pay
        pays its QR (shown just now if it was not) at that very moment: Duitku has the
        money before the action, and its callbacks come just after. The action's result,
        and the QRs paid."""
        paid = []
        for share in bill_view(self.bill()).open_shares if meanwhile else []:
            payable = share.status == ShareStatus.OPEN and share.amount >= DUITKU_MINIMUM
            payment = attempt(share_payments.create_share_qris, share, self.now()) if payable else REFUSED
            if not isinstance(payment, Refused) and self.world.store.settle(
                payment.reference, DUITKU_PAID, "93600915", self.now()
            ):
                paid.append(payment.id)
        done = attempt(action, *args)
        for payment_id in paid:
            self.send_callback(self.payment(payment_id))
        return done, paid

    # Invariants ---------------------------------------------------------------------

    @invariant()
    def every_bill_keeps_its_promises(self):
        db.session.expire_all()
        bills = db.session.scalars(
            select(TableBill).where(TableBill.table_id.in_([self.table.id, self.other_table.id]))
        ).all()
        shares = [share for bill in bills for share in bill.shares]
        payments = db.session.scalars(select(Payment).where(Payment.share_id.in_([s.id for s in shares]))).all()
        events = db.session.scalars(
            select(PaymentEvent).where(PaymentEvent.payment_id.in_([p.id for p in payments]))
        ).all()
        self.check_payments(payments, events)
        for bill in bills:
            self.check_bill(bill, [p for p in payments if p.share.bill_id == bill.id], events)
        latest = max((bill for bill in bills if bill.table_id == self.table.id), key=lambda bill: bill.id)
        paid = any(share.status == ShareStatus.PAID for share in latest.shares)
        self.stage = Stage(latest.status == BillStatus.OPEN, latest.split_mode, latest.is_locked, paid)
        db.session.rollback()  # end the read (on SQLite it would hold the write lock)

    def check_payments(self, payments: list[Payment], events: list[PaymentEvent]) -> None:
        for payment in payments:
            own = [event for event in events if event.payment_id == payment.id]
            paid_moves = sum(event.to_status == PaymentStatus.PAID for event in own)
            assert paid_moves == (payment.status == PaymentStatus.PAID), "a payment paid twice, or silently"
            assert sum(event.kind == "callback" for event in own) == self.callbacks[payment.id], "a callback lost"
            if payment.provider == PaymentProvider.DUITKU and payment.status == PaymentStatus.PAID:
                assert self.duitku_status(payment) == DUITKU_PAID, "paid without Duitku holding the money"
            if payment.id in self.confirmed:
                assert payment.status == PaymentStatus.PAID, "money Duitku holds was dropped"

    def check_bill(self, bill: TableBill, payments: list[Payment], events: list[PaymentEvent]) -> None:
        history = Counter(event.kind for event in bill.events)
        live = [share for share in bill.shares if share.status != ShareStatus.CANCELLED]
        to_pay = [share for share in live if share.status == ShareStatus.OPEN]
        # A share is paid at most once, by one payment of its amount.
        paying = {payment.id: payment for payment in payments}
        moves = [event for event in events if event.payment_id in paying and event.to_status == PaymentStatus.PAID]
        paid_by = Counter(paying[event.payment_id].share_id for event in moves if not event.flagged)
        paid_events = Counter(event.params["share_id"] for event in bill.events if event.kind == "share_paid")
        for share in bill.shares:
            paid = share.status == ShareStatus.PAID
            assert paid_events[share.id] == paid, f"share {share.position} paid {paid_events[share.id]}x"
            assert paid_by[share.id] == paid, f"share {share.position} paid by {paid_by[share.id]} payments"
            assert (share.paid_method is not None) == paid and (share.paid_at is not None) == paid
        for event in moves:
            if not event.flagged:
                assert paying[event.payment_id].amount == paying[event.payment_id].share.amount
        # Settled exactly once, exactly when nothing is left to pay; closed once.
        settled = bill.status == BillStatus.SETTLED
        assert history["settled"] == settled and (bill.settled_at is not None) == settled
        assert history["closed"] == (bill.status == BillStatus.CLOSED)
        if bill.status == BillStatus.OPEN:
            assert to_pay or not bill.is_locked, "a locked bill with nothing left to pay is not settled"
        else:
            assert not to_pay, f"a {bill.status} bill still has shares to pay"
        if settled:
            assert bill.is_locked and all(share.status == ShareStatus.PAID for share in live)
            assert sum(share.amount for share in live) == bill.total, "the paid shares do not make the bill"
            assert [event.params for event in bill.events if event.kind == "settled"] == [{"total": bill.total}]
        # Money for a share that no longer wanted it is kept and flagged.
        late = sum(event.flagged for event in moves)
        assert history["late_money"] == late, "late money not in the bill's history"
        # So is a signed callback for another amount than its share's.
        mismatched = any(event.note == EventNote.AMOUNT_MISMATCH for event in events if event.payment_id in paying)
        assert bill.needs_attention == (late > 0 or mismatched), "odd money not flagged for the cashier"
        # Each share is its figures; a locked bill's shares make the bill, figure by figure.
        for share in bill.shares:
            assert share.amount == sum(figures_of(share))
            # A rounded bill's shares are paid with the same notes and coins as the bill.
            assert share.amount % (bill.rounding_step or 1) == 0, f"share of {share.amount} on a rounded bill"
        if bill.is_locked and bill.status != BillStatus.CLOSED:
            for index, figure in enumerate(FIGURES):
                assert sum(figures_of(share)[index] for share in live) == getattr(bill, figure), figure
            assert sum(share.amount for share in live) == bill.total
        self.check_split_kept(bill)
        # Orders and claims change only under the bill's lock, which raises its version.
        if self.checked_versions.get(bill.id) != bill.version:
            self.check_orders_and_claims(bill)
            self.checked_versions[bill.id] = bill.version

    def check_orders_and_claims(self, bill: TableBill) -> None:
        """A locked bill's figures are the bill of its orders; an item split being chosen
        adds up, live; a portion is one share's at most, and on the bill."""
        view = bill_view(bill)
        if bill.is_locked:
            live_figures = view.live_figures
            assert (*figures_of(bill), bill.total) == (*figures_of(live_figures), live_figures.total)
        elif bill.split_mode == SplitMode.ITEMS and bill.status == BillStatus.OPEN and view.share_lines:
            assert sum(line.figures.total for line in view.share_lines) == view.live_figures.total
        claims = db.session.execute(
            select(ShareClaim.order_item_id, ShareClaim.unit)
            .join(BillShare, BillShare.id == ShareClaim.share_id)
            .where(BillShare.bill_id == bill.id)
        ).all()
        assert len(claims) == len(set(claims))
        if not bill.is_locked and bill.status == BillStatus.OPEN:
            portions = {(portion.item.id, portion.unit) for portion in view.portions}
            assert {tuple(claim) for claim in claims} <= portions, "a claim of a portion not on the bill"

    def check_split_kept(self, bill: TableBill) -> None:
        """Once a share is paid, the split changes only by paying the rest in one (or the
        cashier closing the bill)."""
        now = SplitSnapshot(
            bill=(bill.split_mode, bill.locked_at, figures_of(bill), bill.total),
            shares={share.id: (share.status, share.rest, *figures_of(share), share.amount) for share in bill.shares},
        )
        before = self.splits.get(bill.id)
        self.splits[bill.id] = now
        if before is None or not before.any_paid:
            return
        assert now.bill == before.bill, "the split changed after a share was paid"
        dropped = []
        for share_id, (status, *figures) in before.shares.items():
            after_status, *after_figures = now.shares[share_id]
            assert after_figures == figures, "a share's figures changed after a share was paid"
            assert after_status == status or status == ShareStatus.OPEN, f"a {status} share became {after_status}"
            if status == ShareStatus.OPEN and after_status == ShareStatus.CANCELLED:
                dropped.append(figures[1:])
        added = [now.shares[share_id] for share_id in now.shares.keys() - before.shares.keys()]
        if added:
            [(_status, rest, *figures)] = added
            assert rest, "a share that is not the rest was added after a share was paid"
            was_open = [share[0] for share in before.shares.values()].count(ShareStatus.OPEN)
            assert len(dropped) == was_open >= 2, "the rest in one did not take every share left to pay"
            assert figures == [sum(column) for column in zip(*dropped, strict=True)], "the rest is not what was left"
        elif dropped:
            assert bill.status == BillStatus.CLOSED, "shares were cancelled after a share was paid"


def test_bill_invariants_hold_for_any_interleaving(app, menu, clock, sandbox):
    world = World(
        menu,
        clock,
        sandbox.extensions["sandbox_store"],
        app.config["DUITKU_STATUS_CHECK_INTERVAL"],
        app.config["DUITKU_EXPIRY_MINUTES"],
    )
    run_state_machine_as_test(lambda: BillMachine(world), settings=SETTINGS)
