"""Typed SQLAlchemy 2.0 models. Money is integer rupiah; timestamps are aware UTC."""
from __future__ import annotations

import enum
import secrets
from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .payments import change_triggers
from .timeutil import utcnow


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every database.

    PostgreSQL keeps the zone; SQLite drops it, so values read back are tagged UTC
    again here. Naive values are refused on the way in: they are always a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def new_public_id() -> str:
    """128 random bits, URL-safe: used in every customer URL instead of the row id."""
    return secrets.token_urlsafe(16)


class PaymentMethod(str, enum.Enum):
    QRIS = "qris"
    CASH = "cash"


class OrderStatus(str, enum.Enum):
    AWAITING_PAYMENT = "awaiting_payment"
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
    OrderStatus.PAID: _l("dibayar"),
    OrderStatus.PREPARING: _l("sedang dimasak"),
    OrderStatus.READY: _l("siap diambil"),
    OrderStatus.COMPLETED: _l("selesai"),
    OrderStatus.CANCELLED: _l("dibatalkan"),
}


class PaymentStatus(str, enum.Enum):
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"


class AttentionReason(str, enum.Enum):
    """Why an order needs the cashier (`Order.attention_reason`); its parameters are in
    `Order.attention_params`. webapp/labels.py turns both into words."""

    PAID_FOR_CLOSED_ORDER = "paid_for_closed_order"  # {"order_status"}
    PAID_AFTER_QR_CLOSED = "paid_after_qr_closed"  # {"payment_status"}
    AMOUNT_MISMATCH = "amount_mismatch"  # {"received", "expected"}
    NOTE = "note"  # {"text"}: a sentence stored before reasons were codes


class ChangeReason(str, enum.Enum):
    """Why an order's status changed (`OrderStatusChange.reason`, parameters in
    `reason_params`); most changes need none."""

    QRIS_PAID = "qris_paid"  # {"merchant_order_id"}
    CASH_PAID = "cash_paid"  # {"tendered", "change"}
    ATTENTION_RESOLVED = "attention_resolved"  # {"reason", "params"}: the attention reason handled
    SWITCHED_TO_CASH = "switched_to_cash"  # an unpaid order's payment method changed
    SWITCHED_TO_QRIS = "switched_to_qris"
    NOTE = "note"  # {"text"}: what the person typed (a cancellation reason)


class EventKind(str, enum.Enum):
    """What touched a payment (`PaymentEvent.kind`)."""

    CREATED = "created"
    INQUIRY = "inquiry"
    INQUIRY_FAILED = "inquiry_failed"
    CALLBACK = "callback"
    STATUS_CHECK = "status_check"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    CASH_CONFIRMED = "cash_confirmed"


class EventNote(str, enum.Enum):
    """What a payment event found or did (`PaymentEvent.note`, parameters in
    `note_params`). Parameters that come from outside (errors, codes) are kept as sent."""

    ALREADY_PAID = "already_paid"
    DUITKU_REFERENCE = "duitku_reference"  # {"reference"}
    GATEWAY_ERROR = "gateway_error"  # {"error"}
    MISSING_FIELD = "missing_field"  # {"field"}
    INVALID_SIGNATURE = "invalid_signature"
    UNKNOWN_MERCHANT = "unknown_merchant"
    UNKNOWN_ORDER_ID = "unknown_order_id"
    AMOUNT_MISMATCH = "amount_mismatch"
    NOT_COMPLETED = "not_completed"  # {"result_code"}
    UNCONFIRMED_GATEWAY_DOWN = "unconfirmed_gateway_down"  # {"error"}
    UNCONFIRMED_BY_STATUS = "unconfirmed_by_status"  # {"status_code"}
    PAID_PER_STATUS_CHECK = "paid_per_status_check"
    PAID_AT_EXPIRY_CHECK = "paid_at_expiry_check"
    CANCELLED_BY_GATEWAY = "cancelled_by_gateway"  # {"message"}
    STILL_PENDING = "still_pending"
    EXPIRED_UNCONFIRMED = "expired_unconfirmed"
    CASH_RECEIVED = "cash_received"  # {"tendered", "change"}
    SWITCHED_TO_CASH = "switched_to_cash"
    NOTE = "note"  # {"text"}: typed by a person, or a sentence stored before notes were codes


class Role(str, enum.Enum):
    CASHIER = "cashier"
    ADMIN = "admin"


class PaymentProvider(str, enum.Enum):
    DUITKU = "duitku"
    CASH = "cash"


def _in_check(column: str, enum_cls: type[enum.Enum]) -> str:
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return f"{column} IN ({values})"


