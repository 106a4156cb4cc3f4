"""What a till's customer display shows, and how its poll knows that nothing changed.

The display follows its till (webapp/models/till.py):

- while the till's draft has lines: each line (the name in the display's language, its
  options, quantity and price) and the running total, with service, tax and rounding
  as the till will charge them if the order is paid now (`orders.placing.order_figures`,
  for the draft's order type);
- once the draft is empty, the till's latest order (`Order.till_id`): its QR to scan
  with amount and countdown, the total to pay at the counter (cash awaited, or a QR
  that expired or could not be made), then "Lunas" (paid by QRIS) or "Terima kasih"
  with the change of the cash handed over (the cash payment's event), or a note that it
  went on the table's bill. An unpaid order is shown while it is recent (UNPAID_SHOWN
  since placed), a paid one for THANKS_SHOWN after it was paid;
- otherwise an idle screen with the shop's name.

`DisplayFacts` are the few columns that decide that: the poll reads them with one
query (the till, its latest order and that order's latest payment) and answers 204
while their version is the one the display shows. The full page reads them from the
ORM objects it renders, so both give the same version.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from ..billing.bill import Bill
from ..extensions import db, reads_without_transaction
from ..models import DiningTable, EventNote, Order, OrderStatus, Payment, PaymentMethod, PaymentProvider, Till
from ..orders.cart import PricedCart
from ..orders.placing import order_figures
from ..orders.tracking import POLL_COLUMNS, DisplayState, PollFacts, live_view
from ..payments.reconcile import reconcile_if_due
from .draft_pricing import priced_draft

POLL_SECONDS = 2
UNPAID_SHOWN = timedelta(minutes=15)  # an order awaiting payment, since it was placed
THANKS_SHOWN = timedelta(minutes=3)  # "Lunas", "Terima kasih", "Masuk tagihan meja"


class Screen(enum.StrEnum):
    IDLE = "idle"
    DRAFT = "draft"  # the lines being rung up
    QRIS = "qris"  # a QR to scan, its amount and countdown
    PAY_AT_COUNTER = "pay_at_counter"  # cash awaited, or a QR that expired or could not be made
    PAID = "paid"  # "Lunas" (by QRIS, or otherwise)
    PAID_CASH = "paid_cash"  # "Terima kasih", with the change
    ON_BILL = "on_bill"  # pay later, on the table's bill


@dataclass(frozen=True)
class DisplayFacts:
    token_digest: str | None
    till_version: int
    order_id: int | None
    placed_at: datetime | None
    paid_at: datetime | None  # the order's latest payment's
    order: PollFacts | None

    def order_screen(self, now: datetime) -> Screen | None:
        """What the till's latest order shows now, if it is still shown."""
        facts = self.order
        if facts is None or self.placed_at is None:
            return None
        since, shown_for = self.placed_at, THANKS_SHOWN
        if facts.order_status == OrderStatus.CANCELLED:
            return None
        if facts.payment_method == PaymentMethod.BILL:
            screen = Screen.ON_BILL
        elif (state := facts.state(now)) is DisplayState.QRIS_PENDING:
            screen, shown_for = Screen.QRIS, UNPAID_SHOWN
        elif state.is_unpaid:
            screen, shown_for = Screen.PAY_AT_COUNTER, UNPAID_SHOWN
        else:
            screen = Screen.PAID_CASH if facts.payment_provider == PaymentProvider.CASH else Screen.PAID
            since = self.paid_at or self.placed_at
        return screen if now - since < shown_for else None

    def version(self, now: datetime) -> str:
        """Changes whenever what the display shows changes: the draft (the till's
        version) or the order's screen (and its payment: a new QR)."""
        screen = self.order_screen(now)
        if screen is None or self.order is None:
            return f"{self.till_version}.-"
        return f"{self.till_version}.{self.order_id}.{screen}.{self.order.payment_id or '-'}"

    def reconcile_due(self, now: datetime) -> bool:
        """Whether a read must look further: a QR due to expire, or whose callback may
        have been lost (nobody else may be watching a till's order)."""
        return self.order is not None and self.order.reconcile_due(now)

    @classmethod
    def of(cls, till: Till, order: Order | None) -> DisplayFacts:
        payment = order.current_payment if order is not None else None
        return cls(
            till.display_token,
            till.version,
            order.id if order is not None else None,
            order.created_at if order is not None else None,
            payment.paid_at if payment is not None else None,
            PollFacts.of(order) if order is not None else None,
        )


