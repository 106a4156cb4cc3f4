"""Long-poll waiting for a payment to become final, without starving the app.

Waiting requests hold no database transaction or connection while they wait. One
watcher thread per process checks every waited-for payment in a single query each
WAIT_POLL_SECONDS (or at once when a change is made in this process) and wakes the
waiters whose payment is no longer pending; so a hundred waits cost one small query
per half second, not a hundred. Each waiter still refreshes its own payment every
WAIT_REFRESH_SECONDS (expiry, and the throttled check for a lost callback).

Each process holds at most WAIT_MAX_CONCURRENT waits, and at most WAIT_MAX_PER_PARTNER
of them for any one partner (so one partner cannot take every slot); past either the
API answers 503 with Retry-After, so the rest of the app keeps its threads.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager

from flask import Flask, current_app
from sqlalchemy import select

from ..extensions import db
from ..live import feed
from ..models import Payment, PaymentStatus
from ..payments import reconcile
from .errors import ApiError

WATCHER_KEY = "payment_watcher"
WAIT_REFRESH_SECONDS = 10
BUSY_RETRY_AFTER = {"Retry-After": "5"}


class WaitSlots:
    """The waits this process holds: at most `total`, at most `per_partner` per partner."""

    def __init__(self, total: int, per_partner: int):
        self.total, self.per_partner = total, per_partner
        self._lock = threading.Lock()
        self._held: Counter[int] = Counter()

    @contextmanager
    def hold(self, partner_id: int):
        with self._lock:
            if self._held.total() >= self.total:
                raise ApiError(
                    503,
                    "too_many_waits",
                    "too many payments are being waited for; retry shortly",
                    headers=BUSY_RETRY_AFTER,
                )
            if self._held[partner_id] >= self.per_partner:
                raise ApiError(
                    503,
                    "too_many_waits",
                    f"this partner already waits for {self.per_partner} "
                    "payments at once (WAIT_MAX_PER_PARTNER); retry shortly",
                    headers=BUSY_RETRY_AFTER,
                )
            self._held[partner_id] += 1
        try:
            yield
        finally:
            with self._lock:
                self._held[partner_id] -= 1
                if not self._held[partner_id]:
                    del self._held[partner_id]


class PaymentWatcher:
    """Wakes waiters when their payment leaves `pending` (one query for all of them)."""

    def __init__(self, app: Flask):
        self.app = app
        self.slots = WaitSlots(app.config["WAIT_MAX_CONCURRENT"], app.config["WAIT_MAX_PER_PARTNER"])
        self.poll_seconds = app.config["WAIT_POLL_SECONDS"]
        self._lock = threading.Lock()
        self._waiters: dict[int, set[threading.Event]] = defaultdict(set)
        self._thread: threading.Thread | None = None

    def watch(self, payment_id: int) -> threading.Event:
        event = threading.Event()
        with self._lock:
            self._waiters[payment_id].add(event)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="payment-watcher", daemon=True)
                self._thread.start()
        feed.announce()  # start checking now
        return event

    def watching(self) -> int:
        """How many waits are registered right now."""
        with self._lock:
            return sum(len(events) for events in self._waiters.values())

    def unwatch(self, payment_id: int, event: threading.Event) -> None:
        with self._lock:
            self._waiters[payment_id].discard(event)
            if not self._waiters[payment_id]:
                del self._waiters[payment_id]

    def _run(self) -> None:
        with self.app.app_context():
            while True:
                with self._lock:
                    ids = list(self._waiters)
                if not ids:
                    with self._lock:
                        self._thread = None
                    return
                try:
                    done = set(
                        db.session.scalars(
                            select(Payment.id).where(Payment.id.in_(ids), Payment.status != PaymentStatus.PENDING)
                        )
                    )
                    db.session.commit()
                except Exception:  # a database hiccup must not kill the watcher (it is logged)
                    db.session.rollback()
                    current_app.logger.exception("payment watcher query failed")
                    done = set()
                finally:
                    db.session.remove()
                with self._lock:
                    for payment_id in done:
                        for event in self._waiters.get(payment_id, ()):
                            event.set()
                feed.wait(self.poll_seconds)


def init_app(app: Flask) -> None:
    app.extensions[WATCHER_KEY] = PaymentWatcher(app)


def wait_until_final(payment_id: int, partner_id: int, timeout: float) -> tuple[Payment, bool]:
    """The payment once it is final, or at the timeout: (payment, timed_out)."""
    watcher: PaymentWatcher = current_app.extensions[WATCHER_KEY]
    with watcher.slots.hold(partner_id):
        return _wait(watcher, payment_id, timeout)


def _wait(watcher: PaymentWatcher, payment_id: int, timeout: float) -> tuple[Payment, bool]:
    woken = watcher.watch(payment_id)
    try:
        deadline = time.monotonic() + timeout
        while True:
            db.session.expire_all()
            payment = db.session.get_one(Payment, payment_id)
            reconcile.reconcile_if_due(payment)  # expiry, and the throttled check for a lost callback
            final = payment.status != PaymentStatus.PENDING
            db.session.commit()  # hold no transaction while waiting
            remaining = deadline - time.monotonic()
            if final or remaining <= 0:
                return payment, not final
            woken.wait(min(WAIT_REFRESH_SECONDS, remaining))
    finally:
        watcher.unwatch(payment_id, woken)
