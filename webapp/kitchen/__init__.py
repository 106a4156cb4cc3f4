"""Kitchen stations, their tickets, the display's bumps, and ticket printing.

Tickets are made in the very transaction that marks an order paid, whoever pays it
(a QRIS callback, a status check, the cashier's cash, a partner), one way: one
INSERT ... SELECT (`tickets.make_tickets`), run by a flush that adds a status-history
row to "paid" (or "on the bill"), or when an order paid in one SQL statement says so.
So neither the payments nor the orders code knows of kitchens, and no paid order
misses its tickets. A ticket for a station
with a printer is queued for it (`printing.TICKETS`, on webapp/printing's mechanism):
printed once that transaction has committed, at the end of the request; the worker
retries what did not print (`printing.retry_due`).
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event as sa_event

from ..extensions import db
from ..orders.paying import order_paid_in_one_statement
from . import printing, tickets


def _add_tickets(session, _flush_context, _instances) -> None:
    """Before a flush: the orders its new history rows send to the kitchen get their
    tickets, written at once (in the flush's transaction)."""
    paid = tickets.orders_to_kitchen_in(session.new)
    if paid:
        with session.no_autoflush:
            for order_id, paid_at in paid:
                _write_tickets(order_id, paid_at=paid_at)


def _write_tickets(order_id: int, *, paid_at) -> None:
    """An order's tickets, written in the transaction that pays it: through a flush, or
    for an order paid in one SQL statement (no flush sees its history row) when it says
    so. Printed once the transaction has committed."""
    printing.TICKETS.queued(tickets.make_tickets(order_id, paid_at))


def init_app(app: Flask) -> None:
    factory = db.session.session_factory
    if not sa_event.contains(factory, "before_flush", _add_tickets):
        sa_event.listen(factory, "before_flush", _add_tickets)
        order_paid_in_one_statement.connect(_write_tickets)