class Category(db.Model):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(60), default="", server_default="")  # optional English name
    position: Mapped[int] = mapped_column(Integer, default=0)

    items: Mapped[list[MenuItem]] = relationship(
        back_populates="category", order_by="MenuItem.position, MenuItem.id"
    )


class MenuItem(db.Model):
    __tablename__ = "menu_item"
    __table_args__ = (
        UniqueConstraint("category_id", "name", name="uq_menu_item_category_name"),
        CheckConstraint("price > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(200), default="")
    # Optional English text, shown on English pages when given.
    name_en: Mapped[str] = mapped_column(String(80), default="", server_default="")
    description_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    price: Mapped[int] = mapped_column(Integer)
    available: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    category: Mapped[Category] = relationship(back_populates="items")


class OrderNumberCounter(db.Model):
    """The last order number handed out on each business day (Asia/Jakarta)."""

    __tablename__ = "order_number_counter"

    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


TAKEAWAY = "Bungkus"  # the table field of a takeaway order
TAKEAWAY_WORDS = frozenset({"bungkus", "dibungkus", "takeaway", "take away", "take-away"})


def means_takeaway(table_label: str) -> bool:
    """Whether a table field says takeaway ("Bungkus", "take away", ...), whatever its case and spacing."""
    return " ".join(table_label.split()).casefold() in TAKEAWAY_WORDS


class Order(db.Model):
    __tablename__ = "order"
    __table_args__ = (
        UniqueConstraint("business_date", "daily_seq", name="uq_order_daily_number"),
        CheckConstraint(_in_check("status", OrderStatus), name="status_known"),
        CheckConstraint(_in_check("payment_method", PaymentMethod), name="payment_method_known"),
        CheckConstraint("total >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    business_date: Mapped[date] = mapped_column(Date)
    daily_seq: Mapped[int] = mapped_column(Integer)
    customer_name: Mapped[str] = mapped_column(String(40))
    table_label: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    payment_method: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.AWAITING_PAYMENT.value)
    total: Mapped[int] = mapped_column(Integer)
    # Set when money arrived that the cashier must look at (paid after cancel or
    # expiry, amount mismatch, paid twice): an AttentionReason code and its parameters.
    needs_attention: Mapped[bool] = mapped_column(default=False, server_default=false())
    attention_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    attention_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    # Random token from the checkout form: a double-submitted form places one order.
    checkout_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.id", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(back_populates="order", order_by="Payment.id")
    history: Mapped[list[OrderStatusChange]] = relationship(
        back_populates="order", order_by="OrderStatusChange.id"
    )

    @property
    def number(self) -> str:
        """The short human number of the day, e.g. `A-042`."""
        return f"A-{self.daily_seq:03d}"

    @property
    def status_enum(self) -> OrderStatus:
        return OrderStatus(self.status)

    @property
    def is_takeaway(self) -> bool:
        return means_takeaway(self.table_label)

    @property
    def current_payment(self) -> Payment | None:
        """The latest payment attempt (a new QR replaces the one before)."""
        return self.payments[-1] if self.payments else None


class OrderItem(db.Model):
    __tablename__ = "order_item"
    __table_args__ = (
        CheckConstraint("quantity BETWEEN 1 AND 99", name="quantity_range"),
        CheckConstraint("unit_price > 0", name="unit_price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    # Snapshot of the menu at checkout; the link may be cut when the item is deleted.
    menu_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("menu_item.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80), default="", server_default="")  # for the customer's page
    unit_price: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(80), default="")
    line_total: Mapped[int] = mapped_column(Integer)

    order: Mapped[Order] = relationship(back_populates="items")


class Payment(db.Model):
    """One attempt to collect money: a Duitku QRIS transaction, or cash at the counter.

    Its status only ever changes through `webapp.payments.service`.
    """

    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint(_in_check("status", PaymentStatus), name="status_known"),
        CheckConstraint(_in_check("provider", PaymentProvider), name="provider_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id"), index=True)
    # Partner (POS) payments: who asked, for which store, and their own fields.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    license_id: Mapped[int | None] = mapped_column(ForeignKey("license.id"))
    reference_id: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(255), default="", server_default="")
    extra: Mapped[dict | None] = mapped_column("metadata", JSON)
    provider: Mapped[str] = mapped_column(String(10))
    # Duitku's merchantOrderId: new for every inquiry attempt.
    merchant_order_id: Mapped[str | None] = mapped_column(String(50), unique=True)
    reference: Mapped[str | None] = mapped_column(String(64))  # Duitku's reference
    amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=PaymentStatus.PENDING.value)
    qr_string: Mapped[str | None] = mapped_column(Text)
    payment_url: Mapped[str | None] = mapped_column(String(255))
    failure_reason: Mapped[str] = mapped_column(String(255), default="")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payer_issuer_code: Mapped[str] = mapped_column(String(16), default="")
    payer_issuer_name: Mapped[str] = mapped_column(String(64), default="")
    # When Duitku's transactionStatus was last asked (throttles status reads).
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    order: Mapped[Order | None] = relationship(back_populates="payments")
    license: Mapped[License | None] = relationship()
    events: Mapped[list[PaymentEvent]] = relationship(
        back_populates="payment", order_by="PaymentEvent.id"
    )

    @property
    def status_enum(self) -> PaymentStatus:
        return PaymentStatus(self.status)


class PaymentEvent(db.Model):
    """Append-only log of everything that touched a payment: callbacks (raw), status
    checks, expiry, customer and cashier actions; what each changed, if anything."""

    __tablename__ = "payment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty for a callback naming a merchantOrderId we do not know.
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    # "customer", "system", "duitku", "cashier:<username>" or "partner:<id>"
    actor: Mapped[str] = mapped_column(String(60), default="system")
    signature_valid: Mapped[bool | None] = mapped_column()
    payload: Mapped[dict | None] = mapped_column(JSON)
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str | None] = mapped_column(String(12))
    flagged: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(255), default="")  # an EventNote code, or empty
    note_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    payment: Mapped[Payment | None] = relationship(back_populates="events")

    @property
    def changed(self) -> bool:
        return self.to_status is not None and self.to_status != self.from_status


