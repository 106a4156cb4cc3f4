"""A refund: all of a paid order, some of its lines, or an amount, given back with a
reason and a manager's approval, in cash out of the open shift's drawer or paid back
outside the gateway (a bank transfer or an e-wallet, with its reference: Duitku has no
QRIS refund).

What an order paid is split in two: its sale (its total, while it is not cancelled) and
money it never asked for (a late or double payment: `extra`). A refund of the sale
reverses its share of the order's PB1 and service (billing/bill.py: `reversal`); a
refund of extra money reverses none, and clears the order's "needs attention" flag.

The order's refunded total is raised by one conditional UPDATE (orders/state.py:
`add_refunded`, refunded + amount <= paid), so two refunds racing never give back more
than was paid. That UPDATE holds the order's row until the commit, so what is read
after it (the refunds before this one) is what every refund before it committed: the
limits of the sale and of the extra money, and the lines already refunded, are checked
then, and the reversal is counted from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..billing.bill import divide, order_bill, reversal
from ..extensions import db
from ..formatting import rupiah
from ..models import AuditKind, CashKind, Order, OrderItem, OrderStatus, Refund, RefundMethod
from ..orders.lifecycle import clear_attention
from ..orders.state import add_refunded, paid_for
from ..shifts import drawer
from ..state import IllegalTransition, commit_and_publish

REFERENCE_NEEDED = _l("Tulis nomor referensi transfer atau e-wallet-nya.")
SALE = (OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY, OrderStatus.COMPLETED)


class RefundError(IllegalTransition):
    """A refused refund; `field` names the form field it concerns (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Ask:
    """A refund as asked: how much, how it goes back, why, and which lines (None: an
    amount); `extra` for money the order never asked for."""

    amount: int
    method: RefundMethod
    reference: str
    reason: str
    lines: list[OrderItem] | None = None
    extra: bool = False


@dataclass(frozen=True)
class Money:
    """An order's money as refunds see it (integer rupiah)."""

    paid: int  # what its payments brought
    sale: int  # its total, unless cancelled (or paid on a table's bill)
    sale_refunded: int
    extra_refunded: int
    refunded_lines: frozenset[int]

    @property
    def left(self) -> int:
        """What may still be refunded of the sale."""
        return max(0, min(self.sale, self.paid) - self.sale_refunded)

    @property
    def extra(self) -> int:
        """Money it never asked for (late or double) not given back yet."""
        return max(0, self.paid - self.sale - self.extra_refunded)


def money(order: Order) -> Money:
    """The order's money, read now (the refunds from the database, not a cached list)."""
    refunds = list(db.session.scalars(select(Refund).where(Refund.order_id == order.id)))
    return Money(
        paid=int(db.session.scalar(select(paid_for(order.id))) or 0),
        sale=order.total if order.status in SALE and order.bill_id is None else 0,
        sale_refunded=sum(refund.amount for refund in refunds if not refund.extra),
        extra_refunded=sum(refund.amount for refund in refunds if refund.extra),
        refunded_lines=frozenset(int(line["id"]) for refund in refunds for line in refund.lines or []),
    )


def at_most(limit: int) -> str:
    """The refusal of a refund above what is left to give back."""
    return _("Paling banyak %(amount)s yang bisa dikembalikan.", amount=rupiah(limit))


def line_amounts(order: Order) -> dict[int, int]:
    """What each line came to of the order's total (its service, PB1, rounding and the
    order's discounts spread over the lines by what each cost): they sum to the total."""
    weights = [item.paid_for for item in order.items]
    if not any(weights):
        return {item.id: 0 for item in order.items}
    return dict(zip([item.id for item in order.items], divide(order.total, weights), strict=True))


def refund_order(order: Order, ask: Ask, actor: str, approver: str, now: datetime) -> Refund:
    """Give `ask` back, approved by `approver`; RefundError (nothing done) saying why not."""
    if ask.method != RefundMethod.CASH and not ask.reference.strip():
        raise RefundError(str(REFERENCE_NEEDED), "reference")
    params = {"amount": ask.amount, "method": ask.method.value}
    if ask.amount <= 0 or not add_refunded(order.id, ask.amount, now, actor, params):
        raise _refused(order, _("Lebih dari yang dibayar dan belum dikembalikan."), "amount")
    before = int(db.session.scalar(select(Order.refunded).where(Order.id == order.id)) or 0) - ask.amount
    now_money = money(order)
    limit = now_money.extra if ask.extra else now_money.left
    if ask.amount > limit:
        raise _refused(order, at_most(limit), "amount")
    if ask.lines and any(item.id in now_money.refunded_lines for item in ask.lines):
        raise _refused(order, _("Baris itu sudah dikembalikan."), "lines")
    bill, refunded_before = order_bill(order), now_money.sale_refunded

    def reversed_(figure: int) -> int:
        return 0 if ask.extra else reversal(figure, bill.total, refunded_before, ask.amount)

    tax, service, rounding = reversed_(bill.tax), reversed_(bill.service), reversed_(bill.rounding)
    shift_id = _cash_out(order, ask, actor, approver, now) if ask.method == RefundMethod.CASH else None
    refund = Refund(
        order_id=order.id,
        amount=ask.amount,
        lines=_lines(order, ask.lines),
        reason=" ".join(ask.reason.split())[:200],
        method=ask.method,
        reference=ask.reference[:64],
        tax=tax,
        service=service,
        rounding=rounding,
        extra=ask.extra,
        actor=actor[:60],
        approver=approver[:60],
        shift_id=shift_id,
        created_at=now,
    )
    db.session.add(refund)
    after = {"refunded": before + ask.amount, "amount": ask.amount, "method": ask.method.value}
    after |= {"reference": ask.reference, "tax": tax, "service": service}
    audit.record(
        AuditKind.REFUND,
        actor,
        order.number,
        before={"refunded": before},
        after=after,
        approver=approver,
        note=ask.reason,
        now=now,
    )
    if ask.extra:
        clear_attention(order, actor, now)
    commit_and_publish(order, refund)
    return refund


def _refused(order: Order, message: str, field: str) -> RefundError:
    db.session.rollback()
    db.session.refresh(order)
    return RefundError(message, field)


def _cash_out(order: Order, ask: Ask, actor: str, approver: str, now: datetime) -> int:
    """The cash out of the drawer's open shift (NoOpenShift, all undone, if none is open;
    refused if the drawer does not hold it); the shift's id."""
    till = drawer.drawer_for(order.till_id)
    try:
        movement = drawer.take_out(
            till,
            CashKind.REFUND,
            ask.amount,
            actor,
            now,
            short=_("Uang di laci tidak cukup untuk dikembalikan."),
            field="method",
            reason=f"{order.number}: {ask.reason}",
            approver=approver,
        )
    except drawer.NoOpenShift:
        raise
    except drawer.DrawerError as exc:
        db.session.refresh(order)
        raise RefundError(str(exc), exc.field) from exc
    return movement.shift_id


def _lines(order: Order, items: list[OrderItem] | None) -> list[dict] | None:
    if not items:
        return None
    amounts = line_amounts(order)
    return [{"id": item.id, "name": item.name, "quantity": item.quantity, "amount": amounts[item.id]} for item in items]
