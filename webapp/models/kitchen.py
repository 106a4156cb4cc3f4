"""Kitchen stations, which station cooks each category, and the tickets a paid order
sends to its stations (bumped on the display, printed on a station's printer)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .orders import Order
from .types import UTCDateTime, codes


class PrintState(enum.StrEnum):
    NOT_NEEDED = "not_needed"  # the station has no printer
    QUEUED = "queued"  # waiting to be printed (again)
    PRINTED = "printed"


class Station(Model):
    __tablename__ = "kitchen_station"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    printer: Mapped[str] = mapped_column(String(120), default="", server_default="")  # host:port, or ""
    position: Mapped[int] = mapped_column(Integer, default=0)


class StationCategory(Model):
    """Which station cooks a category's items: at most one per category."""

    __tablename__ = "kitchen_station_category"

    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("kitchen_station.id", ondelete="CASCADE"), index=True)


class KitchenTicket(Model):
    """A paid order's items for one station, made when the order is paid (the
    category's station then decides, later changes do not move it)."""

    __tablename__ = "kitchen_ticket"
    __table_args__ = (UniqueConstraint("order_id", "station_id", name="uq_kitchen_ticket_order_station"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("kitchen_station.id", ondelete="CASCADE"), index=True)
    item_ids: Mapped[str] = mapped_column(String(400))  # the order lines it holds: "12,13"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the station began cooking it
    bumped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bumped_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    print_state: Mapped[PrintState] = mapped_column(
        codes(PrintState, 12), default=PrintState.NOT_NEEDED, server_default=PrintState.NOT_NEEDED.value
    )
    print_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    print_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    print_error: Mapped[str] = mapped_column(String(200), default="", server_default="")

    order: Mapped[Order] = relationship()
    station: Mapped[Station] = relationship()

    @property
    def item_id_list(self) -> list[int]:
        """The order lines it holds, in the order's order (however they were stored)."""
        return sorted(int(part) for part in self.item_ids.split(",") if part)
