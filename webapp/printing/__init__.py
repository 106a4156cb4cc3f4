"""Network printers (ESC/POS over TCP, port 9100): one mechanism for every kind of print
job (a station's kitchen tickets, a till's receipts).

A job is queued (its row says `queued`, due now) in the transaction that makes it (the
one that marks the order paid: `making`), which says so (`PrintQueue.queued`). Once
that transaction has committed, the request tries to print it, at its end; nothing is
tried for a transaction rolled back. A printer that is off never blocks anything: the
try fails within a couple of seconds, the job stays queued with its next try later
(backing off from 15 s to every 5 min), the background worker calls each kind's
`retry_due(now)`, and the cashier sees "not printed" with a reprint button on the order.
"""

from __future__ import annotations

from flask import Flask, Response
from sqlalchemy import event as sa_event

from .. import clock
from ..extensions import db
from . import making
from .jobs import COMMITTED, QUEUES, WRITTEN, PrintQueue, next_wait
from .making import OrderJobs

__all__ = ["OrderJobs", "PrintQueue", "init_app", "next_wait"]


def _note_committed(session) -> None:
    written = session.info.pop(WRITTEN, None)
    if written:
        committed = session.info.setdefault(COMMITTED, {})
        for name, job_ids in written.items():
            committed.setdefault(name, []).extend(job_ids)


def _forget_uncommitted(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(WRITTEN, None)


def _print_committed(response: Response) -> Response:
    """After the request: the first try of the jobs its transactions made and committed,
    kind by kind in the order the kinds were made (the kitchen's tickets first)."""
    if not db.session.registry.has():  # a request that never used the database (a cached poll)
        return response
    committed = db.session.info.pop(COMMITTED, None)
    if committed:
        now = clock.now()
        for name, queue in QUEUES.items():
            if name in committed:
                queue.print_now(committed[name], now)
    return response


def init_app(app: Flask) -> None:
    factory = db.session.session_factory
    if not sa_event.contains(factory, "after_commit", _note_committed):
        sa_event.listen(factory, "after_commit", _note_committed)
        sa_event.listen(factory, "after_transaction_end", _forget_uncommitted)
    making.listen()
    app.after_request(_print_committed)
