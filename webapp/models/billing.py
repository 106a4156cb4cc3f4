"""Bill settings (restaurant tax, service charge, rounding, receipt details), one row per change."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime, codes


class PriceMode(enum.StrEnum):
    EXCLUSIVE = "exclusive"  # "++": service and tax are added to the menu prices
    INCLUSIVE = "inclusive"  # "nett": the menu prices include them


class PaymentTiming(enum.StrEnum):
    """When dine-in guests pay: before their order goes to the kitchen, or when they
    leave, on the table's bill (`TableBill`). Takeaway always pays first."""

    PAY_FIRST = "pay_first"
    PAY_LATER = "pay_later"


class Serving(enum.StrEnum):
    """How a dine-in order reaches its guests once it is ready (takeaway is always
    collected at the counter)."""

    TABLE = "table"  # brought to the table
    COUNTER = "counter"  # the guests collect it at the counter


class RoundingDirection(enum.StrEnum):
    UP = "up"
    NEAREST = "nearest"


class BillSettings(Model):
    """The bill settings as saved by someone at some moment. Rows are never updated:
    each change adds a row, so the newest row is in force and the older ones are the
    history (who changed what, and when). No row: 0%, no rounding."""

    __tablename__ = "bill_settings"
    __table_args__ = (
        CheckConstraint("tax_rate BETWEEN 0 AND 1000", name="tax_rate_range"),
        CheckConstraint("service_rate BETWEEN 0 AND 2000", name="service_rate_range"),
        CheckConstraint("rounding_step IN (0, 100, 500, 1000)", name="rounding_step_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tax_rate: Mapped[int] = mapped_column(Integer, default=0)  # basis points: 10% = 1000
    service_rate: Mapped[int] = mapped_column(Integer, default=0)  # basis points
    mode: Mapped[PriceMode] = mapped_column(codes(PriceMode, 10, check="price_mode_known"), default=PriceMode.EXCLUSIVE)
    service_on_takeaway: Mapped[bool] = mapped_column(default=True)
    rounding_step: Mapped[int] = mapped_column(Integer, default=0)  # rupiah; 0: none
    rounding_direction: Mapped[RoundingDirection] = mapped_column(
        codes(RoundingDirection, 10, check="rounding_direction_known"), default=RoundingDirection.UP
    )
    payment_timing: Mapped[PaymentTiming] = mapped_column(
        codes(PaymentTiming, 10, check="payment_timing_known"),
        default=PaymentTiming.PAY_FIRST,
        server_default=PaymentTiming.PAY_FIRST,
    )
    dine_in_serving: Mapped[Serving] = mapped_column(
        codes(Serving, 10, check="serving_known"), default=Serving.TABLE, server_default=Serving.TABLE
    )
    merchant_address: Mapped[str] = mapped_column(String(200), default="")
    merchant_tax_number: Mapped[str] = mapped_column(String(40), default="")  # NPWPD / NPWP
    changed_by: Mapped[str] = mapped_column(String(40))  # the admin's username
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
