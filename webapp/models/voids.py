"""Voids: what staff took off a placed order (some of a line, a whole line, or the whole
order), why, who did it and who approved it; and the "BATAL" ticket each station that
had the voided lines on its kitchen ticket gets (shown on its display until bumped,
printed on its printer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .kitchen import Station
from .orders import Order
from .printing import PrintJob
from .types import UTCDateTime


class OrderVoid(Model):
    """One void: the whole order (`whole`) or some lines; `amount` is what it took off
    the order's total; `paid`: the order was paid already (the money is a refund)."""

    __tablename__ = "order_void"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    whole: Mapped[bool] = mapped_column(Boolean, default=False)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(80))
    voided_by: Mapped[str] = mapped_column(String(60))
    approver: Mapped[str] = mapped_column(String(60), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)  # the day's voids

    order: Mapped[Order] = relationship()
    lines: Mapped[list[OrderVoidLine]] = relationship(
        back_populates="void", order_by="OrderVoidLine.id", cascade="all, delete-orphan"
    )


class OrderVoidLine(Model):
    """A line's voided quantity, as the line was (`item_id`: the order line's id then; a
    line voided whole is gone from the order, so it is no foreign key)."""

    __tablename__ = "order_void_line"
    __table_args__ = (CheckConstraint("quantity BETWEEN 1 AND 99", name="quantity_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    void_id: Mapped[int] = mapped_column(ForeignKey("order_void.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)

    void: Mapped[OrderVoid] = relationship(back_populates="lines")


class VoidTicket(PrintJob, Model):
    """A station's "BATAL" ticket: the voided lines (`item_ids`) that were on its kitchen
    ticket; on its display until bumped, printed where it has a printer."""

    __tablename__ = "void_ticket"

    void_id: Mapped[int] = mapped_column(ForeignKey("order_void.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("kitchen_station.id", ondelete="CASCADE"), index=True)
    item_ids: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    bumped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bumped_by: Mapped[str] = mapped_column(String(60), default="", server_default="")

    order: Mapped[Order] = relationship()
    void: Mapped[OrderVoid] = relationship()
    station: Mapped[Station] = relationship()

    @property
    def lines(self) -> list[OrderVoidLine]:
        """The void's lines this station had."""
        mine = {int(part) for part in self.item_ids.split(",") if part}
        return [line for line in self.void.lines if line.item_id in mine]
