"""A till's receipts on its printer (ESC/POS over TCP), with the cash drawer's kick.

An order rung up at a till (`Order.till_id`) whose till has a printer gets its receipt
queued in the very transaction that pays it, whoever pays it: a flush that adds its
history row from awaiting payment to paid (cash at the till; a QRIS callback or status
check), or, on PostgreSQL, a QRIS callback that pays it in one SQL statement
(`order_paid_in_one_statement`), as the kitchen's tickets are made. So no paid till
order misses its receipt, and nothing prints for a payment rolled back. It prints once
that transaction has committed, at the end of the request, and the worker retries what
did not (`retry_due`): the kitchen tickets' mechanism (webapp/printing). An order paid
on its table's bill is not printed here: the bill has its own receipt.

Cash taken at the till opens the drawer too, in the same job: the drawer kick goes
first, then the receipt, so the drawer opens while the receipt is still printing and
the cashier gives the change at once (a drawer that waited for the cut would keep the
customer waiting for the paper). The kick goes with the receipt's first print only,
late or not (the cash is still in the cashier's hand); a copy printed later never
opens the drawer, and QRIS never does.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import bindparam, insert, literal, select
from sqlalchemy import event as sa_event

from ..billing.receipts import receipt_for
from ..extensions import db
from ..merchant import current_shop
from ..models import ChangeReason, Order, OrderStatus, OrderStatusChange, PrintState, ReceiptPrint, Till
from ..orders.paying import order_paid_in_one_statement
from ..printing import PrintQueue, escpos
from .receipt_text import CHARACTERS, escpos_bytes, receipt_lines


def receipt_bytes(job: ReceiptPrint) -> bytes:
    """What the till's printer gets: the drawer kick (cash, first print), the receipt in
    Indonesian at the till's paper width, the cut."""
    with force_locale("id"):
        receipt = receipt_for(job.order)
        if receipt is None:  # never: the job is made when the order is paid
            raise ValueError(f"order {job.order_id} is not paid")
        lines = receipt_lines(receipt, current_shop().name, CHARACTERS[job.till.paper])
    kick = escpos.DRAWER_KICK if job.drawer_kick and job.printed_at is None else b""
    return escpos.INIT + kick + escpos_bytes(lines)


RECEIPTS = PrintQueue("receipt", ReceiptPrint, lambda job: job.till.printer, receipt_bytes)
retry_due = RECEIPTS.retry_due  # the worker's
reprint = RECEIPTS.reprint  # the cashier's


def _queue_statement():
    """A paid order's receipt in one INSERT ... SELECT: only for an order rung up at a
    till that has a printer; it returns the job's id."""
    table = ReceiptPrint.metadata.tables[ReceiptPrint.__tablename__]
    now = bindparam("p_now", type_=table.c.created_at.type)
    return (
        insert(table)
        .from_select(
            ["order_id", "till_id", "drawer_kick", "created_at", "print_state", "print_due_at"],
            select(
                Order.id,
                Order.till_id,
                bindparam("p_kick", type_=table.c.drawer_kick.type),
                now,
                literal(PrintState.QUEUED, table.c.print_state.type),
                now,
            )
            .join(Till, Till.id == Order.till_id)
            .where(Order.id == bindparam("p_order_id", type_=table.c.order_id.type), Till.printer != ""),
        )
        .returning(table.c.id)
    )


QUEUE_STATEMENT = _queue_statement()


def queue_receipt(order_id: int, paid_at: datetime, *, drawer_kick: bool) -> None:
    """In the transaction that pays the order: its receipt, if it has a till with a
    printer, printed once the transaction commits."""
    params = {"p_order_id": order_id, "p_now": paid_at, "p_kick": drawer_kick}
    RECEIPTS.queued(list(db.session.execute(QUEUE_STATEMENT, params).scalars()))


def _queue_receipts(session, _flush_context, _instances) -> None:
    """Before a flush: the orders its new history rows pay (from awaiting payment) get
    their receipts queued, with the drawer kick for cash."""
    paid = [
        (row.order_id, row.created_at, row.reason == ChangeReason.CASH_PAID)
        for row in session.new
        if isinstance(row, OrderStatusChange)
        and row.from_status == OrderStatus.AWAITING_PAYMENT
        and row.to_status == OrderStatus.PAID
    ]
    if paid:
        with session.no_autoflush:
            for order_id, paid_at, cash in paid:
                queue_receipt(order_id, paid_at, drawer_kick=cash)


def _paid_in_one_statement(order_id: int, *, paid_at: datetime) -> None:
    queue_receipt(order_id, paid_at, drawer_kick=False)  # a QRIS callback: no cash


def receipt_print(order_id: int) -> ReceiptPrint | None:
    """The order's receipt job (an order paid at a till with a printer), if any."""
    return db.session.scalar(
        select(ReceiptPrint).where(ReceiptPrint.order_id == order_id).order_by(ReceiptPrint.id.desc()).limit(1)
    )


def init_app(app: Flask) -> None:
    factory = db.session.session_factory
    if not sa_event.contains(factory, "before_flush", _queue_receipts):
        sa_event.listen(factory, "before_flush", _queue_receipts)
        order_paid_in_one_statement.connect(_paid_in_one_statement)