def _facts_query():
    """Built once (a fresh alias per call would defeat SQLAlchemy's statement cache)."""
    latest_order = select(func.max(Order.id)).where(Order.till_id == Till.id).correlate(Till).scalar_subquery()
    other = aliased(Payment)
    latest_payment = select(func.max(other.id)).where(other.order_id == Order.id).correlate(Order).scalar_subquery()
    return (
        select(Till.display_token, Till.version, Order.id, Order.created_at, Payment.paid_at, *POLL_COLUMNS)
        .select_from(Till)
        .outerjoin(Order, Order.id == latest_order)
        .outerjoin(Payment, Payment.id == latest_payment)
        .where(Till.public_id == bindparam("public_id"))
    )


FACTS_QUERY = _facts_query()


def display_facts(public_id: str) -> DisplayFacts | None:
    """The facts of the till whose public id is `public_id`, in one query (without a
    transaction on PostgreSQL: commit before writing anything); None for an unknown till."""
    reads_without_transaction()
    row = db.session.execute(FACTS_QUERY, {"public_id": public_id}).first()
    if row is None:
        return None
    token_digest, till_version, order_id, placed_at, paid_at, *order_columns = row
    order = PollFacts.of_row(order_columns) if order_id is not None else None
    return DisplayFacts(token_digest, till_version, order_id, placed_at, paid_at, order)


@dataclass(frozen=True)
class CashHanded:
    tendered: int
    change: int


@dataclass(frozen=True)
class DisplayView:
    till: Till
    screen: Screen
    version: str
    draft: PricedCart | None = None
    figures: Bill | None = None  # the draft's, as the till will charge it if paid now
    table: DiningTable | None = None  # where the draft is eaten (dine-in)
    order: Order | None = None
    amount: int = 0  # the QR's, or what is to be paid at the counter
    qr_svg: Markup | None = None
    expires_at: datetime | None = None
    seconds_left: int = 0
    cash: CashHanded | None = None


def latest_order(till: Till) -> Order | None:
    return db.session.scalar(select(Order).where(Order.till_id == till.id).order_by(Order.id.desc()).limit(1))


def display_view(till: Till, now: datetime) -> DisplayView:
    """What the display shows now. A QR whose callback may have been lost is looked up
    first (throttled, as on the order page)."""
    order = latest_order(till)
    if order is not None:
        reconcile_if_due(order.current_payment, now)
    facts = DisplayFacts.of(till, order)
    version = facts.version(now)
    priced = priced_draft(till.draft or {}).priced
    if not priced.is_empty:
        table = db.session.get(DiningTable, till.table_id) if till.table_id is not None else None
        figures = order_figures(priced.total, till.order_type, discount=priced.discount)
        return DisplayView(till, Screen.DRAFT, version, draft=priced, figures=figures, table=table)
    screen = facts.order_screen(now)
    if screen is None or order is None:
        return DisplayView(till, Screen.IDLE, version)
    live = live_view(order, now) if screen is Screen.QRIS else None
    if live is not None and live.payment is not None:  # the same facts at the same time: always
        payment = live.payment
        return DisplayView(
            till,
            screen,
            version,
            order=order,
            amount=payment.amount,
            qr_svg=live.qr_svg,
            expires_at=payment.expires_at,
            seconds_left=live.seconds_left,
        )
    if screen is Screen.QRIS:
        screen = Screen.PAY_AT_COUNTER
    cash = cash_handed(order.current_payment) if screen is Screen.PAID_CASH else None
    return DisplayView(till, screen, version, order=order, amount=order.total, cash=cash)


def cash_handed(payment: Payment | None) -> CashHanded | None:
    """What the cashier was handed for a cash payment, and the change (its event's)."""
    for event in payment.events if payment is not None else ():
        params = event.note_params or {}
        if event.note == EventNote.CASH_RECEIVED and "tendered" in params and "change" in params:
            return CashHanded(int(params["tendered"]), int(params["change"]))
    return None
