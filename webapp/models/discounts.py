"""Discounts: what an order got off (a snapshot, so a later change of a promotion or a
voucher never changes an old order)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime, codes

if TYPE_CHECKING:
    from .orders import Order, OrderItem


class DiscountKind(enum.StrEnum):
    PERCENT = "percent"  # value in basis points: 20% = 2000
    AMOUNT = "amount"  # value in rupiah


class DiscountSource(enum.StrEnum):
    PROMOTION = "promotion"  # applied by the server in its time window
    VOUCHER = "voucher"  # a code the customer or the cashier entered
    MANUAL = "manual"  # given by staff, with a reason (and a manager's approval above a limit)


class OrderDiscount(Model):
    """One discount an order got: on one of its lines (`order_item_id`) or on the whole
    order (None), as it was given: its source and label (the promotion's name, the
    voucher's code, the reason staff typed), percentage or rupiah, and the rupiah it took
    off (`amount`: for a promotion, every unit of the line's). Who gave it and who
    approved it, for a discount staff gave."""

    __tablename__ = "order_discount"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("value > 0", name="value_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    order_item_id: Mapped[int | None] = mapped_column(ForeignKey("order_item.id", ondelete="CASCADE"), index=True)
    source: Mapped[DiscountSource] = mapped_column(codes(DiscountSource, 10, check="discount_source_known"))
    kind: Mapped[DiscountKind] = mapped_column(codes(DiscountKind, 10, check="discount_kind_known"))
    value: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(80), default="", server_default="")
    given_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    approver: Mapped[str] = mapped_column(String(60), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[Order] = relationship(back_populates="discounts")
    order_item: Mapped[OrderItem | None] = relationship()
