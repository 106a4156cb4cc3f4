"""An order paid: by its QRIS (what the payments domain tells the order, as its payee),
or in cash at the counter.

A QR paid while its order awaits payment makes the order paid; money that comes for an
order that moved on (cancelled, paid another way) or for a QR that had expired or was
cancelled is kept by the payment and flagged on the order for the cashier. On
PostgreSQL a pending order's QRIS callback is one statement (payments/paying.py): the
order's part of it is `OneStatementOrderPaid`, the same conditional UPDATE and history
row as `move_order`, written by SQL, and what others chain after it (`chain_when_paid`:
the print jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import CTE, BindParameter, ColumnElement, RowMapping, bindparam, select, update

from .. import clock
from ..extensions import db
from ..formatting import rupiah
from ..models import AttentionReason, ChangeReason, Order, OrderStatus, OrderStatusChange, Payment, PaymentMethod
from ..payments.cash import cash_payment
from ..payments.paying import Payee, register_payee
from ..payments.state import PENDING
from ..state import IllegalTransition, commit_and_publish, insert_from
from .state import flag_order, move_order, refuse


@dataclass(frozen=True)
class ChainedWhenPaid:
    """Writes chained in the one statement that pays an order, after the order's move:
    its history row is written by SQL, not by a flush, so whoever makes work from new
    "paid" history rows in a flush (the print jobs, webapp/printing/making.py) writes it
    here, in the same statement: no round trip of its own, and the orders code knows no
    printers."""

    # Given `moved` (a CTE returning the order's id if it moved) and the time (`p_now`):
    # the CTEs that write, and what the statement reads back of them, by name; built
    # once, with parameters.
    ctes: Callable[[CTE, BindParameter], tuple[list[CTE], dict[str, ColumnElement]]]
    # The values of their other parameters.
    parameters: Callable[[], dict]
    # After the statement, in its transaction, if the order moved: given what was read back.
    done: Callable[[RowMapping], None]


_CHAINED: list[ChainedWhenPaid] = []


def chain_when_paid(chained: ChainedWhenPaid) -> None:
    """Called from an `init_app` (before any payment: the statement is built once)."""
    if chained not in _CHAINED:
        _CHAINED.append(chained)


def _paid_by_qris(payment: Payment, previous: str, now: datetime, actor: str) -> bool:
    """The paid payment's order becomes paid. True (flag the payment's event) when it had
    moved on (flagged PAID_FOR_CLOSED_ORDER) or the QR had expired or been cancelled
    (PAID_AFTER_QR_CLOSED): both for the cashier's eyes."""
    order_id = payment.order_id
    if order_id is None:  # never: `pays_for` says it has one
        return False
    moved = move_order(
        order_id,
        [OrderStatus.AWAITING_PAYMENT],
        OrderStatus.PAID,
        now,
        actor,
        ChangeReason.QRIS_PAID,
        {"merchant_order_id": payment.merchant_order_id},
    )
    if moved is None:
        _flag_closed(order_id, now)
        return True
    if previous != PENDING:
        flag_order(order_id, now, AttentionReason.PAID_AFTER_QR_CLOSED, {"payment_status": previous})
        return True
    return False


def _flag_closed(order_id: int, now: datetime) -> None:
    order_status = db.session.scalar(select(Order.status).where(Order.id == order_id))
    flag_order(order_id, now, AttentionReason.PAID_FOR_CLOSED_ORDER, {"order_status": order_status})


def _amount_mismatch(payment: Payment, now: datetime, mismatch: dict) -> None:
    if payment.order_id is not None:
        flag_order(payment.order_id, now, AttentionReason.AMOUNT_MISMATCH, mismatch)


class OneStatementOrderPaid:
    """The order's part of the one-statement payment: the paid payment's order moved
    from awaiting payment to paid with its history row, then what is chained after it
    (`chain_when_paid`)."""

    pays_for: ColumnElement[bool] = Payment.order_id.is_not(None)

    def ctes(self, paid: CTE, now: BindParameter) -> tuple[CTE, list[CTE], dict[str, ColumnElement]]:
        moved = (
            update(Order)
            .where(
                Order.id == select(paid.c.order_id).scalar_subquery(),  # NULL, no row, when no payment moved
                Order.status == OrderStatus.AWAITING_PAYMENT,
            )
            .values(status=OrderStatus.PAID, updated_at=now)
            .returning(Order.id)
            .cte("moved")
        )
        history = insert_from(
            OrderStatusChange,
            select(moved.c.id),
            ("order_id",),
            from_status=OrderStatus.AWAITING_PAYMENT,
            to_status=OrderStatus.PAID,
            actor=bindparam("p_history_actor", type_=OrderStatusChange.__table__.c["actor"].type),
            reason=ChangeReason.QRIS_PAID,
            reason_params=bindparam("p_reason_params", type_=OrderStatusChange.__table__.c["reason_params"].type),
            created_at=now,
        ).cte("history")
        writes, read_back = [history], {}
        for chained in _CHAINED:
            more, values = chained.ctes(moved, now)
            writes += more
            read_back.update(values)
        return moved, writes, read_back

    def parameters(self, merchant_order_id: str | None, actor: str) -> dict:
        parameters = {
            "p_history_actor": actor[:60],
            "p_reason_params": {"merchant_order_id": merchant_order_id},
        }
        for chained in _CHAINED:
            parameters.update(chained.parameters())
        return parameters

    def done(self, paid: RowMapping, now: datetime) -> None:
        if not paid["moved"]:
            _flag_closed(paid["order_id"], now)
            return
        for chained in _CHAINED:
            chained.done(paid)


ORDER_PAYEE = Payee(
    pays_for=lambda payment: payment.order_id is not None,
    paid=_paid_by_qris,
    amount_mismatch=_amount_mismatch,
    one_statement=OneStatementOrderPaid(),
)


def init_app(app: Flask) -> None:
    register_payee(ORDER_PAYEE)


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
    shown = order.total  # a discount given meanwhile changes what is owed: not this cash, then
    waiting = [OrderStatus.AWAITING_PAYMENT]
    if (
        move_order(
            order.id, waiting, OrderStatus.PAID, now, actor, ChangeReason.CASH_PAID, cash, where=(Order.total == shown,)
        )
        is None
    ):
        refusal = refuse(order, OrderStatus.PAID)
        if order.status == OrderStatus.AWAITING_PAYMENT:
            raise IllegalTransition(
                _(
                    "Total pesanan ini baru saja berubah menjadi %(total)s: periksa, lalu terima lagi.",
                    total=rupiah(order.total),
                )
            )
        raise refusal
    payment = cash_payment(order.total, cash, actor, now, order_id=order.id)
    commit_and_publish(order, payment)
    return payment
