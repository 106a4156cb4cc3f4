"""A shift's X report (so far, while it is open) and Z report (at its close): every figure
computed here, in one place, for the drawer page and the printed slip.

The drawer's figures are its shift's rows: the float, cash sales, cash refunds, pay-ins
and pay-outs (sums of CashMovement), and what the drawer should hold (their sum; fixed
at close with what was counted). QRIS never enters a drawer: the report shows what was
paid by QRIS while the shift was open, for orders rung up at its till, and at the first
till (which keeps the board's cash when no other till is named) also for the customers'
own orders and the table bills' shares. Orders are those paid by the report's payments
(an order of a table bill counts when one of the bill's shares was paid here).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select

from ..extensions import db
from ..formatting import staff_name
from ..models import (
    BillShare,
    CashKind,
    CashMovement,
    Order,
    Payment,
    PaymentProvider,
    PaymentStatus,
    Shift,
    ShiftStatus,
    Till,
)
from ..till.tills import is_phone
from . import drawer


@dataclass
class CashierFigures:
    """What one staff member took and moved in the shift (`name`: their username; ""
    for QRIS paid on the customers' own phones)."""

    name: str
    cash_sales: int = 0
    cash_sale_count: int = 0
    qris_sales: int = 0
    qris_count: int = 0
    cash_refunds: int = 0  # paid out of the drawer, as a positive amount
    pay_ins: int = 0
    pay_outs: int = 0  # as a positive amount


@dataclass(frozen=True)
class ShiftReport:
    shift: Shift
    till_name: str
    final: bool  # Z (the shift is closed) or X (so far)
    opening_float: int
    cash_sales: int
    cash_sale_count: int
    cash_refunds: int  # positive: what went out
    pay_ins: int
    pay_outs: int  # positive: what went out
    expected: int  # what the drawer should hold
    counted: int | None
    difference: int | None  # counted - expected: negative is a shortage
    qris_sales: int
    qris_count: int
    orders: int
    paid_in_out: list[CashMovement] = field(default_factory=list)  # with their reasons, in order
    cashiers: list[CashierFigures] = field(default_factory=list)  # by name

    @property
    def net_sales(self) -> int:
        """What the shift sold, cash and QRIS, net of cash refunds."""
        return self.cash_sales + self.qris_sales - self.cash_refunds


def _qris_scope(shift: Shift) -> ColumnElement[bool]:
    """Which paid QRIS payments belong to the shift's report (the module's docstring)."""
    rung_here = Order.till_id == shift.till_id
    first = drawer.first_till()
    if first is None or first.id != shift.till_id:
        return and_(Payment.order_id.is_not(None), rung_here)
    counters = [till.id for till in db.session.scalars(select(Till)) if not is_phone(till)]
    elsewhere = or_(Order.till_id.is_(None), Order.till_id.not_in(counters))
    return or_(Payment.share_id.is_not(None), and_(Payment.order_id.is_not(None), or_(rung_here, elsewhere)))


def qris_payments(shift: Shift) -> list[tuple[Payment, str]]:
    """The shift's QRIS payments, each with the staff member who rang its order up ("" if
    nobody did)."""
    paid = [
        Payment.provider == PaymentProvider.DUITKU,
        Payment.status == PaymentStatus.PAID,
        Payment.paid_at >= shift.opened_at,
        _qris_scope(shift),
    ]
    if shift.closed_at is not None:
        paid.append(Payment.paid_at < shift.closed_at)
    query = select(Payment, func.coalesce(Order.taken_by, "")).outerjoin(Order, Payment.order_id == Order.id)
    return [(payment, taken_by) for payment, taken_by in db.session.execute(query.where(*paid).order_by(Payment.id))]


def _orders_paid(payments: list[Payment]) -> int:
    """The orders the payments paid: their own, or their table bill's."""
    order_ids = {payment.order_id for payment in payments if payment.order_id is not None}
    share_ids = [payment.share_id for payment in payments if payment.share_id is not None]
    if share_ids:
        bills = select(BillShare.bill_id).where(BillShare.id.in_(share_ids))
        order_ids |= set(db.session.scalars(select(Order.id).where(Order.bill_id.in_(bills))))
    return len(order_ids)


def shift_report(shift: Shift) -> ShiftReport:
    """The shift's report as it stands: Z once it is closed, else X."""
    movements = list(
        db.session.scalars(select(CashMovement).where(CashMovement.shift_id == shift.id).order_by(CashMovement.id))
    )
    cashiers: dict[str, CashierFigures] = {}

    def of(name: str) -> CashierFigures:
        return cashiers.setdefault(name, CashierFigures(name))

    totals: dict[CashKind, int] = defaultdict(int)
    for movement in movements:
        totals[movement.kind] += abs(movement.amount)
        figures = of(staff_name(movement.actor))
        if movement.kind == CashKind.SALE:
            figures.cash_sales += movement.amount
            figures.cash_sale_count += 1
        elif movement.kind == CashKind.REFUND:
            figures.cash_refunds -= movement.amount
        elif movement.kind == CashKind.PAY_IN:
            figures.pay_ins += movement.amount
        else:
            figures.pay_outs -= movement.amount
    qris = qris_payments(shift)
    for payment, taken_by in qris:
        figures = of(taken_by)
        figures.qris_sales += payment.amount
        figures.qris_count += 1
    sale_payments = [movement.payment_id for movement in movements if movement.payment_id is not None]
    cash_paid = list(db.session.scalars(select(Payment).where(Payment.id.in_(sale_payments)))) if sale_payments else []
    final = shift.status == ShiftStatus.CLOSED
    # Closed: as fixed at the close; open: the float and the movements read above
    # (drawer.expected_cash's sum, without asking the database again).
    so_far = shift.opening_float + sum(movement.amount for movement in movements)
    expected = shift.expected if final and shift.expected is not None else so_far
    return ShiftReport(
        shift=shift,
        till_name=db.session.get_one(Till, shift.till_id).name,
        final=final,
        opening_float=shift.opening_float,
        cash_sales=totals[CashKind.SALE],
        cash_sale_count=sum(1 for movement in movements if movement.kind == CashKind.SALE),
        cash_refunds=totals[CashKind.REFUND],
        pay_ins=totals[CashKind.PAY_IN],
        pay_outs=totals[CashKind.PAY_OUT],
        expected=expected,
        counted=shift.counted,
        difference=shift.difference,
        qris_sales=sum(payment.amount for payment, _taken_by in qris),
        qris_count=len(qris),
        orders=_orders_paid(cash_paid + [payment for payment, _taken_by in qris]),
        paid_in_out=[movement for movement in movements if movement.kind in drawer.PAID_INTO],
        cashiers=sorted(cashiers.values(), key=lambda figures: (figures.name == "", figures.name)),
    )


def recent_shifts(till: Till, limit: int = 10) -> list[Shift]:
    """The till's latest shifts, newest first (their reports are linked from the drawer)."""
    return list(
        db.session.scalars(select(Shift).where(Shift.till_id == till.id).order_by(Shift.id.desc()).limit(limit))
    )
