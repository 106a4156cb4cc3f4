"""What the live part of the order page shows, and how often it polls.

`PollFacts` are the few columns that decide what the customer sees. The full page and
fragment read them from the ORM objects; the poll reads them from a cache the change
feed keeps true (PostgreSQL) or with one small query, and answers 204 when nothing
changed: the most frequent request of the app renders nothing and, most of the time,
does not touch the database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app
from markupsafe import Markup
from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..live import cache, feed
from ..models import Order, OrderStatus, Payment, PaymentMethod, PaymentProvider, PaymentStatus
from ..payments import qr
from ..payments.qris_payments import is_payable, payable_qr
from ..payments.reconcile import reconcile_due


class DisplayState(enum.StrEnum):
    """Which panel the order page shows: the order's status, with an unpaid order told
    apart by how it is being paid."""

    AWAITING_CASH = "awaiting_cash"
    QRIS_PENDING = "qris_pending"  # a QR that can be paid
    QRIS_UNAVAILABLE = "qris_unavailable"  # Duitku failed: try again, or cash
    QRIS_EXPIRED = "qris_expired"
    ON_BILL = "on_bill"  # pay later: cooking, paid with the table's bill
    PAID = "paid"
    PREPARING = "preparing"
    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def is_unpaid(self) -> bool:
        """The customer may still cancel the order."""
        return self in UNPAID

    @property
    def pays_by_qris(self) -> bool:
        """Unpaid by QRIS: cash is offered instead, whatever the QR's state."""
        return self in UNPAID and self is not DisplayState.AWAITING_CASH

    @property
    def needs_new_qr(self) -> bool:
        return self in (DisplayState.QRIS_UNAVAILABLE, DisplayState.QRIS_EXPIRED)


UNPAID = frozenset(
    {DisplayState.AWAITING_CASH, DisplayState.QRIS_PENDING, DisplayState.QRIS_UNAVAILABLE, DisplayState.QRIS_EXPIRED}
)
POLL_KITCHEN = 5
POLL_SECONDS = {  # how often the page asks while it waits for the customer (else the kitchen)
    DisplayState.QRIS_PENDING: 2,
    DisplayState.AWAITING_CASH: 3,
    DisplayState.QRIS_UNAVAILABLE: 5,
    DisplayState.QRIS_EXPIRED: 5,
}


@dataclass(frozen=True)
class PollFacts:
    order_status: OrderStatus
    payment_method: PaymentMethod
    payment_id: str | None  # the latest payment's public id
    payment_status: PaymentStatus | None
    payment_provider: PaymentProvider | None
    payment_has_qr: bool
    expires_at: datetime | None
    last_checked_at: datetime | None

    @classmethod
    def of(cls, order: Order) -> PollFacts:
        payment = order.current_payment
        if payment is None:
            return cls(order.status, order.payment_method, None, None, None, False, None, None)
        return cls(
            order.status,
            order.payment_method,
            payment.public_id,
            payment.status,
            payment.provider,
            bool(payment.qr_string),
            payment.expires_at,
            payment.last_checked_at,
        )

    @classmethod
    def of_row(cls, values) -> PollFacts:
        """From the values of POLL_COLUMNS, as a query selected them."""
        order_status, method, payment_id, payment_status, provider, has_qr, expires_at, last_checked_at = values
        return cls(
            order_status, method, payment_id, payment_status, provider, bool(has_qr), expires_at, last_checked_at
        )

    @property
    def is_final(self) -> bool:
        return OrderStatus(self.order_status).is_final

    def is_payable(self, now: datetime) -> bool:
        """The service's rule for a payable QR."""
        return is_payable(self.payment_provider, self.payment_status, self.payment_has_qr, self.expires_at, now)

    def state(self, now: datetime) -> DisplayState:
        if self.order_status != OrderStatus.AWAITING_PAYMENT:
            return DisplayState(self.order_status)
        if self.payment_method == PaymentMethod.CASH:
            return DisplayState.AWAITING_CASH
        if self.is_payable(now):
            return DisplayState.QRIS_PENDING
        if self.payment_status in (None, PaymentStatus.FAILED):
            return DisplayState.QRIS_UNAVAILABLE
        return DisplayState.QRIS_EXPIRED

    def version(self, now: datetime) -> str:
        return f"{self.state(now)}.{self.payment_id or '-'}.{self.payment_status or '-'}"

    def reconcile_due(self, now: datetime) -> bool:
        """Whether a status read must look further (the service's rule)."""
        return reconcile_due(self.payment_provider, self.payment_status, self.expires_at, self.last_checked_at, now)


# The columns `PollFacts` are read from, in its fields' order: of an order and of its
# latest payment (`Payment`, outer-joined), as the order poll and a till's display select them.
POLL_COLUMNS = (
    Order.status,
    Order.payment_method,
    Payment.public_id,
    Payment.status,
    Payment.provider,
    Payment.qr_string.is_not(None),
    Payment.expires_at,
    Payment.last_checked_at,
)


def _poll_query():
    """Built once: a fresh alias per call would defeat SQLAlchemy's statement cache."""
    other = aliased(Payment)
    latest = (
        select(other.id)
        .where(other.order_id == Order.id)
        .order_by(other.id.desc())
        .limit(1)
        .correlate(Order)
        .scalar_subquery()
    )
    return (
        select(*POLL_COLUMNS, Order.id)
        .select_from(Order)
        .outerjoin(Payment, Payment.id == latest)
        .where(Order.public_id == bindparam("public_id"))
    )


POLL_QUERY = _poll_query()


def poll_facts(public_id: str, now: datetime) -> PollFacts | None:
    """The facts for an order: from the cache (see `caching`), else from one query (the
    order and its latest payment)."""

    def read():
        row = db.session.execute(POLL_QUERY, {"public_id": public_id}).first()
        if row is None:
            return None
        *columns, order_id = row
        return PollFacts.of_row(columns), frozenset({feed.order_topic(order_id), feed.checked_topic(order_id)})

    return current_app.extensions["poll_cache"].fetch(public_id, now, read)


@dataclass(frozen=True)
class LiveView:
    state: DisplayState
    version: str  # changes whenever what the customer sees changes
    poll_seconds: int | None  # None: final, no polling
    payment: Payment | None
    qr_svg: Markup | None
    seconds_left: int


def live_view(order: Order, now: datetime) -> LiveView:
    facts = PollFacts.of(order)
    state = facts.state(now)
    payment = order.current_payment if state is DisplayState.QRIS_PENDING else None
    payable = payable_qr(payment, now) if payment else None
    return LiveView(
        state=state,
        version=facts.version(now),
        poll_seconds=None if facts.is_final else POLL_SECONDS.get(state, POLL_KITCHEN),
        payment=payment,
        qr_svg=qr.inline_svg(payable.qr_string, f"Kode QRIS pesanan {order.number}") if payable else None,
        seconds_left=payable.seconds_left(now) if payable else 0,
    )


# Any write to an order or a payment in this process (an order placed, a line changed)
# is named too, for the staff screens' streams; the payment transitions name each
# order they change themselves (`feed.order_changed`), for this cache.
ORDERS_TOPIC = "orders"


def init_app(app: Flask) -> None:
    """The order poll cache, emptied by the change feed."""
    cache.install(app, "poll_cache")
    feed.name_writes((Order, Payment), ORDERS_TOPIC)
