"""Shifts and the cash drawer: a shift of a till's drawer, opened with a counted float,
and every movement of cash in and out of it while it is open."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime, codes, new_public_id


class ShiftStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # final: a closed shift never changes


class CashKind(enum.StrEnum):
    """What moved cash: into the drawer (a sale: what was tendered minus the change; a
    pay-in) or out of it (a refund, a pay-out: "beli es batu")."""

    SALE = "sale"
    REFUND = "refund"
    PAY_IN = "pay_in"
    PAY_OUT = "pay_out"


class Shift(Model):
    """One shift of a cash drawer (a till's). Several cashiers may work it. Its expected
    cash is the float plus its movements, summed when asked (never a running total);
    at close it is fixed with what was counted, the difference and who approved it."""

    __tablename__ = "shift"
    __table_args__ = (
        CheckConstraint("opening_float >= 0", name="float_not_negative"),
        CheckConstraint("counted IS NULL OR counted >= 0", name="counted_not_negative"),
        # One open shift per drawer, whatever races (two cashiers opening at once).
        Index(
            "uq_shift_open_till",
            "till_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"), index=True)
    status: Mapped[ShiftStatus] = mapped_column(
        codes(ShiftStatus, 10, check="shift_status_known"), default=ShiftStatus.OPEN
    )
    # Raised by every change under the shift's lock (a movement, the close), so that
    # each waits for the one before and a closed shift takes nothing more.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    opened_by: Mapped[str] = mapped_column(String(60))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opening_float: Mapped[int] = mapped_column(Integer)
    closed_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expected: Mapped[int | None] = mapped_column(Integer)  # fixed at close
    counted: Mapped[int | None] = mapped_column(Integer)
    counted_notes: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # {"100000": 2, ...}
    close_note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    approver: Mapped[str] = mapped_column(String(60), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    movements: Mapped[list[CashMovement]] = relationship(back_populates="shift", order_by="CashMovement.id")

    @property
    def difference(self) -> int | None:
        """Counted minus expected, once closed (negative: cash is missing)."""
        if self.counted is None or self.expected is None:
            return None
        return self.counted - self.expected


class CashMovement(Model):
    """Cash into (+) or out of (-) a shift's drawer: who, when, why, for what payment."""

    __tablename__ = "cash_movement"
    __table_args__ = (
        CheckConstraint(
            "(kind IN ('sale', 'pay_in') AND amount > 0) OR (kind IN ('refund', 'pay_out') AND amount < 0)",
            name="amount_sign_of_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id"), index=True)
    kind: Mapped[CashKind] = mapped_column(codes(CashKind, 10, check="cash_kind_known"))
    amount: Mapped[int] = mapped_column(Integer)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), index=True)
    reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    actor: Mapped[str] = mapped_column(String(60))
    approver: Mapped[str] = mapped_column(String(60), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)  # the day's transactions

    shift: Mapped[Shift] = relationship(back_populates="movements")
