"""The audit trail: an append-only row for every sensitive action in the shop."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DDL, JSON, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..timeutil import utcnow
from .types import UTCDateTime, codes


class AuditKind(enum.StrEnum):
    """What was done; webapp/labels.py words each (new kinds need no migration: the
    column holds codes without a CHECK, as an audit trail must take tomorrow's too)."""

    USER_CREATED = "user_created"
    ROLE_CHANGED = "role_changed"
    USER_DISABLED = "user_disabled"
    USER_ENABLED = "user_enabled"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a kind of action, not a password
    PIN_SET = "pin_set"
    BILL_SETTINGS = "bill_settings"
    SHOP_SETTINGS = "shop_settings"
    MENU_ITEM = "menu_item"  # created, changed (its price too) or deleted
    MENU_CATEGORY = "menu_category"
    OPTION = "option"
    ORDER_MOVED = "order_moved"
    BILL_CLOSED = "bill_closed"  # closed without being paid in full
    REPRINT = "reprint"
    VOID = "void"
    REFUND = "refund"
    DISCOUNT = "discount"
    PROMOTION = "promotion"  # created or changed
    VOUCHER = "voucher"  # created or disabled
    PAY_IN = "pay_in"
    PAY_OUT = "pay_out"
    SHIFT_OPENED = "shift_opened"
    SHIFT_CLOSED = "shift_closed"


class AuditEntry(Model):
    """One sensitive action: who did it (and who approved it), when, from which address,
    on what, and the values before and after. Never updated or deleted: no code path
    does, and on PostgreSQL a trigger refuses it."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_created_at", "created_at"),
        Index("ix_audit_entry_actor_created_at", "actor", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[AuditKind] = mapped_column(codes(AuditKind, 40))
    actor: Mapped[str] = mapped_column(String(60))  # as PaymentEvent.actor: "cashier:sari"
    approver: Mapped[str] = mapped_column(String(60), default="", server_default="")
    subject: Mapped[str] = mapped_column(String(120))  # what it was done to: "Pesanan A-012", "Nasi Goreng"
    before: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")  # the reason given
    address: Mapped[str] = mapped_column(String(45), default="", server_default="")  # the device's


# PostgreSQL refuses any change to a written row (TRUNCATE, the test suite's reset, is
# a statement no row trigger sees). The migration creates the same.
APPEND_ONLY_STATEMENTS = (
    """CREATE OR REPLACE FUNCTION warung_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit entries are never changed or deleted';
END $$""",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION warung_audit_append_only()""",
)
APPEND_ONLY_DROP_STATEMENTS = (
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    "DROP FUNCTION IF EXISTS warung_audit_append_only()",
)
for _statement in APPEND_ONLY_STATEMENTS:
    event.listen(
        AuditEntry.metadata.tables["audit_entry"], "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
