"""The partner status read (GET /api/v1/payments/<id>), which a POS may ask every second
while its customer pays: answered from a per-process cache kept true by the change
feed, like the order poll (webapp/orders/tracking.py).

An entry is one payment's row as the partner sees it, under the partner and transaction
id. It is dropped when the payment is written in any process: by its order's topic, or
for a payment without one by its own ("payment:<id>", announced by the payments
trigger), and in this process at once by any UPDATE or flush of any payment
("partner-payments"). Nothing is cached on SQLite or while the listener is down, and an
entry lives 30 s at most. A payment due for reconciliation is read from the database.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import Row, bindparam, select

from ..extensions import db, reads_without_transaction
from ..live import cache, feed
from ..models import Payment
from ..payments.resource import RESOURCE_COLUMNS

PARTNER_PAYMENTS_TOPIC = "partner-payments"

# The resource's columns and what decides a reconciliation, built once.
OWN_PAYMENT_FIELDS = select(
    Payment.id, Payment.order_id, Payment.provider, Payment.last_checked_at, *RESOURCE_COLUMNS
).where(Payment.public_id == bindparam("transaction_id"), Payment.partner_id == bindparam("partner_id"))


def own_payment_fields(transaction_id: str, partner_id: int, now: datetime) -> Row | None:
    """The partner's payment's fields (None: it has no such payment), from the cache when
    it may answer, else with one read without a transaction."""

    def read():
        reads_without_transaction()
        row = db.session.execute(
            OWN_PAYMENT_FIELDS, {"transaction_id": transaction_id, "partner_id": partner_id}
        ).first()
        if row is None:
            return None
        topics = {PARTNER_PAYMENTS_TOPIC, feed.payment_topic(row.id)}
        if row.order_id is not None:
            topics |= {feed.order_topic(row.order_id), feed.checked_topic(row.order_id)}
        return row, frozenset(topics)

    return current_app.extensions["partner_payment_cache"].fetch((partner_id, transaction_id), now, read)


def init_app(app: Flask) -> None:
    feed.name_writes((Payment,), PARTNER_PAYMENTS_TOPIC)
    cache.install(app, "partner_payment_cache")
