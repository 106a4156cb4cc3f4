"""What the live part of the order page shows, and how often it polls.

`PollFacts` are the few columns that decide what the customer sees. The full page and
fragment read them from the ORM objects; the poll reads them with one small query, or
from `PollCache` when the change feed reaches every process, and answers 204 when
nothing changed: the most frequent request of the app renders nothing and, most of the
time, does not touch the database.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from markupsafe import Markup
from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Order, OrderStatus, Payment, PaymentMethod, PaymentProvider, PaymentStatus
from ..payments import qr
from ..payments.service import refresh_due

POLL_WAITING_FOR_QRIS = 2
POLL_WAITING_FOR_CASH = 3
POLL_KITCHEN = 5
POLL_QR_UNUSABLE = 5
POLL_SECONDS = {
    "qris_pending": POLL_WAITING_FOR_QRIS,
    "awaiting_cash": POLL_WAITING_FOR_CASH,
    "qris_unavailable": POLL_QR_UNUSABLE,
    "qris_expired": POLL_QR_UNUSABLE,
}


@dataclass(frozen=True)
class PollFacts:
    order_status: str
    payment_method: str
    payment_id: str | None  # the latest payment's public id
    payment_status: str | None
    payment_provider: str | None
    payment_has_qr: bool
    expires_at: datetime | None
    last_checked_at: datetime | None

    @classmethod
    def of(cls, order: Order) -> PollFacts:
        payment = order.current_payment
        return cls(order.status, order.payment_method, payment and payment.public_id, payment and payment.status,
                   payment and payment.provider, bool(payment and payment.qr_string),
                   payment and payment.expires_at, payment and payment.last_checked_at)

    @property
    def is_final(self) -> bool:
        return OrderStatus(self.order_status).is_final

    @property
    def pending_qris(self) -> bool:
        return self.payment_provider == PaymentProvider.DUITKU.value and self.payment_status == PaymentStatus.PENDING.value

    def qr_usable(self, now: datetime) -> bool:
        return self.pending_qris and self.payment_has_qr and self.expires_at > now

    def state(self, now: datetime) -> str:
        if self.order_status != OrderStatus.AWAITING_PAYMENT.value:
            return self.order_status
        if self.payment_method == PaymentMethod.CASH.value:
            return "awaiting_cash"
        if self.qr_usable(now):
            return "qris_pending"
        if self.payment_status in (None, PaymentStatus.FAILED.value):
            return "qris_unavailable"
        return "qris_expired"

    def version(self, now: datetime) -> str:
        return f"{self.state(now)}.{self.payment_id or '-'}.{self.payment_status or '-'}"

    def refresh_due(self, now: datetime) -> bool:
        """Whether a status read must look further (the service's rule)."""
        return refresh_due(self.payment_provider, self.payment_status, self.expires_at, self.last_checked_at, now)


def _poll_query():
    """Built once: a fresh alias per call would defeat SQLAlchemy's statement cache."""
    other = aliased(Payment)
    latest = (select(other.id).where(other.order_id == Order.id)
              .order_by(other.id.desc()).limit(1).correlate(Order).scalar_subquery())
    return (select(Order.status, Order.payment_method, Payment.public_id, Payment.status, Payment.provider,
                   Payment.qr_string.is_not(None), Payment.expires_at, Payment.last_checked_at, Order.id)
            .select_from(Order).outerjoin(Payment, Payment.id == latest)
            .where(Order.public_id == bindparam("public_id")))


POLL_QUERY = _poll_query()


class PollCache:
    """PollFacts by order public id, for as long as the change feed says they hold.

    An entry is dropped when its order changes (in any process) and after `ttl` in any
    case. A read that raced a change is not stored: every drop moves `generation`, and
    `put` only stores facts read entirely after the generation the reader started from.
    """

    def __init__(self, ttl: timedelta, max_entries: int = 20000):
        self.ttl, self.max_entries = ttl, max_entries
        self.generation = 0
        self._entries: dict[str, tuple[PollFacts, int, datetime]] = {}
        self._public_ids: dict[int, str] = {}  # order id -> public id, to drop by topic
        self._lock = threading.Lock()

    def get(self, public_id: str, now: datetime) -> PollFacts | None:
        entry = self._entries.get(public_id)
        if entry is None or now - entry[2] >= self.ttl:
            return None
        return entry[0]

    def put(self, public_id: str, order_id: int, facts: PollFacts, now: datetime, generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return
            if len(self._entries) >= self.max_entries:
                self._clear()
            self._entries[public_id] = (facts, order_id, now)
            self._public_ids[order_id] = public_id

    def forget(self, topics: frozenset[str] | None) -> None:
        """A change feed subscriber: drop the changed orders (None: all of them)."""
        with self._lock:
            self.generation += 1
            if topics is None:
                self._clear()
                return
            for topic in topics:
                kind, _, order_id = topic.partition(":")
                if kind == "order" and order_id.isdigit():
                    public_id = self._public_ids.pop(int(order_id), None)
                    self._entries.pop(public_id, None)

    def _clear(self) -> None:
        self._entries.clear()
        self._public_ids.clear()


def init_app(app) -> None:
    cache = PollCache(timedelta(seconds=app.config["POLL_CACHE_SECONDS"]))
    app.extensions["poll_cache"] = cache
    app.extensions["change_feed"].subscribe(cache.forget)


def poll_facts(public_id: str, now: datetime) -> PollFacts | None:
    """The facts for an order: cached while every process hears of changes, else from
    one query (the order and its latest payment)."""
    cache: PollCache = current_app.extensions["poll_cache"]
    facts = cache.get(public_id, now)
    if facts is not None:
        return facts
    generation = cache.generation
    cacheable = current_app.extensions["change_feed"].crosses_processes()
    row = db.session.execute(POLL_QUERY, {"public_id": public_id}).first()
    if row is None:
        return None
    facts = PollFacts(*row[:5], bool(row[5]), row[6], row[7])
    if cacheable:
        cache.put(public_id, row[8], facts, now, generation)
    return facts


@dataclass(frozen=True)
class LiveView:
    state: str  # which panel the template shows
    version: str  # changes whenever what the customer sees changes
    poll_seconds: int | None  # None: final, no polling
    payment: Payment | None
    qr_svg: Markup | None
    seconds_left: int


def live_view(order: Order, now: datetime) -> LiveView:
    facts = PollFacts.of(order)
    state = facts.state(now)
    payment = order.current_payment if state == "qris_pending" else None
    return LiveView(
        state=state,
        version=facts.version(now),
        poll_seconds=None if facts.is_final else POLL_SECONDS.get(state, POLL_KITCHEN),
        payment=payment,
        qr_svg=qr.inline_svg(payment.qr_string, f"Kode QRIS pesanan {order.number}") if payment else None,
        seconds_left=max(0, int((payment.expires_at - now).total_seconds())) if payment else 0,
    )
