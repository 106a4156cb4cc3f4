"""Refunds: money of a paid order given back, with a reason and a manager's approval."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime, codes, new_public_id

if TYPE_CHECKING:
    from .orders import Order


class RefundMethod(enum.StrEnum):
    """How the money went back: cash out of the open shift's drawer, or paid back
    outside the gateway (Duitku has no QRIS refund) with the transfer's reference."""

    CASH = "cash"
    BANK_TRANSFER = "transfer"
    EWALLET = "ewallet"


class Refund(Model):
    """Money given back for an order: all of it, some of its lines, or an amount. `tax`
    and `service` are the PB1 and service charge it reverses (billing/bill.py:
    `reversal`); money the order never asked for (a late or double payment, `extra`)
    reverses none. `lines` are the lines refunded ({"id", "name", "quantity",
    "amount"}; None for an amount)."""

    __tablename__ = "refund"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("tax >= 0 AND service >= 0", name="reversal_not_negative"),
        CheckConstraint("method = 'cash' OR reference != ''", name="reference_outside_gateway"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    reason: Mapped[str] = mapped_column(String(200))
    method: Mapped[RefundMethod] = mapped_column(codes(RefundMethod, 10, check="refund_method_known"))
    reference: Mapped[str] = mapped_column(String(64), default="", server_default="")
    tax: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    service: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rounding: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # may be negative
    extra: Mapped[bool] = mapped_column(default=False)
    actor: Mapped[str] = mapped_column(String(60))
    approver: Mapped[str] = mapped_column(String(60))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    order: Mapped[Order] = relationship(back_populates="refunds")
