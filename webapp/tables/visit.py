"""The table a customer's phone scanned, remembered in their session.

The session keeps the table's id and when it was scanned; after TABLE_SESSION_HOURS
it is forgotten (the customer has gone home), and so is a table switched off since.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime, timedelta

from flask import current_app

from ..models import DiningTable
from .registry import active_table

SESSION_KEY = "table"


def remember(session: MutableMapping, table: DiningTable, now: datetime) -> None:
    session[SESSION_KEY] = {"id": table.id, "at": int(now.timestamp())}


def forget(session: MutableMapping) -> None:
    session.pop(SESSION_KEY, None)


def remembered(session: MutableMapping, now: datetime) -> DiningTable | None:
    """The table scanned within the last TABLE_SESSION_HOURS, if it still takes orders."""
    visit = session.get(SESSION_KEY)
    if not isinstance(visit, dict) or not isinstance(visit.get("at"), int):
        return None
    hours = current_app.config["TABLE_SESSION_HOURS"]
    if now.timestamp() - visit["at"] > timedelta(hours=hours).total_seconds():
        return None
    table_id = visit.get("id")
    return active_table(table_id if isinstance(table_id, int) else None)
