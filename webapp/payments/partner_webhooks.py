"""Partner webhooks: an outbox of payment events, signed and delivered with retries.

An event row is written in the same transaction as the payment change it reports, so
no event is lost; the first attempt is made right after that commit, off the request
path; failures are retried with backoff by `flask payments deliver-webhooks` (cron).
Each attempt is claimed with a conditional UPDATE, so two deliverers never send the
same attempt, and every attempt is logged.

Signature: header `Warung-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
"<t>.<raw body>")>`; partners verify it and drop duplicates by the event `id`.

Events go only to public addresses and redirects are not followed (see `outbound`): a
refused destination or a 3xx is logged and retried like any failed attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
from datetime import datetime, timedelta

import requests
from flask import Flask, current_app
from sqlalchemy import select, update

from .. import clock
from ..extensions import db
from ..models import Partner, Payment, WebhookAttempt, WebhookDelivery
from ..state import after_commit, rows_matched
from . import outbound
from .resource import iso, payment_resource, public_status

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Warung-Signature"
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# The last attempt holds the delivery this long: if its process dies mid-send, the
# delivery becomes due again afterwards instead of hanging.
FINAL_ATTEMPT_LEASE = timedelta(hours=1)
SESSION_KEY = "partner_webhooks"
TIMEOUT = (3.05, 10)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def enqueue(payment: Payment, now: datetime) -> None:
    """Queue `payment.<status>` for the payment's partner (in the caller's transaction)."""
    if payment.partner_id is None:
        return
    partner = db.session.get(Partner, payment.partner_id)
    if partner is None or not partner.webhook_url:
        return
    db.session.refresh(payment)
    event_id = "evt_" + secrets.token_hex(12)
    event_type = f"payment.{public_status(payment)}"
    delivery = WebhookDelivery(
        event_id=event_id,
        partner_id=partner.id,
        payment_id=payment.id,
        event_type=event_type,
        payload={"id": event_id, "event": event_type, "created_at": iso(now), "data": payment_resource(payment)},
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(delivery)
    db.session.flush()
    db.session.info.setdefault(SESSION_KEY, []).append(delivery.id)


@after_commit
def dispatch_committed() -> None:
    """After a commit: make the first attempt of the events it queued, off the request
    path (in a thread), or inline when PARTNER_WEBHOOKS_IN_BACKGROUND is off (tests)."""
    ids = db.session.info.pop(SESSION_KEY, [])
    if not ids:
        return
    # current_app is typed as the Flask app it stands for, but is a proxy: the thread
    # needs the object behind it, which only the proxy's own method gives.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["PARTNER_WEBHOOKS_IN_BACKGROUND"]:
        threading.Thread(target=_deliver_in_app, args=(app, ids), daemon=True).start()
    else:
        for delivery_id in ids:
            attempt(delivery_id, clock.now())


def _deliver_in_app(app: Flask, ids: list[int]) -> None:
    with app.app_context():
        try:
            for delivery_id in ids:
                attempt(delivery_id, clock.now())
        finally:
            db.session.remove()


def attempt(delivery_id: int, now: datetime) -> bool | None:
    """Make the next attempt of a delivery if it is due. True: delivered; False: failed
    this time; None: not due, done already, or claimed by another deliverer."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    # Due as deliver_due selects it: a pending delivery always has a next attempt time.
    if (
        delivery is None
        or delivery.status != "pending"
        or delivery.next_attempt_at is None
        or delivery.next_attempt_at > now
    ):
        db.session.rollback()
        return None
    seen = delivery.attempts
    final = seen + 1 >= MAX_ATTEMPTS
    retry_at = now + (FINAL_ATTEMPT_LEASE if final else RETRY_DELAYS[seen])
    claimed = (
        rows_matched(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending", WebhookDelivery.attempts == seen
            )
            .values(attempts=seen + 1, next_attempt_at=retry_at)
            .execution_options(synchronize_session=False)
        )
        == 1
    )
    partner = db.session.get_one(Partner, delivery.partner_id)
    url, secret, body = partner.webhook_url, partner.webhook_secret, body_of(delivery)
    db.session.commit()  # never hold a transaction (or SQLite's lock) across the HTTP call
    if not claimed:
        return None

    started = time.perf_counter()
    status_code, error = None, ""
    try:
        response = outbound.post(
            url,
            allow_private=current_app.config["PARTNER_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"],
            data=body,
            timeout=TIMEOUT,
            headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(secret, int(now.timestamp()), body),
                "User-Agent": "Warung-Webhooks/1",
            },
        )
        status_code = response.status_code
    except outbound.AddressRefused as exc:
        error = f"refused: {exc}"
    except requests.RequestException as exc:
        error = type(exc).__name__
    delivered = status_code is not None and 200 <= status_code < 300
    db.session.add(
        WebhookAttempt(
            delivery_id=delivery_id,
            attempted_at=now,
            status_code=status_code,
            error=error[:255],
            duration_ms=int((time.perf_counter() - started) * 1000),
        )
    )
    values = (
        {"status": "delivered", "delivered_at": now, "next_attempt_at": None}
        if delivered
        else ({"status": "failed", "next_attempt_at": None} if final else {})
    )
    if values:
        db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    if not delivered:
        log.info("partner webhook %s attempt %s failed: %s", delivery.event_id, seen + 1, status_code or error)
    return delivered


def deliver_due(now: datetime | None = None) -> dict[str, int]:
    """For cron: attempt every delivery whose retry time has come."""
    now = now or clock.now()
    due = db.session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
    ).all()
    db.session.commit()
    counts = {"due": len(due), "delivered": 0, "failed": 0}
    for delivery_id in due:
        result = attempt(delivery_id, now)
        if result is True:
            counts["delivered"] += 1
        elif result is False:
            counts["failed"] += 1
    return counts
