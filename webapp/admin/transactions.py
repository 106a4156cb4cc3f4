"""The day's transactions as a CSV (issue 27 item 7): every paid payment and every
refund, one line each, with its time (Asia/Jakarta), what it paid for, how, the amount
(a refund's negative), Duitku's reference and the payer's issuer, the cashier, and the
shift whose X/Z report counts it: cash by its drawer's movement, a refund in cash by
its shift, QRIS by the report that counts it (shifts.reports.qris_payments); QRIS of no
shift's report and refunds paid back outside the gateway name none. A shift's lines
sum to its report's cash sales, QRIS and cash refunds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select

from ..csv_export import to_csv
from ..extensions import db
from ..formatting import staff_name
from ..models import CashKind, CashMovement, EventKind, Payment, PaymentProvider, PaymentStatus, Shift, Till
from ..shifts.reports import qris_payments
from ..timeutil import jakarta_day_bounds, to_jakarta
from .report import refunds_between

HEADER = ["time", "kind", "paid_for", "method", "amount_idr", "duitku_reference", "issuer", "cashier", "till", "shift"]


@dataclass(frozen=True)
class Line:
    at: datetime
    kind: str  # "payment" or "refund"
    paid_for: str  # "A-012", or "table 4 share 2"
    method: str  # cash, qris; a refund's: cash, transfer, ewallet
    amount: int  # negative for a refund
    reference: str
    issuer: str
    cashier: str
    shift: Shift | None

    def row(self, tills: dict[int, str]) -> list[object]:
        shift = ("", "") if self.shift is None else (tills.get(self.shift.till_id, ""), self.shift.id)
        when = to_jakarta(self.at).strftime("%Y-%m-%d %H:%M:%S")
        fields = [self.paid_for, self.method, self.amount, self.reference, self.issuer, self.cashier]
        return [when, self.kind, *fields, *shift]


def _paid_for(payment: Payment) -> str:
    if payment.order is not None:
        return payment.order.number
    share = payment.share
    return f"table {share.bill.table_label} share {share.position}" if share is not None else ""


def _shifts_of(start: datetime, end: datetime) -> list[Shift]:
    """The shifts open at some moment from `start` to `end`."""
    open_then = or_(Shift.closed_at.is_(None), Shift.closed_at > start)
    return list(db.session.scalars(select(Shift).where(Shift.opened_at < end, open_then).order_by(Shift.id)))


def day_lines(day: date) -> list[Line]:
    """The day's payments (paid that day) and refunds (given that day), in time order."""
    start, end = jakarta_day_bounds(day)
    paid = db.session.scalars(
        select(Payment)
        .where(Payment.status == PaymentStatus.PAID, Payment.paid_at >= start, Payment.paid_at < end)
        .order_by(Payment.paid_at, Payment.id)
    )
    qris_shift = {payment.id: shift for shift in _shifts_of(start, end) for payment, _taken in qris_payments(shift)}
    sales = CashMovement.kind == CashKind.SALE, CashMovement.created_at >= start, CashMovement.created_at < end
    moved = {movement.payment_id: movement for movement in db.session.scalars(select(CashMovement).where(*sales))}
    lines = [_payment_line(payment, moved.get(payment.id), qris_shift.get(payment.id)) for payment in paid]
    lines += [
        Line(
            refund.created_at,
            "refund",
            refund.order.number,
            refund.method.value,
            -refund.amount,
            "",
            "",
            staff_name(refund.actor),
            db.session.get(Shift, refund.shift_id) if refund.shift_id is not None else None,
        )
        for refund in refunds_between(day, day)
    ]
    return sorted(lines, key=lambda line: line.at)


def _payment_line(payment: Payment, movement: CashMovement | None, qris_shift: Shift | None) -> Line:
    cash = payment.provider == PaymentProvider.CASH
    if cash:
        confirmed = next((event for event in payment.events if event.kind == EventKind.CASH_CONFIRMED), None)
        cashier = staff_name(confirmed.actor) if confirmed is not None else ""
    else:
        cashier = payment.order.taken_by if payment.order is not None else ""  # a username already
    return Line(
        payment.paid_at or payment.updated_at,
        "payment",
        _paid_for(payment),
        "cash" if cash else "qris",
        payment.amount,
        payment.reference or "",
        payment.payer_issuer_name,
        cashier,
        movement.shift if movement is not None else qris_shift,
    )


def transactions_csv(day: date) -> str:
    tills = {till.id: till.name for till in db.session.scalars(select(Till))}
    return to_csv([HEADER, *(line.row(tills) for line in day_lines(day))])
