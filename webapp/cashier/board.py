"""The live order board: today's open orders in columns, and a version for polling."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Order, OrderStatus, Payment, PaymentMethod, PaymentStatus
from ..timeutil import jakarta_date

COLUMNS = [
    ("awaiting_cash", _l("Menunggu tunai")),
    ("qris_pending", _l("QRIS belum dibayar")),
    ("paid", _l("Dibayar, siapkan")),
    ("preparing", _l("Dimasak")),
    ("ready", _l("Siap diambil")),
    ("attention", _l("Perlu dicek")),
]

NEXT_STEP = {
    OrderStatus.PAID.value: (OrderStatus.PREPARING, _l("Mulai masak")),
    OrderStatus.PREPARING.value: (OrderStatus.READY, _l("Siap")),
    OrderStatus.READY.value: (OrderStatus.COMPLETED, _l("Sudah diambil")),
}


@dataclass(frozen=True)
class Board:
    columns: dict[str, list[Order]]
    version: str
    now: datetime

    def minutes_waiting(self, order: Order) -> int:
        return max(0, int((self.now - order.created_at).total_seconds() // 60))


def column_of(order: Order) -> str:
    if order.status == OrderStatus.AWAITING_PAYMENT.value:
        return "awaiting_cash" if order.payment_method == PaymentMethod.CASH.value else "qris_pending"
    return order.status


def qris_state(order: Order) -> str:
    payment = order.current_payment
    if payment is None or payment.status == PaymentStatus.FAILED.value:
        return _("QRIS gagal dibuat")
    if payment.status == PaymentStatus.EXPIRED.value:
        return _("QR kedaluwarsa")
    return _("menunggu scan")


def board_version(now: datetime) -> str:
    """Changes whenever anything on today's board changes, from two small aggregate
    queries: every order and payment transition bumps `updated_at`. The minute is in it
    because "minutes waiting" moves on."""
    today = Order.business_date == jakarta_date(now)
    orders, last_order_change = db.session.execute(
        select(func.count(Order.id), func.max(Order.updated_at)).where(today)
    ).one()
    last_payment_change = db.session.scalar(
        select(func.max(Payment.updated_at)).join(Order, Payment.order_id == Order.id).where(today)
    )
    minute = now.replace(second=0, microsecond=0).isoformat()
    key = f"{minute}|{orders}|{last_order_change}|{last_payment_change}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def load_board(now: datetime) -> Board:
    """Today's (Asia/Jakarta) open orders, and finished ones still flagged (3 queries)."""
    open_statuses = [s.value for s in OrderStatus if not s.is_final]
    orders = db.session.scalars(
        select(Order)
        .where(Order.business_date == jakarta_date(now))
        .where(or_(Order.status.in_(open_statuses), Order.needs_attention))
        .options(selectinload(Order.items), selectinload(Order.payments))
        .order_by(Order.daily_seq)
    ).all()
    columns: dict[str, list[Order]] = {key: [] for key, _title in COLUMNS}
    for order in orders:
        if order.status in open_statuses:
            columns[column_of(order)].append(order)
        if order.needs_attention:
            columns["attention"].append(order)
    return Board(columns=columns, version=board_version(now), now=now)
