"""Voids: staff take some of a line, a whole line, or the whole order off a placed order,
with a reason they type.

Before the order is paid and before the kitchen has it (no ticket), the cashier alone
may; after, a manager approves on the cashier's device (the caller checks the PIN and
passes the approver). The order's row is locked first (`FOR UPDATE`, a no-op on SQLite,
whose writes are serial anyway), so a void and a QRIS callback for the order run one
after the other: if the payment came first, the void sees a paid order and asks for
the approval it now needs; if the void came first, the QR it cancelled is paid late,
recorded and flagged, as for any cancelled order.

The void itself is one conditional UPDATE through the kernel (the order still in the
status it was seen in): a whole order is cancelled, a line void refigures the order's
total through billing/bill.py (orders/discounting.py's rules); its status history keeps
it (ChangeReason.VOIDED, which makes the stations' "BATAL" tickets: webapp/kitchen),
the audit trail keeps who, the approver, the reason and the lines and total before and
after, in the same transaction. Voiding a paid order flags it for the cashier: the
money is a refund (not made here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, clock
from ..extensions import db
from ..models import (
    AttentionReason,
    AuditKind,
    ChangeReason,
    DiscountSource,
    Order,
    OrderItem,
    OrderStatus,
    OrderVoid,
    OrderVoidLine,
)
from ..payments.state import cancel_pending_payments
from ..state import IllegalTransition, commit_and_publish
from .discounting import refigured, refigured_bill
from .placing import bill_columns
from .state import flag_order, lock_with_payments, move_order, refigure_order

UNPAID = (OrderStatus.AWAITING_PAYMENT,)
PAID = (OrderStatus.PAID, OrderStatus.PREPARING, OrderStatus.READY)


class VoidRefused(IllegalTransition):
    """A void refused; `field` is the form's field the message belongs on."""

    def __init__(self, message: str, field: str = "target"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Wanted:
    """What staff asked to void: `lines` {line id: quantity}, or the whole order (None)."""

    lines: dict[int, int] | None
    reason: str
    actor: str
    approver: str = ""


def refusal(order: Order) -> str | None:
    """Why the order, as it is now, can have nothing voided (None: it can)."""
    if order.bill_id is not None:
        return _("Pesanan %(number)s ada di tagihan meja: pembatalan belum bisa dari halaman ini.", number=order.number)
    if order.status not in (*UNPAID, *PAID):
        return _(
            "Pesanan %(number)s sudah %(status)s: tidak bisa dibatalkan.",
            number=order.number,
            status=order.status.label,
        )
    return None


def needs_approval(order: Order) -> bool:
    """After the kitchen has it (a ticket exists) or after payment, a manager approves."""
    return order.status != OrderStatus.AWAITING_PAYMENT or bool(order.tickets)


def approval_needed(order: Order) -> str:
    return _(
        "Pesanan %(number)s sudah %(status)s atau sudah di dapur: pembatalan perlu persetujuan manajer.",
        number=order.number,
        status=order.status.label,
    )


def voids_of(order_id: int) -> list[OrderVoid]:
    """What was voided off the order, oldest first."""
    return list(db.session.scalars(select(OrderVoid).where(OrderVoid.order_id == order_id).order_by(OrderVoid.id)))


def _lines(order: Order, wanted: dict[int, int]) -> list[tuple[OrderItem, int]]:
    """The lines and quantities to void, checked against the order as it is now."""
    items = {item.id: item for item in order.items}
    chosen = []
    for item_id, quantity in wanted.items():
        if (item := items.get(item_id)) is None:
            raise VoidRefused(_("Baris itu tidak ada di pesanan %(number)s.", number=order.number))
        if not 1 <= quantity <= item.quantity:
            raise VoidRefused(
                _("Jumlah 1 sampai %(quantity)s untuk %(name)s.", quantity=item.quantity, name=item.name), "quantity"
            )
        chosen.append((item, quantity))
    if all(quantity == item.quantity for item, quantity in chosen) and len(chosen) == len(items):
        raise VoidRefused(_("Itu semua isi pesanan: batalkan seluruh pesanan."), "quantity")
    return chosen


def _shown(order: Order) -> dict:
    """The lines and total, for the audit trail."""
    return {"lines": [f"{item.quantity}x {item.name}" for item in order.items], "total": order.total}


def _take_off(order: Order, chosen: list[tuple[OrderItem, int]]) -> None:
    """The lines lose what is voided (a line voided whole goes, with its discounts); a
    promotion on a line shrinks with it; the other discounts are worked out again."""
    gone = {item for item, quantity in chosen if quantity == item.quantity}
    for item, quantity in chosen:
        if item in gone:
            continue
        left = item.quantity - quantity
        for row in item.discounts:
            if row.source != DiscountSource.MANUAL:
                row.amount = row.amount * left // item.quantity
        item.quantity, item.line_total = left, item.unit_price * left
    order.items = [item for item in order.items if item not in gone]
    order.discounts = refigured(order, [row for row in order.discounts if row.order_item not in gone])


def void(order: Order, wanted: Wanted, now: datetime | None = None) -> OrderVoid:
    """Void `wanted` off the order, exactly once; VoidRefused says why not, on its field."""
    now = now or clock.now()
    lock_with_payments(order)
    if (why := refusal(order)) is not None:
        db.session.rollback()
        raise VoidRefused(why)
    if needs_approval(order) and not wanted.approver:
        db.session.rollback()
        raise VoidRefused(approval_needed(order), "pin")
    seen, before = order.status, _shown(order)
    try:
        chosen = (
            [(item, item.quantity) for item in order.items] if wanted.lines is None else _lines(order, wanted.lines)
        )
    except VoidRefused:
        db.session.rollback()
        raise
    record = OrderVoid(
        order_id=order.id,
        whole=wanted.lines is None,
        paid=seen in PAID,
        amount=0,
        reason=wanted.reason[:80],
        voided_by=wanted.actor[:60],
        approver=wanted.approver[:60],
        created_at=now,
        lines=[OrderVoidLine(item_id=i.id, name=i.name, quantity=q, unit_price=i.unit_price) for i, q in chosen],
    )
    params: dict[str, object] = {"lines": ", ".join(f"{q}x {i.name}" for i, q in chosen), "text": record.reason}
    if wanted.lines is None:
        record.amount = order.total
        db.session.add(record)
        db.session.flush()  # its lines are there for the BATAL tickets its history row makes
        params |= {"void": record.id, "amount": record.amount, "total": 0}
        moved = move_order(order.id, [seen], OrderStatus.CANCELLED, now, wanted.actor, ChangeReason.VOIDED, params)
    else:
        _take_off(order, chosen)
        bill = refigured_bill(order, order.discounts)
        figures = bill_columns(bill)
        record.amount = before["total"] - bill.total
        db.session.add(record)
        db.session.flush()
        params |= {"void": record.id, "amount": record.amount, "total": bill.total}
        moved = (
            seen
            if refigure_order(order.id, now, wanted.actor, params, figures, status=seen, reason=ChangeReason.VOIDED)
            else None
        )
    if moved is None:  # the order moved meanwhile (not under the lock): say what it needs now
        db.session.rollback()
        db.session.refresh(order)
        why = refusal(order)
        raise VoidRefused(why) if why else VoidRefused(approval_needed(order), "pin")
    if seen in PAID and record.amount:
        flag_order(order.id, now, AttentionReason.VOIDED_AFTER_PAYMENT, {"amount": record.amount})
    else:
        cancel_pending_payments(order.payments, now, wanted.actor)
    after = {
        "lines": [] if record.whole else [f"{i.quantity}x {i.name}" for i in order.items],
        "total": params["total"],
    }
    audit.record(
        AuditKind.VOID,
        wanted.actor,
        order.number,
        before=before,
        after=after | {"voided": params["lines"]},
        approver=wanted.approver,
        note=record.reason,
        now=now,
    )
    commit_and_publish(order, *order.payments)
    return record
