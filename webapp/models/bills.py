"""A table's open bill (eat first, pay later): its shares, the order lines each share
claims, and its history.

A sitting starts with the first pay-later order at a table that has no open bill and
ends when the bill is settled (its shares paid) or a cashier closes it. Every status
change of a bill or a share goes through `webapp.payments` as a conditional update.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .billing import PriceMode, RoundingDirection
from .payments import PaymentProvider
from .types import UTCDateTime, codes, new_public_id

if TYPE_CHECKING:
    from .orders import Order, OrderItem
    from .payments import Payment
    from .tables import DiningTable


class BillStatus(enum.StrEnum):
    OPEN = "open"
    SETTLED = "settled"  # the paid shares cover it
    CLOSED = "closed"  # by a cashier, with a reason, unpaid or partly paid

    @property
    def label(self) -> str:
        return str(BILL_STATUS_LABELS[self])


BILL_STATUS_LABELS = {
    BillStatus.OPEN: _l("terbuka"),
    BillStatus.SETTLED: _l("lunas"),
    BillStatus.CLOSED: _l("ditutup"),
}


class SplitMode(enum.StrEnum):
    """How a bill is paid: whole (one share), evenly among N, or by the items each ate."""

    WHOLE = "whole"
    EVEN = "even"
    ITEMS = "items"


class ShareStatus(enum.StrEnum):
    OPEN = "open"  # to be paid
    PAID = "paid"
    CANCELLED = "cancelled"  # the split changed, the rest was paid in one, or the bill closed

    @property
    def label(self) -> str:
        return str(SHARE_STATUS_LABELS[self])


SHARE_STATUS_LABELS = {
    ShareStatus.OPEN: _l("belum dibayar"),
    ShareStatus.PAID: _l("lunas"),
    ShareStatus.CANCELLED: _l("dibatalkan"),
}


class CloseReason(enum.StrEnum):
    """Why a cashier closed a bill that was not (fully) paid."""

    WALK_OUT = "walk_out"
    COMPED = "comped"
    EMPTIED = "emptied"  # its last order moved to another table
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(CLOSE_REASON_LABELS[self])


CLOSE_REASON_LABELS = {
    CloseReason.WALK_OUT: _l("pergi tanpa membayar"),
    CloseReason.COMPED: _l("digratiskan"),
    CloseReason.EMPTIED: _l("semua pesanan pindah meja"),
    CloseReason.OTHER: _l("lainnya"),
}


class BillEventKind(enum.StrEnum):
    """What happened to a bill (`BillEvent.kind`, parameters in `params`);
    webapp/labels.py words them."""

    OPENED = "opened"
    ORDER_ADDED = "order_added"  # {"number"}
    ORDER_MOVED_IN = "order_moved_in"  # {"number", "from_table"}
    ORDER_MOVED_OUT = "order_moved_out"  # {"number", "to_table"}
    SPLIT = "split"  # {"mode", "shares"}
    SHARE_JOINED = "share_joined"  # {"position", "name"}
    LOCKED = "locked"  # {"shares", "total"}
    SPLIT_CANCELLED = "split_cancelled"
    REST_IN_ONE = "rest_in_one"  # {"position", "amount"}
    SHARE_PAID = "share_paid"  # {"share_id", "position", "amount", "method"}
    SETTLED = "settled"  # {"total"}
    CLOSED = "closed"  # {"reason", "note"}
    LATE_MONEY = "late_money"  # {"position", "amount", "share_status", "bill_status"}
    ATTENTION_RESOLVED = "attention_resolved"


class TableBill(Model):
    """The bill of one sitting at a table. Its figures are computed from its orders by
    the bill module under the rules in force when it opened (kept here), and fixed in
    `subtotal`..`total` when its split is locked for paying. `version` goes up with
    every change: the conditional UPDATE that raises it also serialises changes to one
    bill (a row lock on PostgreSQL; SQLite's writes are serial anyway), and the pages
    that show the bill poll it."""

    __tablename__ = "table_bill"
    __table_args__ = (
        # One open bill per table, whoever orders first.
        Index(
            "uq_table_bill_open_table",
            "table_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        CheckConstraint("total >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    table_id: Mapped[int] = mapped_column(ForeignKey("dining_table.id"), index=True)
    table_label: Mapped[str] = mapped_column(String(20))
    business_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[BillStatus] = mapped_column(codes(BillStatus, 10, check="status_known"), default=BillStatus.OPEN)
    split_mode: Mapped[SplitMode | None] = mapped_column(codes(SplitMode, 10, check="split_mode_known"))
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The bill rules in force when the sitting began (webapp/billing/bill.py).
    service_rate: Mapped[int] = mapped_column(Integer, default=0)
    tax_rate: Mapped[int] = mapped_column(Integer, default=0)
    mode: Mapped[PriceMode] = mapped_column(codes(PriceMode, 10), default=PriceMode.EXCLUSIVE)
    rounding_step: Mapped[int] = mapped_column(Integer, default=0)
    rounding_direction: Mapped[RoundingDirection] = mapped_column(
        codes(RoundingDirection, 10), default=RoundingDirection.UP
    )
    # The figures as locked for paying (zero before).
    subtotal: Mapped[int] = mapped_column(Integer, default=0)
    service: Mapped[int] = mapped_column(Integer, default=0)
    tax: Mapped[int] = mapped_column(Integer, default=0)
    rounding: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    discount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # its orders' discounts
    # Money that arrived for a share that no longer wanted it: an AttentionReason code.
    needs_attention: Mapped[bool] = mapped_column(default=False, server_default=false())
    attention_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    attention_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    close_reason: Mapped[CloseReason | None] = mapped_column(codes(CloseReason, 10, check="close_reason_known"))
    close_note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    closed_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    table: Mapped[DiningTable] = relationship()
    orders: Mapped[list[Order]] = relationship(back_populates="bill", order_by="Order.id")
    shares: Mapped[list[BillShare]] = relationship(back_populates="bill", order_by="BillShare.position")
    events: Mapped[list[BillEvent]] = relationship(back_populates="bill", order_by="BillEvent.id")

    @property
    def is_locked(self) -> bool:
        """Its split is fixed for paying: no new orders, no new claims."""
        return self.locked_at is not None


class BillShare(Model):
    """What one payer pays of a bill: its part of every bill figure, fixed when the
    split is locked (an item split's shares are worked out live until then)."""

    __tablename__ = "bill_share"
    __table_args__ = (
        # Shares are numbered 1, 2, ... among those not cancelled: a split chosen again
        # numbers its shares from 1 again.
        Index(
            "uq_bill_share_position",
            "bill_id",
            "position",
            unique=True,
            postgresql_where=text("status != 'cancelled'"),
            sqlite_where=text("status != 'cancelled'"),
        ),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    bill_id: Mapped[int] = mapped_column(ForeignKey("table_bill.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the bill
    payer_name: Mapped[str] = mapped_column(String(40), default="", server_default="")
    rest: Mapped[bool] = mapped_column(default=False, server_default=false())  # "the rest, in one"
    status: Mapped[ShareStatus] = mapped_column(codes(ShareStatus, 10, check="status_known"), default=ShareStatus.OPEN)
    subtotal: Mapped[int] = mapped_column(Integer, default=0)
    service: Mapped[int] = mapped_column(Integer, default=0)
    tax: Mapped[int] = mapped_column(Integer, default=0)
    rounding: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[int] = mapped_column(Integer, default=0)
    discount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # its part of the bill's
    paid_method: Mapped[PaymentProvider | None] = mapped_column(codes(PaymentProvider, 10))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bill: Mapped[TableBill] = relationship(back_populates="shares")
    payments: Mapped[list[Payment]] = relationship(back_populates="share", order_by="Payment.id")
    claims: Mapped[list[ShareClaim]] = relationship(back_populates="share", cascade="all, delete-orphan")

    @property
    def current_payment(self) -> Payment | None:
        return self.payments[-1] if self.payments else None


class ShareClaim(Model):
    """One portion of an order line claimed by a share in an item split ("I had one of
    the three Es Teh"): a line of quantity 3 has units 1, 2 and 3. A unit is claimed by
    one share at most; unclaimed units are shared evenly by every share."""

    __tablename__ = "share_claim"
    __table_args__ = (
        UniqueConstraint("order_item_id", "unit", name="uq_share_claim_unit"),
        CheckConstraint("unit BETWEEN 1 AND 99", name="unit_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    share_id: Mapped[int] = mapped_column(ForeignKey("bill_share.id", ondelete="CASCADE"), index=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_item.id", ondelete="CASCADE"))
    unit: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    share: Mapped[BillShare] = relationship(back_populates="claims")
    order_item: Mapped[OrderItem] = relationship()


class BillEvent(Model):
    """A bill's history: who did what to it, and when (kept after it is settled or closed)."""

    __tablename__ = "bill_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("table_bill.id", ondelete="CASCADE"), index=True)
    kind: Mapped[BillEventKind] = mapped_column(codes(BillEventKind, 20))
    actor: Mapped[str] = mapped_column(String(60))  # as PaymentEvent.actor
    params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bill: Mapped[TableBill] = relationship(back_populates="events")
