"""Dining tables, their QR tokens, and where an order is eaten (`OrderType`)."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime, new_public_id


class OrderType(enum.StrEnum):
    """Where an order is eaten: at a table (`Order.table_id`), or taken away."""

    DINE_IN = "dine_in"
    TAKEAWAY = "takeaway"

    @property
    def label(self) -> str:
        return str(ORDER_TYPE_LABELS[self])


ORDER_TYPE_LABELS = {
    OrderType.DINE_IN: _l("Makan di sini"),
    OrderType.TAKEAWAY: _l("Bungkus"),
}


class DiningTable(Model):
    """A table customers sit at. Its QR sticker carries `token` (unguessable); a new
    token retires the old one (`RetiredTableToken`), so a photographed sticker stops
    working. Tables are deactivated, never deleted: orders keep pointing at them."""

    __tablename__ = "dining_table"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(20), unique=True)
    area: Mapped[str] = mapped_column(String(40), default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the cashier last freed the table (the guests left): phones seated before
    # then no longer order onto it (webapp/tables/visit.py).
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    retired_tokens: Mapped[list[RetiredTableToken]] = relationship(
        back_populates="table", order_by="RetiredTableToken.id", cascade="all, delete-orphan"
    )


class RetiredTableToken(Model):
    """A token a table's sticker used to carry: its link answers with a friendly page
    naming the table, never with the table itself."""

    __tablename__ = "retired_table_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("dining_table.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    table: Mapped[DiningTable] = relationship(back_populates="retired_tokens")
