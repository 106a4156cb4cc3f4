"""The sandbox's transactions, kept in an SQLite file so that they survive restarts and
are shared by every process that serves the sandbox."""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

SCHEMA = """
CREATE TABLE IF NOT EXISTS sandbox_transaction (
    reference TEXT PRIMARY KEY,
    merchant_code TEXT NOT NULL,
    merchant_order_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    payment_method TEXT NOT NULL,
    product_details TEXT NOT NULL,
    customer_va_name TEXT NOT NULL,
    email TEXT NOT NULL,
    callback_url TEXT NOT NULL,
    return_url TEXT NOT NULL,
    qr_string TEXT NOT NULL,
    status TEXT NOT NULL,            -- '01' pending, '00' paid, '02' cancelled or failed
    issuer_code TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    callback_attempts INTEGER NOT NULL DEFAULT 0,
    callback_result TEXT NOT NULL DEFAULT '',
    UNIQUE (merchant_code, merchant_order_id)
)
"""

# A fixed statement: the columns never come from the caller's keyword names.
INSERT = """
INSERT INTO sandbox_transaction (
    reference, merchant_code, merchant_order_id, amount, payment_method, product_details, customer_va_name, email,
    callback_url, return_url, qr_string, status, created_at, expires_at
) VALUES (
    :reference, :merchant_code, :merchant_order_id, :amount, :payment_method, :product_details, :customer_va_name,
    :email, :callback_url, :return_url, :qr_string, :status, :created_at, :expires_at
)
"""

PENDING, PAID, CANCELLED = "01", "00", "02"


@dataclass(frozen=True)
class Transaction:
    reference: str
    merchant_code: str
    merchant_order_id: str
    amount: int
    payment_method: str
    product_details: str
    customer_va_name: str
    email: str
    callback_url: str
    return_url: str
    qr_string: str
    status: str
    issuer_code: str
    created_at: datetime
    expires_at: datetime
    callback_attempts: int
    callback_result: str

    def status_at(self, now: datetime) -> str:
        """Pending past its expiry reads as cancelled, as Duitku reports it."""
        if self.status == PENDING and now >= self.expires_at:
            return CANCELLED
        return self.status


class DuplicateOrderId(Exception):
    pass


class Store:
    def __init__(self, path: str):
        self.path = path
        with self._connect() as connection:
            connection.execute(SCHEMA)

    @contextmanager
    def _connect(self):
        with closing(sqlite3.connect(self.path, timeout=10)) as connection:
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA journal_mode = WAL")
            with connection:
                yield connection

    def create(self, *, now: datetime, expiry_minutes: int, **fields) -> Transaction:
        row = {
            **fields,
            "status": PENDING,
            "created_at": now.isoformat(),
            "expires_at": (now + timedelta(minutes=expiry_minutes)).isoformat(),
        }
        try:
            with self._connect() as connection:
                connection.execute(INSERT, row)
        except sqlite3.IntegrityError as exc:
            raise DuplicateOrderId(fields["merchant_order_id"]) from exc
        return self.get_one(fields["reference"])

    def get(self, reference: str) -> Transaction | None:
        return self._one("SELECT * FROM sandbox_transaction WHERE reference = ?", reference)

    def get_one(self, reference: str) -> Transaction:
        """A transaction that exists (just written): transactions are never deleted."""
        txn = self.get(reference)
        if txn is None:
            raise LookupError(f"no sandbox transaction {reference}")
        return txn

    def by_order_id(self, merchant_code: str, merchant_order_id: str) -> Transaction | None:
        return self._one(
            "SELECT * FROM sandbox_transaction WHERE merchant_code = ? AND merchant_order_id = ?",
            merchant_code,
            merchant_order_id,
        )

    def settle(self, reference: str, status: str, issuer_code: str, now: datetime) -> bool:
        """Pay or fail a pending, unexpired transaction; False if it was not pending."""
        with self._connect() as connection:
            cursor = connection.execute(
                "UPDATE sandbox_transaction SET status = ?, issuer_code = ? "
                "WHERE reference = ? AND status = ? AND expires_at > ?",
                (status, issuer_code, reference, PENDING, now.isoformat()),
            )
            return cursor.rowcount == 1

    def record_callback(self, reference: str, result: str) -> None:
        with self._connect() as connection:
            connection.execute(
                "UPDATE sandbox_transaction SET callback_attempts = callback_attempts + 1, "
                "callback_result = ? WHERE reference = ?",
                (result, reference),
            )

    def _one(self, sql: str, *params) -> Transaction | None:
        with self._connect() as connection:
            row = connection.execute(sql, params).fetchone()
        if row is None:
            return None
        values = dict(row)
        for key in ("created_at", "expires_at"):
            values[key] = datetime.fromisoformat(values[key]).astimezone(UTC)
        return Transaction(**values)
