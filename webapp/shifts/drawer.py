"""A till's cash drawer, shift by shift: opening with the float counted, every cash
movement of the shift (a sale, a refund, a pay-in, a pay-out with its reason), and
closing it with the drawer counted.

Every change to a shift takes its row first (`_lock_open`: one conditional UPDATE that
raises its version while it is open), so changes to one shift run one after the other
in any number of processes, a movement never lands in a closed shift, and a shift is
closed exactly once (the transition kernel). The expected cash is the float plus the
movements, summed when asked; at close it is fixed with what was counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit, clock
from ..extensions import db
from ..models import AuditKind, CashKind, CashMovement, Shift, ShiftStatus, Till
from ..state import IllegalTransition, commit_and_publish, rows_matched, transition

# Notes and coins a drawer is counted in (rupiah).
DENOMINATIONS = (100_000, 50_000, 20_000, 10_000, 5000, 2000, 1000, 500, 200, 100)
REASON_MAX = 200


class NoOpenShift(IllegalTransition):
    """Cash was to move with no shift open on the drawer."""


def drawer_for(till_id: int | None) -> Till:
    """The drawer cash of a till order goes to; cash taken elsewhere (the board, a table's
    bill) goes to the first till's. With no till at all there is no open shift either."""
    till = db.session.get(Till, till_id) if till_id is not None else None
    till = till or db.session.scalar(select(Till).order_by(Till.id).limit(1))
    if till is None:
        db.session.rollback()
        raise NoOpenShift(_("Belum ada shift terbuka: buka shift dulu di Laci kas."))
    return till


def open_shift_of(till: Till) -> Shift | None:
    return db.session.scalar(select(Shift).where(Shift.till_id == till.id, Shift.status == ShiftStatus.OPEN))


def expected_cash(shift: Shift) -> int:
    """The float plus every movement of the shift (what the drawer should hold)."""
    moved = db.session.scalar(
        select(func.coalesce(func.sum(CashMovement.amount), 0)).where(CashMovement.shift_id == shift.id)
    )
    return shift.opening_float + int(moved or 0)


def open_shift(till: Till, opening_float: int, actor: str, now: datetime | None = None) -> Shift:
    """Open the drawer's shift with the float counted; one open shift per drawer."""
    now = now or clock.now()
    if opening_float < 0:
        raise IllegalTransition(_("Uang awal tidak boleh negatif."))
    shift = Shift(till_id=till.id, opened_by=actor[:60], opened_at=now, opening_float=opening_float, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(shift)
    except IntegrityError:
        db.session.rollback()
        raise IllegalTransition(_("Shift %(till)s sudah dibuka.", till=till.name)) from None
    audit.record(AuditKind.SHIFT_OPENED, actor, till.name, after={"opening_float": opening_float}, now=now)
    commit_and_publish(shift)
    return shift


def _lock_open(till: Till, now: datetime) -> Shift:
    """The drawer's open shift, locked for this transaction; NoOpenShift if none (what the
    transaction did so far is undone: the cash it was for is not taken)."""
    shift = open_shift_of(till)
    if shift is None or not rows_matched(
        update(Shift)
        .where(Shift.id == shift.id, Shift.status == ShiftStatus.OPEN)
        .values(version=Shift.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    ):
        db.session.rollback()
        raise NoOpenShift(
            _("Belum ada shift terbuka di %(till)s: buka shift dulu di Laci kas.", till=till.name)
        )
    return shift


def record_movement(
    till: Till,
    kind: CashKind,
    amount: int,
    actor: str,
    now: datetime,
    *,
    payment_id: int | None = None,
    reason: str = "",
    approver: str = "",
) -> CashMovement:
    """Cash in (+) or out (-) of the drawer's open shift, in the caller's transaction."""
    shift = _lock_open(till, now)
    movement = CashMovement(
        shift_id=shift.id,
        kind=kind,
        amount=amount,
        payment_id=payment_id,
        reason=" ".join(reason.split())[:REASON_MAX],
        actor=actor[:60],
        approver=approver[:60],
        created_at=now,
    )
    db.session.add(movement)
    return movement


def pay_in_or_out(till: Till, kind: CashKind, amount: int, reason: str, actor: str, now: datetime | None = None):
    """A pay-in or pay-out with its reason ("beli es batu"), kept in the audit trail."""
    now = now or clock.now()
    if amount <= 0:
        raise IllegalTransition(_("Jumlah harus lebih dari nol."))
    if not reason.strip():
        raise IllegalTransition(_("Tulis alasannya."))
    signed = amount if kind == CashKind.PAY_IN else -amount
    if kind == CashKind.PAY_OUT and expected_cash(_lock_open(till, now)) < amount:
        db.session.rollback()
        raise IllegalTransition(_("Uang di laci tidak cukup untuk dikeluarkan."))
    movement = record_movement(till, kind, signed, actor, now, reason=reason)
    audit_kind = AuditKind.PAY_IN if kind == CashKind.PAY_IN else AuditKind.PAY_OUT
    audit.record(audit_kind, actor, till.name, after={"amount": amount}, note=reason, now=now)
    commit_and_publish(movement)
    return movement


@dataclass(frozen=True)
class Count:
    """The drawer counted at close: a total, or notes and coins."""

    total: int
    notes: dict[int, int] | None = None  # denomination -> how many

    @classmethod
    def of_notes(cls, notes: dict[int, int]) -> Count:
        return cls(sum(value * count for value, count in notes.items()), notes)


def needs_approval(difference: int) -> bool:
    """A difference beyond SHIFT_DIFFERENCE_LIMIT (either way) needs a note and a manager."""
    return abs(difference) > current_app.config["SHIFT_DIFFERENCE_LIMIT"]


def close_shift(
    till: Till, count: Count, actor: str, *, note: str = "", approver: str = "", now: datetime | None = None
) -> Shift:
    """Close the drawer's shift with what was counted, exactly once; a difference beyond
    the limit needs a note and a manager's approval (`approver`, checked by the caller)."""
    now = now or clock.now()
    shift = _lock_open(till, now)
    expected = expected_cash(shift)
    difference = count.total - expected
    if needs_approval(difference) and (not note.strip() or not approver):
        db.session.rollback()
        raise IllegalTransition(_("Selisih lebih dari batas: tulis catatan dan minta persetujuan manajer."))
    closed = transition(
        Shift,
        shift.id,
        [ShiftStatus.OPEN],
        ShiftStatus.CLOSED,
        now,
        closed_by=actor[:60],
        closed_at=now,
        expected=expected,
        counted=count.total,
        counted_notes={str(value): number for value, number in count.notes.items()} if count.notes else None,
        close_note=" ".join(note.split())[:REASON_MAX],
        approver=approver[:60],
    )
    if closed is None:
        raise NoOpenShift(_("Shift ini sudah ditutup."))
    audit.record(
        AuditKind.SHIFT_CLOSED,
        actor,
        till.name,
        before={"expected": expected},
        after={"counted": count.total, "difference": difference},
        approver=approver,
        note=note,
        now=now,
    )
    commit_and_publish(shift)
    return shift
