"""The bill settings in force, and saving a change (a new row: the old ones are the history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import audit, clock
from ..extensions import db
from ..models import AuditKind, BillSettings, PaymentTiming, PriceMode, RoundingDirection, Serving, TableBill
from .bill import BillRules

HISTORY_SHOWN = 20


def current_settings() -> BillSettings | None:
    """The newest settings row, or None when nobody has saved any (0%, no rounding)."""
    return db.session.scalar(select(BillSettings).order_by(BillSettings.id.desc()).limit(1))


def current_rules() -> BillRules:
    return rules_of(current_settings())


def current_timing() -> PaymentTiming:
    """When dine-in guests pay: first (the default), or later on the table's bill."""
    settings = current_settings()
    return settings.payment_timing if settings is not None else PaymentTiming.PAY_FIRST


def current_serving() -> Serving:
    """How a ready dine-in order reaches its guests: brought to the table (the default)
    or collected at the counter."""
    settings = current_settings()
    return settings.dine_in_serving if settings is not None else Serving.TABLE


def bill_rules(bill: TableBill) -> BillRules:
    """The rules a table's bill was opened with (kept on the bill)."""
    return BillRules(
        tax_rate=bill.tax_rate,
        service_rate=bill.service_rate,
        mode=bill.mode,
        rounding_step=bill.rounding_step,
        rounding_direction=bill.rounding_direction,
    )


def rules_of(settings: BillSettings | None) -> BillRules:
    if settings is None:
        return BillRules()
    return BillRules(
        tax_rate=settings.tax_rate,
        service_rate=settings.service_rate,
        mode=settings.mode,
        service_on_takeaway=settings.service_on_takeaway,
        rounding_step=settings.rounding_step,
        rounding_direction=settings.rounding_direction,
    )


@dataclass(frozen=True)
class SettingsChange:
    tax_rate: int  # basis points
    service_rate: int
    mode: PriceMode
    service_on_takeaway: bool
    rounding_step: int
    rounding_direction: RoundingDirection
    merchant_address: str
    merchant_tax_number: str
    payment_timing: PaymentTiming = PaymentTiming.PAY_FIRST
    dine_in_serving: Serving = Serving.TABLE


def save_settings(change: SettingsChange, actor: str, now: datetime | None = None) -> BillSettings:
    """Put `change` in force from now on; past orders keep the bill they were placed with.
    `actor` is the admin's username; the audit trail keeps what changed."""
    before = current_settings()
    row = BillSettings(**vars(change), changed_by=actor, changed_at=now or clock.now())
    db.session.add(row)
    if before is None:
        was, now_is = None, dict(vars(change))
    else:
        was, now_is = audit.changed({name: getattr(before, name) for name in vars(change)}, vars(change))
    if now_is:
        audit.record(AuditKind.BILL_SETTINGS, f"cashier:{actor}", "Pengaturan tagihan", before=was, after=now_is)
    db.session.commit()
    return row


def settings_history(limit: int = HISTORY_SHOWN) -> list[BillSettings]:
    return list(db.session.scalars(select(BillSettings).order_by(BillSettings.id.desc()).limit(limit)))
