"""Kitchen stations, which station cooks each category, and the tickets a paid order
sends to its stations (bumped on the display, printed on a station's printer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .orders import Order
from .printing import PrintJob
from .types import UTCDateTime


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


class KitchenTicket(PrintJob, Model):
    """A paid order's items for one station, made when the order is paid (the
    category's station then decides, later changes do not move it); printed on the
    station's printer, if it has one (else its print state says not needed)."""

    __tablename__ = "kitchen_ticket"
    __table_args__ = (UniqueConstraint("order_id", "station_id", name="uq_kitchen_ticket_order_station"),)

    station_id: Mapped[int] = mapped_column(ForeignKey("kitchen_station.id", ondelete="CASCADE"), index=True)
    item_ids: Mapped[str] = mapped_column(String(400))  # the order lines it holds: "12,13"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the station began cooking it
    bumped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bumped_by: Mapped[str] = mapped_column(String(60), default="", server_default="")

    order: Mapped[Order] = relationship()
    station: Mapped[Station] = relationship()

    @property
    def item_id_list(self) -> list[int]:
        """The order lines it holds, in the order's order (however they were stored)."""
        return sorted(int(part) for part in self.item_ids.split(",") if part)
