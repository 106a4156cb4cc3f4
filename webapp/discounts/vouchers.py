"""Vouchers: a code for a percentage or rupiah off the order, entered by the customer at
checkout or by the cashier at the till, once per order.

`offer` checks a code as typed and says what is wrong with it, for the voucher field:
unknown, switched off, not yet or no longer valid (days in Asia/Jakarta), used up, or
an order below its minimum spend (what the lines come to after their own discounts:
promotions, staff's). `take_use` spends one of its uses in the transaction that places
the order: one conditional UPDATE (`uses < uses_limit`) through the transition kernel,
so two checkouts racing for its last use place one order with it; the other is told
that it is used up and nothing is placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, clock
from ..billing.bill import Discount
from ..extensions import db
from ..formatting import rupiah
from ..models import AuditKind, DiscountKind, DiscountSource, Voucher, VoucherStatus
from ..state import transition
from ..timeutil import jakarta_date
from .given import Given

CODE_LENGTH = 20


class VoucherError(ValueError):
    """Why a voucher cannot be used; the message is for the voucher field."""


def normalise(code: str) -> str:
    """A code as stored: upper case, without spaces."""
    return "".join((code or "").split()).upper()


def find(code: str) -> Voucher | None:
    code = normalise(code)
    if not code or len(code) > CODE_LENGTH:
        return None
    return db.session.scalar(select(Voucher).where(Voucher.code == code))


def used_up() -> VoucherError:
    return VoucherError(_("Voucher ini sudah habis dipakai."))


def check(voucher: Voucher | None, spend: int, today: date) -> Voucher:
    """The voucher, if an order of `spend` rupiah may use it today; else VoucherError."""
    if voucher is None:
        raise VoucherError(_("Kode voucher tidak dikenal."))
    if voucher.status != VoucherStatus.ACTIVE:
        raise VoucherError(_("Voucher ini sudah tidak berlaku."))
    if today < voucher.valid_from:
        raise VoucherError(_("Voucher ini baru berlaku mulai %(day)s.", day=voucher.valid_from.strftime("%d/%m/%Y")))
    if today > voucher.valid_until:
        raise VoucherError(_("Voucher ini sudah kedaluwarsa (%(day)s).", day=voucher.valid_until.strftime("%d/%m/%Y")))
    if voucher.uses >= voucher.uses_limit:
        raise used_up()
    if spend < voucher.min_spend:
        raise VoucherError(_("Voucher ini untuk belanja minimal %(amount)s.", amount=rupiah(voucher.min_spend)))
    return voucher


def usable(voucher: Voucher, today: date) -> bool:
    """Whether an order that meets its minimum spend could use it today (the vouchers page)."""
    try:
        check(voucher, voucher.min_spend, today)
    except VoucherError:
        return False
    return True


def given(voucher: Voucher) -> Given:
    return Given(DiscountSource.VOUCHER, Discount(voucher.kind, voucher.value), voucher.code, voucher_id=voucher.id)


def offer(code: str, spend: int, now: datetime | None = None) -> Given:
    """The discount of the voucher `code` for an order of `spend` rupiah (its lines after
    their own discounts), or VoucherError saying why not."""
    return given(check(find(code), spend, jakarta_date(now or clock.now())))


def take_use(voucher_id: int, now: datetime) -> bool:
    """Spend one use of the voucher, in the caller's transaction: False when none is left
    (or it was switched off), whoever took the last one."""
    taken = transition(
        Voucher,
        voucher_id,
        [VoucherStatus.ACTIVE],
        VoucherStatus.ACTIVE,
        now,
        where=(Voucher.uses < Voucher.uses_limit,),
        uses=Voucher.uses + 1,
    )
    return taken is not None


@dataclass(frozen=True)
class NewVoucher:
    """What the admin typed, checked by its form."""

    code: str
    kind: DiscountKind
    value: int
    valid_from: date
    valid_until: date
    uses_limit: int
    min_spend: int


def create_voucher(new: NewVoucher, actor: str) -> Voucher:
    """A new voucher (its code must be new: VoucherError otherwise), in the audit trail."""
    if find(new.code) is not None:
        raise VoucherError(_("Kode %(code)s sudah dipakai voucher lain.", code=normalise(new.code)))
    now = clock.now()
    voucher = Voucher(
        code=normalise(new.code),
        kind=new.kind,
        value=new.value,
        valid_from=new.valid_from,
        valid_until=new.valid_until,
        uses_limit=new.uses_limit,
        min_spend=new.min_spend,
        status=VoucherStatus.ACTIVE,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    db.session.add(voucher)
    facts = {
        "kind": new.kind.value,
        "value": new.value,
        "valid_from": new.valid_from.isoformat(),
        "valid_until": new.valid_until.isoformat(),
        "uses_limit": new.uses_limit,
        "min_spend": new.min_spend,
    }
    audit.record(AuditKind.VOUCHER, actor, voucher.code, after=facts, now=now)
    db.session.commit()
    return voucher


def disable_voucher(voucher: Voucher, actor: str) -> bool:
    """Switch the voucher off (once, whoever presses it), in the audit trail."""
    now = clock.now()
    moved = transition(Voucher, voucher.id, [VoucherStatus.ACTIVE], VoucherStatus.DISABLED, now)
    if moved is not None:
        before, after = {"status": VoucherStatus.ACTIVE.value}, {"status": VoucherStatus.DISABLED.value}
        audit.record(AuditKind.VOUCHER, actor, voucher.code, before=before, after=after, now=now)
    db.session.commit()
    db.session.refresh(voucher)
    return moved is not None


def all_vouchers() -> list[Voucher]:
    return list(db.session.scalars(select(Voucher).order_by(Voucher.status, Voucher.valid_until.desc(), Voucher.code)))
