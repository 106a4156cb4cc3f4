"""An order's life after checkout: the kitchen steps, cancelling, switching how it is
paid, and clearing the cashier's attention flag. Every change is a conditional update
through orders/state.py, exactly once, and kept in the order's history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from .. import clock
from ..extensions import db
from ..models import ChangeReason, EventNote, Order, OrderStatus, PaymentMethod
from ..payments.state import cancel_pending_payments
from ..state import commit_and_publish, rows_matched
from .state import move_order, note_order_change, refuse


@dataclass(frozen=True)
class KitchenStep:
    to: OrderStatus
    action: str  # what its button says (a lazy translation)


# Paid orders, and pay-later ones on their table's bill, go through the kitchen one step at a time.
KITCHEN_STEPS = {
    OrderStatus.ON_BILL: KitchenStep(OrderStatus.PREPARING, _l("Mulai masak")),
    OrderStatus.PAID: KitchenStep(OrderStatus.PREPARING, _l("Mulai masak")),
    OrderStatus.PREPARING: KitchenStep(OrderStatus.READY, _l("Siap")),
    OrderStatus.READY: KitchenStep(OrderStatus.COMPLETED, _l("Sudah diambil")),
}


def advance_order(order: Order, to: OrderStatus, actor: str, now: datetime | None = None) -> None:
    """One kitchen step: paid (or on the bill) -> preparing -> ready -> completed."""
    now = now or clock.now()
    allowed = [before for before, step in KITCHEN_STEPS.items() if step.to == to]
    if not allowed or move_order(order.id, allowed, to, now, actor) is None:
        raise refuse(order, to)
    commit_and_publish(order)


def cancel_order(order: Order, actor: str, reason: str = "", now: datetime | None = None) -> None:
    """Cancel an unpaid order; its pending QR is cancelled with it. A success that
    arrives for that QR later is still recorded as paid and flagged. `reason` is what
    the cashier typed (customers cancel their own order without one)."""
    now = now or clock.now()
    note = _typed_note(reason)

    def cancelled() -> bool:
        reason_code = ChangeReason.NOTE if note else None
        allowed = [OrderStatus.AWAITING_PAYMENT]
        return move_order(order.id, allowed, OrderStatus.CANCELLED, now, actor, reason_code, note) is not None

    if not _after_its_qr(order, now, actor, EventNote.NOTE if note else None, note, cancelled):
        raise refuse(order, OrderStatus.CANCELLED)
    commit_and_publish(order, *order.payments)


def _after_its_qr(
    order: Order, now: datetime, actor: str, note: EventNote | None, note_params, change: Callable[[], bool]
) -> bool:
    """Cancel the order's pending QR, then make `change`, the order's own conditional
    update; when it matched nothing (False) the transaction is rolled back, the QR's
    cancelling with it (so the caller must have nothing else pending).
    The QR first because a payment's callback takes the payment's row, then the order's:
    taken the other way round, each could hold the row the other waits for (a deadlock,
    which PostgreSQL ends by failing one of them)."""
    cancel_pending_payments(order.payments, now, actor, note, note_params)
    if change():
        return True
    db.session.rollback()
    return False


def resolve_attention(order: Order, actor: str, now: datetime | None = None) -> None:
    """The cashier has dealt with a flagged order (reinstated, checked)."""
    clear_attention(order, actor, now or clock.now())
    commit_and_publish(order)


def clear_attention(order: Order, actor: str, now: datetime) -> bool:
    """The order's flag cleared, once, in the caller's transaction (a refund of the money
    flagged clears it with the refund), and kept in its history."""
    resolved = (
        rows_matched(
            update(Order)
            .where(Order.id == order.id, Order.needs_attention)
            .values(needs_attention=False, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        == 1
    )
    if resolved:
        handled = {"reason": order.attention_reason, "params": order.attention_params}
        note_order_change(order.id, order.status, now, actor, ChangeReason.ATTENTION_RESOLVED, handled)
    return resolved


def _typed_note(text: str | None) -> dict | None:
    """Parameters of a NOTE reason: the text a person typed, whitespace tidied."""
    text = " ".join((text or "").split())[:200]
    return {"text": text} if text else None


def _switch_method(order: Order, to: PaymentMethod, actor: str, now: datetime, reason: ChangeReason) -> bool:
    """An unpaid order's payment method becomes `to`, exactly once, in its history."""
    switched = (
        rows_matched(
            update(Order)
            .where(
                Order.id == order.id,
                Order.status == OrderStatus.AWAITING_PAYMENT,
                Order.payment_method != to,
            )
            .values(payment_method=to, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        == 1
    )
    if switched:
        note_order_change(order.id, OrderStatus.AWAITING_PAYMENT, now, actor, reason)
    return switched


def switch_to_cash(order: Order, actor: str = "customer", now: datetime | None = None) -> bool:
    """An unpaid QRIS order becomes a cash order; its pending QR is cancelled."""
    now = now or clock.now()

    def switched() -> bool:
        return _switch_method(order, PaymentMethod.CASH, actor, now, ChangeReason.SWITCHED_TO_CASH)

    if not _after_its_qr(order, now, actor, EventNote.SWITCHED_TO_CASH, None, switched):
        return False
    commit_and_publish(order, *order.payments)
    return True


def switch_to_qris(order: Order, actor: str, now: datetime | None = None) -> bool:
    """An unpaid cash order becomes a QRIS order (the QR is asked for separately); the
    cashier board then shows it among the QRIS orders."""
    switched = _switch_method(order, PaymentMethod.QRIS, actor, now or clock.now(), ChangeReason.SWITCHED_TO_QRIS)
    commit_and_publish(order)
    return switched
