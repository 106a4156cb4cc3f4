"""The transition kernel: the one way any state changes, below every domain.

Every state change (an order's, a payment's, a bill's, a share's; a shift's tomorrow) is
one conditional UPDATE (`... WHERE id = :id AND status = :seen`) inside the caller's
transaction, so concurrent callbacks, status checks and clicks in any number of
processes apply a change exactly once: the loser updates zero rows and knows it lost.
The domain that owns the state says what its change writes to its history (`record`),
in the same transaction. This module knows no domain: each one builds its own moves on
`transition` (webapp/orders/state.py, webapp/payments/state.py, webapp/bills/state.py).

A change ends with `commit_and_publish`: the commit, then whatever wants to hear of
committed changes (the change feed waking this process's waiters, partner webhooks
queued in the transaction), registered with `after_commit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import BindParameter, CursorResult, Insert, Select, Update, insert, literal, select, update

from .extensions import db


class IllegalTransition(Exception):
    """A refused change; the message says why, for the cashier or customer."""


def rows_matched(statement: Update) -> int:
    """Execute an UPDATE in the session; how many rows its WHERE matched (1 or 0 for the
    conditional updates that apply a state change exactly once).

    `Session.execute` is typed to return a `Result`, but an UPDATE's result is always a
    `CursorResult`, the one that carries the row count (as SQLAlchemy's ORM UPDATE
    documentation says)."""
    return cast(CursorResult[Any], db.session.execute(statement)).rowcount


def transition(
    model,
    row_id: int,
    allowed_from: Iterable,
    to,
    now: datetime,
    *,
    record: Callable[[Any], object | None] | None = None,
    where: Iterable = (),
    **values,
) -> Any | None:
    """Move one row's status to `to` if it is one of `allowed_from` (and the row meets
    the `where` conditions: `uses < uses_limit`), exactly once, and add `record(previous
    status)` (its history row, if it returns one) to the session.

    Returns the status it moved from, or None if nothing changed (the status was not
    allowed, the row did not meet the conditions, or a concurrent transaction moved it
    first). Callers list the usual current status first: it is tried with a single
    UPDATE, and only when that matches no row is the status read and the UPDATE retried
    with what was found.
    """
    allowed, conditions = list(allowed_from), list(where)
    guess = allowed[0]
    for _attempt in range(len(allowed) + 1):
        moved = rows_matched(
            update(model)
            .where(model.id == row_id, model.status == guess, *conditions)
            .values(status=to, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        if moved == 1:
            if record is not None and (row := record(guess)) is not None:
                db.session.add(row)
            return guess
        tried, guess = guess, db.session.scalar(select(model.status).where(model.id == row_id))
        if guess not in allowed or (conditions and guess == tried):  # the status was right: the conditions failed
            return None
    return None


def insert_from(model, selected: Select, names: tuple[str, ...], **values) -> Insert:
    """A history row written by SQL (a change made in one statement): INSERT INTO model
    (names..., values...) SELECT, where `selected`'s columns fill `names` and each value,
    a parameter or a constant (bound as its column's type binds it: JSON, codes), its
    column."""
    table = model.__table__
    columns = (
        value if isinstance(value, BindParameter) else literal(value, table.c[name].type)
        for name, value in values.items()
    )
    query = selected.add_columns(*columns)
    return insert(table).from_select([*names, *values], query).returning(table.c.id)


_AFTER_COMMIT: list[Callable[[], None]] = []


def after_commit(hook: Callable[[], None]) -> Callable[[], None]:
    """Have `commit_and_publish` call `hook` after every commit (once, however often it
    is registered)."""
    if hook not in _AFTER_COMMIT:
        _AFTER_COMMIT.append(hook)
    return hook


def commit_and_publish(*rows) -> None:
    """Commit, let the caller's objects show what the database now holds, then tell
    whoever registered `after_commit`."""
    db.session.commit()
    for row in rows:
        if row is not None:
            db.session.refresh(row)
    for hook in _AFTER_COMMIT:
        hook()
