"""A till's receipts on its printer (ESC/POS over TCP), with the cash drawer's kick.

An order rung up at a till (`Order.till_id`) whose till has a printer gets its receipt
queued in the very transaction that pays it, whoever pays it (cash at the till; a QRIS
callback or status check), made as the kitchen's tickets are, from its history row
from awaiting payment to paid (webapp/printing/making.py; on PostgreSQL in the same
statement as the tickets). So no paid till order misses its receipt, and nothing
prints for a payment rolled back. It prints once
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

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import bindparam, insert, literal, select

from ..billing.receipts import receipt_for
from ..extensions import db
from ..merchant import current_shop
from ..models import ChangeReason, Order, OrderStatus, OrderStatusChange, PrintState, ReceiptPrint, Till
from ..printing import OrderJobs, PrintQueue, escpos, making
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


def _receipt_statement():
    """A paid order's receipt in one INSERT ... SELECT: only for an order rung up at a
    till that has a printer; it returns the job's id and print state (queued)."""
    table = ReceiptPrint.metadata.tables[ReceiptPrint.__tablename__]
    now = bindparam("p_now", type_=table.c.created_at.type)
    return (
        insert(table)
        .from_select(
            ["order_id", "till_id", "drawer_kick", "created_at", "print_state", "print_due_at"],
            select(
                Order.id,
                Order.till_id,
                bindparam("p_drawer_kick", type_=table.c.drawer_kick.type),
                now,
                literal(PrintState.QUEUED, table.c.print_state.type),
                now,
            )
            .join(Till, Till.id == Order.till_id)
            .where(Order.id == bindparam("p_order_id", type_=table.c.order_id.type), Till.printer != ""),
            # The other columns take the database's defaults: no parameter of this INSERT
            # then shares a name with one of the kitchen tickets' (one statement on PostgreSQL).
            include_defaults=False,
        )
        .returning(table.c.id, table.c.print_state)
    )


def _paid(change: OrderStatusChange | None) -> dict | None:
    """An order paid from awaiting payment gets its receipt (if it was rung up at a till
    with a printer): with the drawer kick when the cash was taken, not for QRIS (paid in
    one statement, the change None, or through a flush)."""
    if change is None:
        return {"p_drawer_kick": False}
    if change.from_status == OrderStatus.AWAITING_PAYMENT and change.to_status == OrderStatus.PAID:
        return {"p_drawer_kick": change.reason == ChangeReason.CASH_PAID}
    return None


def receipt_print(order_id: int) -> ReceiptPrint | None:
    """The order's receipt job (an order paid at a till with a printer), if any."""
    return db.session.scalar(
        select(ReceiptPrint).where(ReceiptPrint.order_id == order_id).order_by(ReceiptPrint.id.desc()).limit(1)
    )


def init_app(app: Flask) -> None:
    making.register(OrderJobs(RECEIPTS, _receipt_statement(), _paid))