class OrderStatusChange(db.Model):
    """Status history of an order: who moved it, when, from what to what, and why."""

    __tablename__ = "order_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(60))  # as PaymentEvent.actor
    reason: Mapped[str] = mapped_column(String(200), default="")  # a ChangeReason code, or empty
    reason_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[Order] = relationship(back_populates="history")


class User(UserMixin, db.Model):
    """A cashier or admin. Passwords are stored only as werkzeug (scrypt) hashes."""

    __tablename__ = "user"
    __table_args__ = (CheckConstraint(_in_check("role", Role), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default=Role.CASHIER.value)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session's user id (see get_id): raising it ends all of this user's
    # sessions at once, on every device (logout, disabling, a new password).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: `<id>:<session_version>`."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value


class LoginFailure(db.Model):
    """A refused login (wrong password or unknown username), kept for
    LOGIN_LOCK_MINUTES: the lock per username and the throttle per client address
    both count these rows."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_username_created_at", "username", "created_at"),
        Index("ix_login_failure_address_created_at", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))  # as normalised, known or not
    address: Mapped[str] = mapped_column(String(45))  # an IPv4 address or an IPv6 /64
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Partner(db.Model):
    """A partner POS system. Its API key is stored only as a SHA-256 hash (the key is
    32 random bytes, so a fast hash is enough); the webhook secret is kept to sign."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    webhook_url: Mapped[str] = mapped_column(String(255), default="")
    webhook_secret: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    licenses: Mapped[list[License]] = relationship(back_populates="partner", order_by="License.id")


class License(db.Model):
    """A partner's license for one store; payments are created against it.

    A license marked `counter_pos` is this restaurant's own counter POS: its partner may
    also take and cancel QRIS payments for the restaurant's web orders. No other
    partner may act on a web order, whatever ids it holds.
    """

    __tablename__ = "license"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    store_name: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True)
    counter_pos: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    partner: Mapped[Partner] = relationship(back_populates="licenses")


class IdempotencyKey(db.Model):
    """A partner's Idempotency-Key and the first answer given to it (kept 24 hours)."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("partner_id", "key", name="uq_idempotency_key_partner_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)  # None while in progress
    response: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(db.Model):
    """One event for a partner (outbox): written in the same transaction as the payment
    change it reports, then delivered and retried with backoff until it succeeds."""

    __tablename__ = "webhook_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"))
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt_log: Mapped[list[WebhookAttempt]] = relationship(order_by="WebhookAttempt.id")


class WebhookAttempt(db.Model):
    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_delivery.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(String(255), default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)



class RateLimitCounter(db.Model):
    """One rate-limit window's count (webapp/rate_limit_storage.py): kept in the app's
    database, so every worker on every machine counts against the same limit."""

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch, as the `limits` library keeps time.
    expires_at: Mapped[float] = mapped_column(Double, index=True)

# On PostgreSQL, orders, payments and the menu announce their changes (see
# payments/change_triggers.py); create_all makes the triggers as the migrations do.
change_triggers.create_with(db.metadata)
