"""Kitchen stations, their tickets, the display's bumps, and ticket printing.

Tickets are made in the very transaction that marks an order paid, whoever pays it
(a QRIS callback, a status check, the cashier's cash, a partner): a flush that adds a
status-history row to "paid" adds the order's tickets too. So the payment code knows
nothing of kitchens, and no paid order misses its tickets. A ticket for a station
with a printer is printed once that transaction has committed, at the end of the
request (`printing.print_now`); the worker retries what did not print
(`printing.retry_due`).
"""

from __future__ import annotations

from flask import Flask, Response
from sqlalchemy import event as sa_event

from .. import clock
from ..extensions import db
from ..models import PrintState
from ..payments.paying import order_paid_in_one_statement
from . import printing, tickets

NEW, FLUSHED, COMMITTED = "kitchen_new_tickets", "kitchen_flushed_tickets", "kitchen_committed_tickets"


def _add_tickets(session, _flush_context, _instances) -> None:
    paid = tickets.orders_to_kitchen_in(session.new)
    if paid:
        with session.no_autoflush:
            for order_id, paid_at in paid:
                _make_tickets(session, order_id, paid_at)


def _make_tickets(session, order_id: int, paid_at) -> None:
    made = tickets.make_tickets(order_id, paid_at)
    session.info.setdefault(NEW, []).extend(t for t in made if t.print_state == PrintState.QUEUED)


def _add_tickets_paid_in_one_statement(order_id: int, *, paid_at) -> None:
    """A QRIS callback on PostgreSQL pays an order in one SQL statement (no flush sees
    its history row): its tickets are written in the same transaction here, in one
    statement too (they are as good as flushed: printed once the transaction commits)."""
    queued = tickets.make_tickets_in_one_statement(order_id, paid_at)
    if queued:
        db.session().info.setdefault(FLUSHED, []).extend(queued)


def _note_flushed(session, _flush_context) -> None:
    for ticket in session.info.pop(NEW, []):
        session.info.setdefault(FLUSHED, []).append(ticket.id)


def _note_committed(session) -> None:
    session.info.setdefault(COMMITTED, []).extend(session.info.pop(FLUSHED, []))


def _forget_uncommitted(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(NEW, None)
        session.info.pop(FLUSHED, None)


def _print_committed(response: Response) -> Response:
    if not db.session.registry.has():  # a request that never used the database (a cached poll)
        return response
    ticket_ids = db.session.info.pop(COMMITTED, None)
    if ticket_ids:
        printing.print_now(ticket_ids, clock.now())
    return response


def init_app(app: Flask) -> None:
    factory = db.session.session_factory
    if not sa_event.contains(factory, "before_flush", _add_tickets):
        sa_event.listen(factory, "before_flush", _add_tickets)
        sa_event.listen(factory, "after_flush", _note_flushed)
        sa_event.listen(factory, "after_commit", _note_committed)
        sa_event.listen(factory, "after_transaction_end", _forget_uncommitted)
        order_paid_in_one_statement.connect(_add_tickets_paid_in_one_statement)
    app.after_request(_print_committed)
