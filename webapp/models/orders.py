"""Orders, their lines and status history, and the codes that say why an order changed."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .billing import PriceMode
from .tables import OrderType
from .types import UTCDateTime, codes, new_public_id

if TYPE_CHECKING:
    from .bills import TableBill
    from .discounts import OrderDiscount
    from .kitchen import KitchenTicket
    from .payments import Payment
    from .refunds import Refund
    from .tables import DiningTable


class PaymentMethod(enum.StrEnum):
    QRIS = "qris"
    CASH = "cash"
    BILL = "bill"  # pay later: on the table's bill (`Order.bill`)


class OrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    ON_BILL = "on_bill"  # pay later: sent to the kitchen unpaid, on the table's open bill
    PAID = "paid"
    PREPARING = "preparing"
    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (OrderStatus.COMPLETED, OrderStatus.CANCELLED)

    @property
    def label(self) -> str:
        return str(ORDER_STATUS_LABELS[self])


ORDER_STATUS_LABELS = {
    OrderStatus.AWAITING_PAYMENT: _l("menunggu pembayaran"),
    OrderStatus.ON_BILL: _l("bayar nanti"),
    OrderStatus.PAID: _l("dibayar"),
    OrderStatus.PREPARING: _l("sedang dimasak"),
    OrderStatus.READY: _l("siap"),  # brought to the table or collected: a setting (BillSettings)
    OrderStatus.COMPLETED: _l("selesai"),
    OrderStatus.CANCELLED: _l("dibatalkan"),
}


class AttentionReason(enum.StrEnum):
    """Why an order needs the cashier (`Order.attention_reason`); its parameters are in
    `Order.attention_params`. webapp/labels.py turns both into words."""

    PAID_FOR_CLOSED_ORDER = "paid_for_closed_order"  # {"order_status"}
    PAID_AFTER_QR_CLOSED = "paid_after_qr_closed"  # {"payment_status"}
    AMOUNT_MISMATCH = "amount_mismatch"  # {"received", "expected"}
    NOTE = "note"  # {"text"}: a sentence stored before reasons were codes
    # On a table's bill (`TableBill.attention_reason`): a share's QR was paid after the
    # share was paid another way or cancelled, or after the bill was settled or closed.
    PAID_FOR_CLOSED_SHARE = "paid_for_closed_share"  # {"position", "share_status", "bill_status"}
    VOIDED_AFTER_PAYMENT = "voided_after_payment"  # {"amount"}: staff voided some of a paid order: a refund


class ChangeReason(enum.StrEnum):
    """Why an order's status changed (`OrderStatusChange.reason`, parameters in
    `reason_params`); most changes need none."""

    QRIS_PAID = "qris_paid"  # {"merchant_order_id"}
    CASH_PAID = "cash_paid"  # {"tendered", "change"}
    ATTENTION_RESOLVED = "attention_resolved"  # {"reason", "params"}: the attention reason handled
    SWITCHED_TO_CASH = "switched_to_cash"  # an unpaid order's payment method changed
    SWITCHED_TO_QRIS = "switched_to_qris"
    MOVED_TABLE = "moved_table"  # {"from_table", "to_table"}
    BILL_SETTLED = "bill_settled"  # {"table"}: its table's bill was paid in full
    TABLE_CLEARED = "table_cleared"  # {"table"}: the guests left, the cashier freed the table
    NOTE = "note"  # {"text"}: what the person typed (a cancellation reason)
    BUMP_UNDONE = "bump_undone"  # {"station"}: a station took back its "done" (a mistaken bump)
    DISCOUNTED = "discounted"  # {"amount", "total"}: staff gave a discount; the order's new total
    REFUNDED = "refunded"  # {"amount", "method"}: money given back (a Refund row)
    VOIDED = "voided"  # {"void", "lines", "amount", "total", "text"}: staff voided lines or the order (models/voids.py)


class OrderNumberCounter(Model):
    """The last order number handed out on each business day (Asia/Jakarta)."""

    __tablename__ = "order_number_counter"

    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


class Order(Model):
    __tablename__ = "order"
    __table_args__ = (
        UniqueConstraint("business_date", "daily_seq", name="uq_order_daily_number"),
        CheckConstraint("total >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    business_date: Mapped[date] = mapped_column(Date)
    daily_seq: Mapped[int] = mapped_column(Integer)
    customer_name: Mapped[str] = mapped_column(String(40))
    # The table's label as it was when ordered (a table may be renamed later); empty for takeaway.
    table_label: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    payment_method: Mapped[PaymentMethod] = mapped_column(codes(PaymentMethod, 10, check="payment_method_known"))
    status: Mapped[OrderStatus] = mapped_column(
        codes(OrderStatus, 20, check="status_known"), default=OrderStatus.AWAITING_PAYMENT
    )
    total: Mapped[int] = mapped_column(Integer)
    # Set when money arrived that the cashier must look at (paid after cancel or
    # expiry, amount mismatch, paid twice): an AttentionReason code and its parameters.
    needs_attention: Mapped[bool] = mapped_column(default=False, server_default=false())
    attention_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    attention_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    # Rung up by staff at a till (or a waiter's phone): who took it, and which till
    # (its display shows it, its printer prints the receipt). Empty for a customer's own.
    taken_by: Mapped[str] = mapped_column(String(40), default="", server_default="")
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id", ondelete="SET NULL"), index=True)
    # Random token from the checkout form: a double-submitted form places one order.
    checkout_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.id", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(back_populates="order", order_by="Payment.id")
    history: Mapped[list[OrderStatusChange]] = relationship(back_populates="order", order_by="OrderStatusChange.id")
    # Its kitchen tickets, one per station that cooks some of it (webapp/kitchen).
    tickets: Mapped[list[KitchenTicket]] = relationship(order_by="KitchenTicket.station_id", viewonly=True)
    # Where it is eaten: at `table` (dine_in), or taken away (no table).
    order_type: Mapped[OrderType] = mapped_column(
        codes(OrderType, 10, check="order_type_known"), default=OrderType.TAKEAWAY, server_default="takeaway"
    )
    table_id: Mapped[int | None] = mapped_column(ForeignKey("dining_table.id", ondelete="SET NULL"), index=True)
    table: Mapped[DiningTable | None] = relationship()
    # Pay later: the table's bill this order is on (None: paid on its own).
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("table_bill.id"), index=True)
    bill: Mapped[TableBill | None] = relationship(back_populates="orders")
    # The bill as computed when the order was placed (webapp/billing/bill.py), kept so
    # that changing the bill settings never alters a past order: `total` (above) is
    # bill_subtotal + bill_service + bill_tax + bill_rounding. Rates in basis points.
    bill_subtotal: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bill_service: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bill_tax: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bill_rounding: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bill_service_rate: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bill_tax_rate: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    bill_mode: Mapped[PriceMode] = mapped_column(
        codes(PriceMode, 10), default=PriceMode.EXCLUSIVE, server_default="exclusive"
    )
    # The discounts' sum (taken off the lines before service and tax: bill_subtotal is
    # what is left of them), and each discount as it was given (`discounts`).
    bill_discount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    discounts: Mapped[list[OrderDiscount]] = relationship(
        back_populates="order", order_by="OrderDiscount.id", cascade="all, delete-orphan"
    )
    # What was given back of the money paid for it (the sum of its `refunds`), raised by
    # one conditional UPDATE per refund so that it never passes what was paid.
    refunded: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    refunds: Mapped[list[Refund]] = relationship(back_populates="order", order_by="Refund.id")

    @property
    def number(self) -> str:
        """The short human number of the day, e.g. `A-042`."""
        return f"A-{self.daily_seq:03d}"

    @property
    def is_takeaway(self) -> bool:
        return self.order_type == OrderType.TAKEAWAY

    @property
    def kept_after_refunds(self) -> int:
        """Its total less what refunds of the sale gave back (money it never asked for,
        refunded too, was never part of it)."""
        return self.total - sum(refund.amount for refund in self.refunds if not refund.extra)

    @property
    def current_payment(self) -> Payment | None:
        """The latest payment attempt (a new QR replaces the one before)."""
        return self.payments[-1] if self.payments else None


class OrderItem(Model):
    __tablename__ = "order_item"
    __table_args__ = (
        CheckConstraint("quantity BETWEEN 1 AND 99", name="quantity_range"),
        CheckConstraint("unit_price > 0", name="unit_price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    # Snapshot of the menu at checkout; the link may be cut when the item is deleted.
    menu_item_id: Mapped[int | None] = mapped_column(ForeignKey("menu_item.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80), default="", server_default="")  # for the customer's page
    unit_price: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(80), default="")
    line_total: Mapped[int] = mapped_column(Integer)  # unit_price x quantity, at menu prices

    order: Mapped[Order] = relationship(back_populates="items")
    options: Mapped[list[OrderItemOption]] = relationship(
        back_populates="order_item", order_by="OrderItemOption.id", cascade="all, delete-orphan"
    )

    @property
    def discounts(self) -> list[OrderDiscount]:
        """What the line got off (its promotion, its own discount), as given."""
        return [discount for discount in self.order.discounts if discount.order_item is self]

    @property
    def discount(self) -> int:
        return sum(discount.amount for discount in self.discounts)

    @property
    def paid_for(self) -> int:
        """What the line costs after its own discounts."""
        return self.line_total - self.discount

    @property
    def option_names(self) -> list[str]:
        """The chosen options' names as they were ordered (for receipts and tickets)."""
        return [option.name for option in self.options]


class OrderStatusChange(Model):
    """Status history of an order: who moved it, when, from what to what, and why."""

    __tablename__ = "order_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[OrderStatus | None] = mapped_column(codes(OrderStatus, 20))
    to_status: Mapped[OrderStatus] = mapped_column(codes(OrderStatus, 20))
    actor: Mapped[str] = mapped_column(String(60))  # as PaymentEvent.actor
    reason: Mapped[str] = mapped_column(String(200), default="")  # a ChangeReason code, or empty
    reason_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[Order] = relationship(back_populates="history")


class OrderItemOption(Model):
    """An option chosen on an order line, snapshotted as it was at checkout (the
    option may later change or be deleted); its price difference is already part of
    the line's unit price."""

    __tablename__ = "order_item_option"
    __table_args__ = (CheckConstraint("price_diff >= 0", name="price_diff_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_item.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("option.id", ondelete="SET NULL"), index=True)
    group_name: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60), default="", server_default="")
    price_diff: Mapped[int] = mapped_column(Integer, default=0)

    order_item: Mapped[OrderItem] = relationship(back_populates="options")
