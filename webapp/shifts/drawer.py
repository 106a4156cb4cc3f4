"""A till's cash drawer, shift by shift: opening with the float counted, every cash
movement of the shift (a sale, a refund, a pay-in, a pay-out with its reason), and
closing it with the drawer counted.

Every change to a shift takes its row first (`_locked`: one conditional UPDATE that raises
its version while it is open), so changes to one shift run one after the other in any
number of processes, a movement never lands in a closed shift, and a shift is closed
exactly once (the transition kernel). The expected cash is the float plus the
movements, summed when asked; at close it is fixed with what was counted. A close names
the version of the shift the cashier counted against: cash that moved since is not in
the count, so the close is refused and the page shows the new figures.

Which drawer cash goes to (`drawer_for`): a till's order, its till's; anything else (the
board, a table's bill, an order from a waiter's phone), the drawer of the till this
device works at (`device_till`), else the first till's.
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
from ..formatting import jakarta_time, staff_name
from ..models import AuditKind, CashKind, CashMovement, Shift, ShiftStatus, Till
from ..state import IllegalTransition, commit_and_publish, rows_matched, transition
from ..till import tills
from ..till.tills import is_phone

# Notes and coins a drawer is counted in (rupiah).
DENOMINATIONS = (100_000, 50_000, 20_000, 10_000, 5000, 2000, 1000, 500, 200, 100)
MAX_AMOUNT = 100_000_000  # no float, pay-in, pay-out or count is larger: a typing slip
MAX_PIECES = 9999  # of one note or coin in a count
REASON_MAX = 200
PAID_INTO = {CashKind.PAY_IN: AuditKind.PAY_IN, CashKind.PAY_OUT: AuditKind.PAY_OUT}


class DrawerError(IllegalTransition):
    """A refused change to a drawer; `field` names the form field it concerns (None:
    the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NoOpenShift(DrawerError):
    """Cash was to move with no shift open on the drawer; `till` names the drawer (its
    public id, for a link to open its shift), when there is one."""

    def __init__(self, message: str, till: Till | None = None):
        super().__init__(message)
        self.till = till.public_id if till is not None else None


def first_till() -> Till | None:
    """The shop's first counter till ("Kasir 1"), without making one: a transaction that
    takes cash must not commit a till halfway."""
    return next((till for till in db.session.scalars(select(Till).order_by(Till.id)) if not is_phone(till)), None)


def device_till() -> Till | None:
    """The counter till this device works at (the one it opened last), else the first."""
    remembered = tills.device_till()
    return remembered if remembered is not None and not is_phone(remembered) else first_till()


def drawer_for(till_id: int | None) -> Till:
    """The drawer cash of an order rung up at `till_id` goes to (see the module's
    docstring); NoOpenShift, and the transaction undone, when the shop has no till."""
    till = db.session.get(Till, till_id) if till_id is not None else None
    till = till if till is not None and not is_phone(till) else device_till()
    if till is None:
        db.session.rollback()
        raise NoOpenShift(_("Belum ada shift terbuka: buka shift dulu di Laci kas."))
    return till


def open_shift_of(till: Till) -> Shift | None:
    return db.session.scalar(select(Shift).where(Shift.till_id == till.id, Shift.status == ShiftStatus.OPEN))


def last_closed_shift(till: Till) -> Shift | None:
    return db.session.scalar(
        select(Shift).where(Shift.till_id == till.id, Shift.status == ShiftStatus.CLOSED).order_by(Shift.id.desc())
    )


def expected_cash(shift: Shift) -> int:
    """The float plus every movement of the shift (what the drawer should hold)."""
    moved = db.session.scalar(
        select(func.coalesce(func.sum(CashMovement.amount), 0)).where(CashMovement.shift_id == shift.id)
    )
    return shift.opening_float + int(moved or 0)


def _amount(amount: int, field: str) -> int:
    if amount < 0:
        raise DrawerError(_("Jumlah tidak boleh negatif."), field)
    if amount > MAX_AMOUNT:
        raise DrawerError(_("Jumlah tidak masuk akal."), field)
    return amount


def open_shift(till: Till, opening_float: int, actor: str, now: datetime | None = None) -> Shift:
    """Open the drawer's shift with the float counted; one open shift per drawer (two
    cashiers opening at once open one: a unique index)."""
    now = now or clock.now()
    _amount(opening_float, "opening_float")
    if is_phone(till):
        raise DrawerError(_("HP pelayan tidak punya laci kas."))
    shift = Shift(till_id=till.id, opened_by=actor[:60], opened_at=now, opening_float=opening_float, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(shift)
    except IntegrityError:
        db.session.rollback()
        raise DrawerError(_("Shift %(till)s sudah dibuka.", till=till.name)) from None
    audit.record(
        AuditKind.SHIFT_OPENED,
        actor,
        till.name,
        after={"shift": shift.public_id, "opening_float": opening_float},
        now=now,
    )
    commit_and_publish(shift)
    return shift


def _locked(shift_id: int, now: datetime, seen_version: int | None = None) -> bool:
    """Take the shift's row for this transaction if it is open (and still at the version
    `seen_version`, when given), raising its version."""
    conditions = [Shift.id == shift_id, Shift.status == ShiftStatus.OPEN]
    if seen_version is not None:
        conditions.append(Shift.version == seen_version)
    statement = update(Shift).where(*conditions).values(version=Shift.version + 1, updated_at=now)
    return rows_matched(statement.execution_options(synchronize_session=False)) == 1


def _lock_open(till: Till, now: datetime) -> Shift:
    """The drawer's open shift, locked for this transaction; NoOpenShift if none (what the
    transaction did so far is undone: the cash it was for is not taken). A shift closed
    while this one waited for it is read again: a new one may be open by then."""
    for _attempt in range(2):
        shift = open_shift_of(till)
        if shift is None:
            break
        if _locked(shift.id, now):
            return shift
        db.session.expire(shift)
    db.session.rollback()
    raise no_open_shift(till)


def no_open_shift(till: Till) -> NoOpenShift:
    """The refusal of cash at a drawer with no shift open (the page links to open one)."""
    return NoOpenShift(_("Belum ada shift terbuka di %(till)s: buka shift dulu di Laci kas.", till=till.name), till)


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
    return _add_movement(
        _lock_open(till, now), kind, amount, actor, now, payment_id=payment_id, reason=reason, approver=approver
    )


def take_out(
    till: Till,
    kind: CashKind,
    amount: int,
    actor: str,
    now: datetime,
    *,
    short: str,
    field: str,
    reason: str = "",
    approver: str = "",
) -> CashMovement:
    """`amount` rupiah out of the drawer's open shift (a pay-out, a cash refund), in the
    caller's transaction, never more than the drawer should hold: else DrawerError
    (`short`, on `field`), the transaction undone."""
    shift = _lock_open(till, now)
    if expected_cash(shift) < amount:
        db.session.rollback()
        raise DrawerError(short, field)
    return _add_movement(shift, kind, -amount, actor, now, reason=reason, approver=approver)


def _add_movement(
    shift: Shift, kind: CashKind, amount: int, actor: str, now: datetime, *, payment_id=None, reason="", approver=""
) -> CashMovement:
    movement = CashMovement(
        shift=shift,
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


def pay_in_or_out(
    till: Till, kind: CashKind, amount: int, reason: str, actor: str, now: datetime | None = None
) -> CashMovement:
    """A pay-in or a pay-out with its reason ("beli es batu"), kept in the audit trail;
    a pay-out never takes more than the drawer should hold."""
    now = now or clock.now()
    if kind not in PAID_INTO:
        raise DrawerError(_("Pilih uang masuk atau uang keluar."), "kind")
    if _amount(amount, "amount") == 0:
        raise DrawerError(_("Jumlah harus lebih dari nol."), "amount")
    reason = " ".join(reason.split())
    if not reason:
        raise DrawerError(_("Tulis alasannya."), "reason")
    if len(reason) > REASON_MAX:
        raise DrawerError(_("Alasan paling panjang 200 karakter."), "reason")
    if kind == CashKind.PAY_IN:
        movement = _add_movement(_lock_open(till, now), kind, amount, actor, now, reason=reason)
    else:
        short = _("Uang di laci tidak cukup untuk dikeluarkan.")
        movement = take_out(till, kind, amount, actor, now, short=short, field="amount", reason=reason)
    after = {"shift": movement.shift.public_id, "amount": amount}
    audit.record(PAID_INTO[kind], actor, till.name, after=after, note=reason, now=now)
    commit_and_publish(movement)
    return movement


@dataclass(frozen=True)
class Count:
    """The drawer counted at close: a total, or notes and coins (denomination -> pieces)."""

    total: int
    notes: dict[int, int] | None = None

    @classmethod
    def of_total(cls, total: int) -> Count:
        return cls(_amount(total, "total"))

    @classmethod
    def of_notes(cls, notes: dict[int, int]) -> Count:
        for value, pieces in notes.items():
            if value not in DENOMINATIONS:
                raise DrawerError(_("Pecahan %(value)s tidak dikenal.", value=value), "notes")
            if not 0 <= pieces <= MAX_PIECES:
                raise DrawerError(_("Jumlah lembar atau keping 0 sampai 9999."), f"n{value}")
        counted = {value: pieces for value, pieces in notes.items() if pieces}
        return cls(sum(value * pieces for value, pieces in counted.items()), counted)


def difference_limit() -> int:
    """SHIFT_DIFFERENCE_LIMIT: a count further than this from the expected, either way,
    needs a note and a manager's approval."""
    return int(current_app.config["SHIFT_DIFFERENCE_LIMIT"])


def needs_approval(difference: int) -> bool:
    return abs(difference) > difference_limit()


@dataclass(frozen=True)
class Reckoning:
    """What the drawer should hold against what was counted."""

    expected: int
    counted: int

    @property
    def difference(self) -> int:
        """Counted minus expected: negative when cash is missing."""
        return self.counted - self.expected

    @property
    def needs_approval(self) -> bool:
        return needs_approval(self.difference)


def reckon(shift: Shift, count: Count) -> Reckoning:
    return Reckoning(expected_cash(shift), count.total)


def _why_not_closable(shift: Shift) -> DrawerError:
    """Why the shift's close was refused: closed already, or cash moved since the count."""
    db.session.rollback()
    db.session.refresh(shift)
    if shift.status == ShiftStatus.CLOSED and shift.closed_at is not None:
        return DrawerError(
            _(
                "Shift ini sudah ditutup oleh %(name)s pukul %(time)s.",
                name=staff_name(shift.closed_by),
                time=jakarta_time(shift.closed_at),
            )
        )
    return DrawerError(_("Ada uang masuk atau keluar sejak laci dihitung: periksa hitungannya lagi."))


def close_shift(
    shift: Shift,
    count: Count,
    actor: str,
    *,
    seen_version: int | None = None,
    note: str = "",
    approver: str = "",
    now: datetime | None = None,
) -> Shift:
    """Close the shift with what was counted, exactly once; a difference beyond the limit
    needs a note and a manager's approval (`approver`, checked by the caller)."""
    now = now or clock.now()
    note = " ".join(note.split())
    if len(note) > REASON_MAX:
        raise DrawerError(_("Catatan paling panjang 200 karakter."), "note")
    if not _locked(shift.id, now, seen_version):
        raise _why_not_closable(shift)
    reckoning = reckon(shift, count)
    if reckoning.needs_approval and (not note or not approver):
        db.session.rollback()
        field = "note" if not note else "approver"
        raise DrawerError(_("Selisih lebih dari batas: tulis catatan dan minta persetujuan manajer."), field)
    transition(
        Shift,
        shift.id,
        [ShiftStatus.OPEN],
        ShiftStatus.CLOSED,
        now,
        closed_by=actor[:60],
        closed_at=now,
        expected=reckoning.expected,
        counted=count.total,
        counted_notes={str(value): pieces for value, pieces in count.notes.items()} if count.notes else None,
        close_note=note,
        approver=approver[:60],
    )
    till = db.session.get_one(Till, shift.till_id)
    audit.record(
        AuditKind.SHIFT_CLOSED,
        actor,
        till.name,
        before={"shift": shift.public_id, "expected": reckoning.expected},
        after={"counted": count.total, "difference": reckoning.difference},
        approver=approver,
        note=note,
        now=now,
    )
    commit_and_publish(shift)
    return shift
