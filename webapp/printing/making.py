"""Print jobs made from an order's changes, in the transaction that changes it: a
station's kitchen tickets when the order goes to the kitchen, a till's receipt when an
order rung up there is paid.

Each kind registers an `OrderJobs`: which changes it makes jobs of (`wants`, given the
new status-history row) and one INSERT ... SELECT that writes them (returning each
job's id and print state). They run whoever makes the change: a flush that adds the
history row (cash, a status check, a callback on SQLite, an order placed on a table's
bill), or, for an order paid in one SQL statement by a QRIS callback on PostgreSQL, in
that very statement (`in_the_paying_statement`: no flush sees its history row). So
neither the payments nor the orders code knows of printers, and no paid order misses
its jobs.

On PostgreSQL the kinds' INSERTs for one change go in one statement (data-modifying
WITH queries), and the busiest write of the day, a QRIS callback, pays no round trip
for its print jobs: they are CTEs of the statement that pays. SQLite runs them one by
one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Insert,
    RowMapping,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy import event as sa_event
from sqlalchemy.sql.visitors import ExternallyTraversible, replacement_traverse

from ..extensions import db
from ..models import OrderStatusChange, PrintState
from ..orders.paying import ChainedWhenPaid, chain_when_paid
from .jobs import PrintQueue


@dataclass(frozen=True)
class OrderJobs:
    """A kind's jobs made from an order's changes. `statement`: INSERT ... SELECT ...
    RETURNING id, print_state, taking the parameters `p_order_id`, `p_now` (the
    change's time) and those `wants` gives. `wants(change)`: those parameters (a dict)
    when the change makes jobs of this kind, else None; the change is None for an order
    paid in one statement by its QRIS (from awaiting payment to paid), whose statement
    writes the jobs, `p_order_id` replaced by the id its order's move returned."""

    queue: PrintQueue
    statement: Insert
    wants: Callable[[OrderStatusChange | None], dict | None]


KINDS: list[OrderJobs] = []
_COMBINED: dict[tuple[str, ...], CompoundSelect] = {}


def register(kind: OrderJobs) -> None:
    if all(known.queue.name != kind.queue.name for known in KINDS):
        KINDS.append(kind)


def _cte_name(kind: OrderJobs) -> str:
    return f"jobs_{kind.queue.name}"


def _wanted(change: OrderStatusChange | None) -> list[tuple[OrderJobs, dict]]:
    """The kinds that make jobs of `change`, with their parameters."""
    return [(kind, params) for kind in KINDS if (params := kind.wants(change)) is not None]


def _combined(kinds: tuple[OrderJobs, ...]) -> CompoundSelect:
    """The kinds' INSERTs in one statement, returning (kind, id) of the jobs queued;
    built once per set of kinds."""
    key = tuple(kind.queue.name for kind in kinds)
    if key not in _COMBINED:
        queued = []
        for kind in kinds:
            written = kind.statement.cte(_cte_name(kind))
            queued.append(
                select(literal(kind.queue.name).label("kind"), written.c.id).where(
                    written.c.print_state == PrintState.QUEUED
                )
            )
        _COMBINED[key] = union_all(*queued)
    return _COMBINED[key]


def make_jobs(order_id: int, now: datetime, change: OrderStatusChange | None) -> None:
    """The jobs every kind makes of `change` to the order, written now (in the caller's
    transaction) and queued to print once it commits."""
    wanted = _wanted(change)
    if not wanted:
        return
    params = {"p_order_id": order_id, "p_now": now}
    for _kind, extra in wanted:
        params.update(extra)
    if len(wanted) > 1 and db.session.get_bind().dialect.name == "postgresql":
        made: dict[str, list[int]] = {}
        for name, job_id in db.session.execute(_combined(tuple(kind for kind, _ in wanted)), params):
            made.setdefault(name, []).append(job_id)
        for kind, _extra in wanted:
            kind.queue.queued(made.get(kind.queue.name, []))
        return
    for kind, _extra in wanted:
        rows = db.session.execute(kind.statement, params)
        kind.queue.queued([job_id for job_id, print_state in rows if print_state == PrintState.QUEUED])


def _from_flush(session, _flush_context, _instances) -> None:
    """Before a flush: the jobs its new status-history rows make."""
    changes = [row for row in session.new if isinstance(row, OrderStatusChange)]
    if changes:
        with session.no_autoflush:
            for change in changes:
                make_jobs(change.order_id, change.created_at, change)


def _chained_ctes(moved: CTE, _now: BindParameter) -> tuple[list[CTE], dict[str, ColumnElement]]:
    """The jobs of an order paid in one statement, as CTEs of it: each kind's INSERT ...
    SELECT with the order's id read from `moved` (NULL, so no job, when the order did not
    move); read back, the ids of each kind's queued jobs."""
    order_id = select(moved.c.id).scalar_subquery()

    def moved_order(element: ExternallyTraversible, **_kw: Any) -> ExternallyTraversible | None:
        return order_id if isinstance(element, BindParameter) and element.key == "p_order_id" else None

    writes: list[CTE] = []
    read_back: dict[str, ColumnElement] = {}
    for kind, _params in _wanted(None):
        statement = cast(Insert, replacement_traverse(kind.statement, {}, moved_order))
        written = statement.cte(_cte_name(kind))
        writes.append(written)
        queued = select(func.array_agg(written.c.id)).where(written.c.print_state == PrintState.QUEUED)
        read_back[written.name] = queued.scalar_subquery()
    return writes, read_back


def _chained_parameters() -> dict:
    return {name: value for _kind, params in _wanted(None) for name, value in params.items()}


def _chained_done(read_back: RowMapping) -> None:
    for kind, _params in _wanted(None):
        kind.queue.queued(read_back[_cte_name(kind)] or [])


in_the_paying_statement = ChainedWhenPaid(_chained_ctes, _chained_parameters, _chained_done)


def listen() -> None:
    factory = db.session.session_factory
    if not sa_event.contains(factory, "before_flush", _from_flush):
        sa_event.listen(factory, "before_flush", _from_flush)
    chain_when_paid(in_the_paying_statement)
