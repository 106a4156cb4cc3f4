"""Long-poll waiting for a payment to become final, without starving the app.

A wait never holds a database transaction (or connection) while it waits: it re-reads
the payment every WAIT_POLL_SECONDS, and is woken at once by a change made in the same
process. Each process holds at most WAIT_MAX_CONCURRENT waits; past that the API
answers 503 so the rest of the app keeps its threads.
"""
from __future__ import annotations

import threading
import time

from flask import Flask, current_app

from ..extensions import db
from ..models import Payment, PaymentStatus
from ..payments import changes, service
from .errors import ApiError

SLOTS_KEY = "wait_slots"


def init_app(app: Flask) -> None:
    app.extensions[SLOTS_KEY] = threading.BoundedSemaphore(app.config["WAIT_MAX_CONCURRENT"])


def wait_until_final(payment_id: int, timeout: float) -> tuple[Payment, bool]:
    """The payment once it is final, or at the timeout: (payment, timed_out)."""
    slots = current_app.extensions[SLOTS_KEY]
    if not slots.acquire(blocking=False):
        raise ApiError(503, "too_many_waits", "too many payments are being waited for; retry shortly",
                       headers={"Retry-After": "5"})
    try:
        poll = current_app.config["WAIT_POLL_SECONDS"]
        deadline = time.monotonic() + timeout
        while True:
            db.session.expire_all()
            payment = db.session.get(Payment, payment_id)
            service.refresh(payment)  # expiry, and the throttled check for a lost callback
            final = payment.status != PaymentStatus.PENDING.value
            db.session.commit()  # hold no transaction while waiting
            remaining = deadline - time.monotonic()
            if final or remaining <= 0:
                return payment, not final
            changes.wait(min(poll, remaining))
    finally:
        slots.release()
