"""Cash at the counter: the cashier confirms what was handed over."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from .. import clock
from ..extensions import db
from ..models import ChangeReason, EventNote, Order, OrderStatus, Payment, PaymentMethod, PaymentProvider
from .transitions import PAID, IllegalTransition, commit_and_publish, move_order, record_event, refuse


def confirm_cash(order: Order, tendered: int, actor: str, now: datetime | None = None) -> Payment:
    """The cashier took `tendered` rupiah for an unpaid cash order: it becomes paid with
    a cash payment naming the cashier. Two clicks or two cashiers confirm it once."""
    now = now or clock.now()
    if order.payment_method == PaymentMethod.BILL:
        raise IllegalTransition(
            _(
                "Pesanan %(number)s dibayar nanti lewat tagihan Meja %(table)s: terima tunainya di halaman tagihan.",
                number=order.number,
                table=order.table_label,
            )
        )
    if order.payment_method != PaymentMethod.CASH:
        raise IllegalTransition(_("Pesanan %(number)s dibayar dengan QRIS; ubah ke tunai dulu.", number=order.number))
    if tendered < order.total:
        raise IllegalTransition(_("Uang diterima kurang dari total."))
    cash = {"tendered": tendered, "change": tendered - order.total}
    if (
        move_order(order.id, [OrderStatus.AWAITING_PAYMENT], OrderStatus.PAID, now, actor, ChangeReason.CASH_PAID, cash)
        is None
    ):
        raise refuse(order, OrderStatus.PAID)
    payment = cash_payment(order.total, cash, actor, now, order_id=order.id)
    commit_and_publish(order, payment)
    return payment


def cash_payment(amount: int, cash: dict[str, int], actor: str, now: datetime, **paid_for) -> Payment:
    """The paid cash payment of `amount` for an order or a share (`paid_for`: order_id or
    share_id), with the event naming the cashier and what was tendered (`cash`)."""
    payment = Payment(
        provider=PaymentProvider.CASH,
        amount=amount,
        status=PAID,
        paid_at=now,
        created_at=now,
        updated_at=now,
        **paid_for,
    )
    db.session.add(payment)
    db.session.flush()
    record_event(
        payment, "cash_confirmed", now, actor=actor, to_status=PAID, note=EventNote.CASH_RECEIVED, note_params=cash
    )
    return payment
