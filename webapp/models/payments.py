"""Payments (a QRIS transaction or cash at the counter) and their event log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime, codes, new_public_id

if TYPE_CHECKING:
    from .bills import BillShare
    from .orders import Order
    from .partners import License


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"


class PaymentProvider(enum.StrEnum):
    DUITKU = "duitku"
    CASH = "cash"


class EventKind(enum.StrEnum):
    """What touched a payment (`PaymentEvent.kind`)."""

    CREATED = "created"
    INQUIRY = "inquiry"
    INQUIRY_FAILED = "inquiry_failed"
    CALLBACK = "callback"
    STATUS_CHECK = "status_check"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    CASH_CONFIRMED = "cash_confirmed"


class EventNote(enum.StrEnum):
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


class Payment(Model):
    """One attempt to collect money: a Duitku QRIS transaction, or cash at the counter.

    Its status only ever changes through `webapp.payments.state` (on the kernel, `webapp.state`).
    """

    __tablename__ = "payment"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id"), index=True)
    # A share of a table's bill (pay later): a payment is for an order, a share or a partner.
    share_id: Mapped[int | None] = mapped_column(ForeignKey("bill_share.id"), index=True)
    # Partner (POS) payments: who asked, for which store, and their own fields.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    license_id: Mapped[int | None] = mapped_column(ForeignKey("license.id"))
    reference_id: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(255), default="", server_default="")
    extra: Mapped[dict | None] = mapped_column("metadata", JSON)
    provider: Mapped[PaymentProvider] = mapped_column(codes(PaymentProvider, 10, check="provider_known"))
    # Duitku's merchantOrderId: new for every inquiry attempt.
    merchant_order_id: Mapped[str | None] = mapped_column(String(50), unique=True)
    reference: Mapped[str | None] = mapped_column(String(64))  # Duitku's reference
    amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[PaymentStatus] = mapped_column(
        codes(PaymentStatus, 12, check="status_known"), default=PaymentStatus.PENDING
    )
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
    share: Mapped[BillShare | None] = relationship(back_populates="payments")
    license: Mapped[License | None] = relationship()
    events: Mapped[list[PaymentEvent]] = relationship(back_populates="payment", order_by="PaymentEvent.id")

    @property
    def duitku_order_id(self) -> str:
        """Duitku's merchantOrderId, which every Duitku payment is given when it is created
        (cash payments have none: asking for theirs is a bug)."""
        if self.merchant_order_id is None:
            raise ValueError(f"payment {self.id} has no merchantOrderId")
        return self.merchant_order_id


class PaymentEvent(Model):
    """Append-only log of everything that touched a payment: callbacks (raw), status
    checks, expiry, customer and cashier actions; what each changed, if anything."""

    __tablename__ = "payment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty for a callback naming a merchantOrderId we do not know.
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(codes(EventKind, 30))
    # "customer", "system", "duitku", "cashier:<username>" or "partner:<id>"
    actor: Mapped[str] = mapped_column(String(60), default="system")
    signature_valid: Mapped[bool | None] = mapped_column()
    payload: Mapped[dict | None] = mapped_column(JSON)
    from_status: Mapped[PaymentStatus | None] = mapped_column(codes(PaymentStatus, 12))
    to_status: Mapped[PaymentStatus | None] = mapped_column(codes(PaymentStatus, 12))
    flagged: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(255), default="")  # an EventNote code, or empty
    note_params: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    payment: Mapped[Payment | None] = relationship(back_populates="events")

    @property
    def changed(self) -> bool:
        return self.to_status is not None and self.to_status != self.from_status
