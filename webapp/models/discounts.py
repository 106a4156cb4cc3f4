"""Discounts: what an order got off (a snapshot, so a later change of a promotion or a
voucher never changes an old order)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime, codes

if TYPE_CHECKING:
    from .menu import Category, MenuItem
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
    # The promotion or voucher it came from (kept for the reports; the row keeps its own copy).
    promotion_id: Mapped[int | None] = mapped_column(ForeignKey("promotion.id", ondelete="SET NULL"), index=True)
    voucher_id: Mapped[int | None] = mapped_column(ForeignKey("voucher.id", ondelete="SET NULL"), index=True)

    order: Mapped[Order] = relationship(back_populates="discounts")
    order_item: Mapped[OrderItem | None] = relationship()


# What a promotion applies to: items, and whole categories.
promotion_item = Table(
    "promotion_item",
    Model.metadata,
    Column("promotion_id", ForeignKey("promotion.id", ondelete="CASCADE"), primary_key=True),
    Column("menu_item_id", ForeignKey("menu_item.id", ondelete="CASCADE"), primary_key=True),
)
promotion_category = Table(
    "promotion_category",
    Model.metadata,
    Column("promotion_id", ForeignKey("promotion.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id", ondelete="CASCADE"), primary_key=True),
)

WHOLE_DAY = 24 * 60
EVERY_DAY = 0b111_1111  # Monday is bit 0, Sunday bit 6


class Promotion(Model):
    """A percentage or rupiah off the items and categories it names, on the days of the
    week (`days`, a bit per day, Monday first) between `starts_at` and `ends_at`
    (minutes after midnight in Asia/Jakarta, the end not included): "happy hour
    15.00-17.00, minuman -20%". The server applies it while it is on (`active`) and in
    its window; an order keeps what it got (`OrderDiscount`)."""

    __tablename__ = "promotion"
    __table_args__ = (
        CheckConstraint("value > 0 AND (kind != 'percent' OR value <= 10000)", name="value_in_range"),
        CheckConstraint("days BETWEEN 1 AND 127", name="days_in_range"),
        CheckConstraint("starts_at >= 0 AND starts_at < ends_at AND ends_at <= 1440", name="window_in_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[DiscountKind] = mapped_column(codes(DiscountKind, 10, check="promotion_kind_known"))
    value: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(Integer, default=EVERY_DAY)
    starts_at: Mapped[int] = mapped_column(Integer, default=0)
    ends_at: Mapped[int] = mapped_column(Integer, default=WHOLE_DAY)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[MenuItem]] = relationship(secondary=promotion_item, order_by="MenuItem.name")
    categories: Mapped[list[Category]] = relationship(secondary=promotion_category, order_by="Category.position")


class VoucherStatus(enum.StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"  # by staff: no longer taken, whatever its dates and uses


class Voucher(Model):
    """A code customers enter at checkout (or the cashier at the till) for a percentage
    or rupiah off the order, from `valid_from` to `valid_until` (days in Asia/Jakarta,
    both included), for an order whose lines come to `min_spend` at least, at most
    `uses_limit` times in all: `uses` is raised by one conditional UPDATE (`uses <
    uses_limit`, through the transition kernel) in the transaction that places the order,
    so racing checkouts never take more uses than there are."""

    __tablename__ = "voucher"
    __table_args__ = (
        CheckConstraint("value > 0 AND (kind != 'percent' OR value <= 10000)", name="value_in_range"),
        CheckConstraint("uses >= 0 AND uses <= uses_limit", name="uses_within_limit"),
        CheckConstraint("min_spend >= 0", name="min_spend_not_negative"),
        CheckConstraint("valid_from <= valid_until", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # upper case, no spaces
    kind: Mapped[DiscountKind] = mapped_column(codes(DiscountKind, 10, check="voucher_kind_known"))
    value: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    uses_limit: Mapped[int] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    min_spend: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[VoucherStatus] = mapped_column(
        codes(VoucherStatus, 10, check="voucher_status_known"), default=VoucherStatus.ACTIVE
    )
    created_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
